"""Fills the new Thread.topic of every article's discussion (see article_topic)."""

from django.db import migrations

# As articles.services.TOPIC_CHARACTERS when this was written; a migration keeps its own copy.
TOPIC_CHARACTERS = 3000


def fill_topics(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Thread = apps.get_model("discussion", "Thread")
    rows = Article.objects.exclude(thread=None).values_list("thread_id", "dek", "body_source")
    for thread_id, dek, body in rows.iterator(chunk_size=500):
        topic = f"{dek}\n{body}".strip()[:TOPIC_CHARACTERS]
        Thread.objects.filter(pk=thread_id).update(topic=topic)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_articles_and_tags"),
        ("discussion", "0006_thread_topic"),
    ]

    operations = [migrations.RunPython(fill_topics, migrations.RunPython.noop)]
