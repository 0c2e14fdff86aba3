from django.db import migrations, models


class Migration(migrations.Migration):
    """Nullable or defaulted columns: safe before and after the deploy. Older rows have no
    fingerprint (duplicate checks skip them) and risk 0 (they sort last in the queue)."""

    dependencies = [
        ("discussion", "0003_comment_shadowed_featured_flag_weight"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="simhash",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="comment",
            name="risk",
            field=models.FloatField(default=0.0),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["status", "-risk"], name="comment_status_risk"),
        ),
    ]
