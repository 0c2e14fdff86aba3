"""Every importer end to end: counts, parents, statuses, profiles, reruns, orphans, refusals."""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.articles.models import Article, ArticleStatus
from broadsheet.core.errors import InvalidInput
from broadsheet.discussion.models import Comment, CommentStatus, Thread, ThreadStatus
from broadsheet.importers import loader
from broadsheet.importers.profiles import is_imported_email
from broadsheet.importers.run import import_file
from broadsheet.moderation.intake import email_hash
from broadsheet.moderation.pipeline import Outcome, Verdict

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"

pytestmark = pytest.mark.django_db


def comment(fmt: str, key: str) -> Comment:
    return Comment.objects.select_related("parent", "author").get(import_key=f"{fmt}:{key}")


def parent_key(fmt: str, key: str) -> str | None:
    found = comment(fmt, key).parent
    return found.import_key.split(":", 1)[1] if found else None


@pytest.fixture
def isso_db(tmp_path: Path) -> Path:
    path = tmp_path / "isso.db"
    db = sqlite3.connect(path)
    db.executescript((FIXTURES / "isso.sql").read_text())
    db.close()
    return path


# -- Disqus -------------------------------------------------------------------------------------


def test_disqus_threads_comments_parents_and_statuses():
    report = import_file(fmt="disqus", path=FIXTURES / "disqus.xml")

    assert report.comments_created == 7
    assert report.threads_total == 2
    assert {(t.key, t.created) for t in report.threads} == {("1001", 5), ("1002", 2)}
    plan = Thread.objects.get(key="https://blog.example.org/2019/harbour-plan/")
    assert plan.title == "The harbour plan, explained"
    assert plan.comments.count() == 5
    assert plan.comment_count == 3  # published only: spam and deleted are not counted
    fares = Thread.objects.get(key="https://blog.example.org/2019/tram-fares/")
    assert fares.status == ThreadStatus.CLOSED
    assert not Thread.objects.filter(key__contains="no-comments").exists()
    # The reply listed before its parent still answers it.
    assert parent_key("disqus", "5003") == "5001"
    assert parent_key("disqus", "5005") == "5004"
    assert comment("disqus", "5002").status == CommentStatus.SPAM
    assert comment("disqus", "5004").status == CommentStatus.DELETED
    assert comment("disqus", "5001").status == CommentStatus.PUBLISHED
    skipped = {p.item: p.reason for p in report.skipped}
    assert "thread 1003" in skipped
    assert any("9999" in item for item in skipped)


def test_disqus_people_guests_hashes_and_sanitizing():
    import_file(fmt="disqus", path=FIXTURES / "disqus.xml")

    ada = comment("disqus", "5001").author
    assert ada.display_name == "Ada Lindqvist"
    assert is_imported_email(ada.email)
    assert not ada.has_usable_password()
    assert comment("disqus", "5101").author == ada  # one profile per Disqus username
    ben = comment("disqus", "5003")
    assert ben.author is None and ben.guest_name == "Ben Okafor"
    assert ben.guest_email_hash == email_hash("ben@example.net")
    assert ben.address_hash and "198.51.100.7" not in ben.address_hash
    assert "<strong>ferry</strong>" in ben.body_html
    assert 'href="https://example.org/fares"' in ben.body_html
    carmen = comment("disqus", "5005")
    assert "<script" not in carmen.body_html and "&amp;" in carmen.body_html
    everything = " ".join(
        f"{c.body_source} {c.guest_name} {c.guest_email_hash} {c.address_hash}"
        for c in Comment.objects.all()
    )
    assert "@example.net" not in everything


def test_disqus_rerun_adds_nothing():
    first = import_file(fmt="disqus", path=FIXTURES / "disqus.xml")
    users, comments = User.objects.count(), Comment.objects.count()

    second = import_file(fmt="disqus", path=FIXTURES / "disqus.xml")

    assert first.comments_created == 7
    assert second.comments_created == 0
    assert second.skipped_existing == 7
    assert second.users_created == 0 and second.threads_created == 0
    assert (User.objects.count(), Comment.objects.count()) == (users, comments)


def test_disqus_cycles_self_parents_and_missing_parents_are_rerooted_and_reported():
    report = import_file(fmt="disqus", path=FIXTURES / "disqus-broken-links.xml")

    assert report.comments_created == 7
    assert parent_key("disqus", "2") is None  # answered itself
    # The cycle 3 -> 5 -> 4 -> 3 is cut at its oldest comment, 3; the others keep their parents.
    assert parent_key("disqus", "3") is None
    assert parent_key("disqus", "4") == "3"
    assert parent_key("disqus", "5") == "4"
    assert parent_key("disqus", "6") is None  # its parent 404 was never exported
    assert parent_key("disqus", "7") == "6"
    reasons = {p.item: p.reason for p in report.orphans}
    assert report.orphans_total == 3
    assert "answers itself" in reasons["comment 2 in thread 2001"]
    assert "cycle" in reasons["comment 3 in thread 2001"]
    assert "404" in reasons["comment 6 in thread 2001"]
    assert report.threads[0].orphans == 3
    assert any("repeat" in p.reason for p in report.skipped)
    assert comment("disqus", "1").body_source == "A root."  # the first of the duplicates


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("disqus-billion-laughs.xml", "document type (DTD)"),
        ("disqus-external-entity.xml", "document type (DTD)"),
        ("disqus-external-dtd.xml", "document type (DTD)"),
        ("disqus-truncated.xml", "not well-formed XML at line 65"),
        ("disqus-invalid-utf8.xml", "not well-formed (invalid token)"),
        ("wordpress-billion-laughs.xml", "document type (DTD)"),
        ("wordpress-truncated.xml", "not well-formed XML"),
        ("broadsheet-truncated.jsonl", "Line 8 is not valid JSON"),
        ("broadsheet-invalid-utf8.jsonl", "Line 9 is not valid UTF-8"),
        ("broadsheet-version2.jsonl", "version 2"),
        ("broadsheet-bad-status.jsonl", "Line 11: 'status' is 'burned'"),
        ("textarchive-invalid-utf8.txt", "not valid UTF-8 (line 15"),
        ("textarchive-no-author.txt", "should name the author"),
    ],
)
def test_hostile_and_broken_files_are_refused_with_nothing_written(name: str, message: str):
    fmt = {"xml": "auto", "jsonl": "jsonl", "txt": "textarchive"}[name.rsplit(".", 1)[1]]
    fmt = "wordpress" if name.startswith("wordpress") else "disqus" if fmt == "auto" else fmt

    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_file(fmt=fmt, path=FIXTURES / name)

    assert not Comment.objects.exists()
    assert not Thread.objects.exists()
    assert not Article.objects.exists()


def test_xinclude_is_not_processed():
    import_file(fmt="wordpress", path=FIXTURES / "wordpress-xinclude.xml")

    included = comment("wordpress", "1")
    assert included.body_source == "Included?"
    assert "root:" not in included.body_html


# -- WordPress ----------------------------------------------------------------------------------


def test_wordpress_threading_statuses_and_profiles():
    report = import_file(fmt="wordpress", path=FIXTURES / "wordpress.xml")

    assert report.comments_created == 7
    market = Thread.objects.get(key="https://quaystreet.example/2020/01/market-moves/")
    assert market.comments.count() == 5
    assert Thread.objects.get(key="https://quaystreet.example/2020/02/bins/").status == "closed"
    assert not Thread.objects.filter(key="https://quaystreet.example/about/").exists()
    assert parent_key("wordpress", "33") == "31"
    assert parent_key("wordpress", "34") == "33"
    statuses = {c.import_key: c.status for c in Comment.objects.all()}
    assert statuses["wordpress:31"] == CommentStatus.PUBLISHED
    assert statuses["wordpress:34"] == CommentStatus.HELD
    assert statuses["wordpress:35"] == CommentStatus.SPAM
    assert statuses["wordpress:36"] == CommentStatus.DELETED
    editor = comment("wordpress", "33").author
    assert editor.display_name == "The Editor" and not editor.has_usable_password()
    grace = comment("wordpress", "31")
    assert grace.guest_name == "Grace Whitfield"
    assert "<br>" in grace.body_html and "<strong>Second paragraph</strong>" in grace.body_html
    assert any("pingback" in p.reason for p in report.skipped)
    orphan = {p.item: p.reason for p in report.orphans}
    assert "its parent 49 is not in the archive" in orphan["comment 52 in thread 20"]
    assert parent_key("wordpress", "52") is None

    again = import_file(fmt="wordpress", path=FIXTURES / "wordpress.xml")
    assert again.comments_created == 0 and again.skipped_existing == 7


# -- Isso ---------------------------------------------------------------------------------------


def test_isso_with_a_base_url(isso_db: Path):
    report = import_file(fmt="isso", path=isso_db, url="https://blog.example.org/")

    assert report.comments_created == 7
    lighthouse = Thread.objects.get(key="https://blog.example.org/2021/03/lighthouse/")
    assert lighthouse.title == "Saving the lighthouse"
    assert parent_key("isso", "2") == "1"
    assert parent_key("isso", "5") == "4"
    assert comment("isso", "3").status == CommentStatus.HELD
    assert "<script" not in comment("isso", "3").body_html
    deleted = comment("isso", "4")
    assert deleted.status == CommentStatus.DELETED and deleted.guest_name == "Anonymous"
    quinn = comment("isso", "2")
    assert (quinn.upvotes, quinn.downvotes) == (1, 2)
    assert quinn.edited_at == datetime(2021, 3, 6, 5, 6, 40, tzinfo=UTC)
    assert comment("isso", "1").guest_email_hash == email_hash("priya@example.net")
    assert "<em>obviously</em>" in comment("isso", "1").body_html
    assert report.orphans_total == 1 and parent_key("isso", "7") is None

    assert (
        import_file(fmt="isso", path=isso_db, url="https://blog.example.org/").comments_created == 0
    )


def test_isso_refuses_another_sqlite_database(tmp_path: Path):
    other = tmp_path / "other.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    db.commit()
    db.close()

    with pytest.raises(InvalidInput, match="not Isso's"):
        import_file(fmt="auto", path=other)


# -- Broadsheet JSON Lines ----------------------------------------------------------------------


def test_jsonl_into_an_empty_site_reproduces_threads_comments_parents_and_statuses():
    report = import_file(fmt="jsonl", path=FIXTURES / "broadsheet.jsonl")

    assert report.comments_created == 8
    assert report.articles_created == 1
    article = Article.objects.select_related("author", "thread").get(slug="tram-line-approved")
    assert article.status == ArticleStatus.PUBLISHED
    assert article.dek == "Council votes 31 to 12."
    assert "<em>approved</em>" in article.body_html
    assert sorted(article.tags.values_list("slug", flat=True)) == ["city-hall", "transport"]
    assert article.author.email == "helen@newsroom.example"
    assert not article.author.has_usable_password()
    assert article.thread.comments.count() == 7
    ferry = Thread.objects.get(key="https://partner.example/2024/ferry/")
    assert ferry.status == ThreadStatus.CLOSED and ferry.premoderated
    assert parent_key("jsonl", "101") == "100"
    assert parent_key("jsonl", "102") == "101"
    assert parent_key("jsonl", "106") == "105"
    statuses = {c.import_key.split(":")[1]: c.status for c in Comment.objects.all()}
    assert statuses == {
        "100": "published", "101": "published", "102": "rejected", "103": "held",
        "104": "spam", "105": "deleted", "106": "published", "200": "published",
    }  # fmt: skip
    first = comment("jsonl", "100")
    assert first.author.display_name == "quietheron"
    assert (first.upvotes, first.downvotes) == (5, 1)
    assert first.edited_at == datetime(2024, 4, 1, 9, 5, tzinfo=UTC)
    assert comment("jsonl", "103").author == article.author
    assert comment("jsonl", "101").guest_name == "Olu from Quay Street"

    again = import_file(fmt="jsonl", path=FIXTURES / "broadsheet.jsonl")
    assert again.comments_created == 0 and again.articles_created == 0
    assert Article.objects.count() == 1


def test_jsonl_reuses_the_account_with_the_exported_address(make_user):
    helen = make_user(email="helen@newsroom.example", display_name="Helen A.")

    import_file(fmt="jsonl", path=FIXTURES / "broadsheet.jsonl")

    assert Article.objects.get(slug="tram-line-approved").author == helen
    assert User.objects.get(pk=helen.pk).has_usable_password()


# -- Plain-text page archives -------------------------------------------------------------------


def test_text_archive_becomes_an_article_by_its_author_with_its_discussion():
    report = import_file(
        fmt="textarchive",
        path=FIXTURES / "textarchive.txt",
        published=datetime(2024, 3, 5, 9, 0, tzinfo=UTC),
    )

    assert report.comments_created == 6
    article = Article.objects.select_related("author", "thread").get()
    assert article.title == "Council approves the harbour tram after a ten-year fight"
    assert article.status == ArticleStatus.PUBLISHED and article.is_live
    assert article.published_at == datetime(2024, 3, 5, 9, 0, tzinfo=UTC)
    assert article.author.display_name == "Helen Achterberg"
    assert "long overdue" in article.body_source
    comments = list(article.thread.comments.select_related("author", "parent").order_by("seq"))
    names = [(c.display_name, c.is_guest) for c in comments]
    assert names == [
        ("quietheron", False),
        ("Olu from Quay Street", True),
        ("Grace Whitfield", False),
        ("Dana", True),
        ("quietheron", False),
        ("Lurker", True),
    ]
    quiet, olu, grace, dana, quiet_again, lurker = comments
    assert grace.parent == quiet  # quoted "The line will be obsolete before it opens"
    assert dana.parent == olu  # curly quotes
    assert quiet_again.parent == grace  # "...not obsolete...": the latest comment containing it
    assert lurker.parent is None and olu.parent is None
    # Dates on the page are in the site's time zone.
    assert olu.created_at == datetime(2024, 3, 5, 16, 7, tzinfo=timezone.get_default_timezone())
    assert quiet.created_at < grace.created_at < quiet_again.created_at  # undated: page order
    for person in {article.author, quiet.author, grace.author}:
        assert not person.has_usable_password()
        assert authenticate(RequestFactory().post("/"), username=person.email, password="") is None
    assert quiet.author == quiet_again.author

    again = import_file(fmt="textarchive", path=FIXTURES / "textarchive.txt")
    assert again.comments_created == 0 and again.skipped_existing == 6
    assert Article.objects.count() == 1


def test_text_archive_reuses_a_member_with_the_authors_name(make_user):
    helen = make_user(display_name="Helen Achterberg", is_staff=True)

    import_file(fmt="textarchive", path=FIXTURES / "textarchive.txt")

    assert Article.objects.get().author == helen


def test_text_archive_with_url_joins_an_external_pages_thread():
    url = "https://partner.example/2024/03/tram/"

    report = import_file(fmt="textarchive", path=FIXTURES / "textarchive.txt", url=url)

    assert not Article.objects.exists()
    thread = Thread.objects.get(key=url)
    assert thread.title == "Council approves the harbour tram after a ten-year fight"
    assert thread.comments.count() == 6 == report.comments_created


# -- --moderate ---------------------------------------------------------------------------------


def _holds_disagreement(sample):
    if "disagree" in sample.body:
        return Verdict(Outcome.HOLD, "words", "Disagreement, for the test.")
    return None


def test_moderate_runs_the_content_checks(monkeypatch):
    monkeypatch.setattr(loader, "import_checks", lambda: (_holds_disagreement,))

    import_file(fmt="disqus", path=FIXTURES / "disqus.xml", moderate=True)

    held = comment("disqus", "5003")
    assert held.status == CommentStatus.HELD
    assert held.moderation_reasons[0]["check"] == "words"
    assert comment("disqus", "5001").status == CommentStatus.PUBLISHED
    assert comment("disqus", "5002").status == CommentStatus.SPAM  # already decided


def test_without_moderate_no_check_runs(monkeypatch):
    monkeypatch.setattr(loader, "import_checks", lambda: (_holds_disagreement,))

    import_file(fmt="disqus", path=FIXTURES / "disqus.xml")

    assert comment("disqus", "5003").status == CommentStatus.PUBLISHED


def test_moderate_with_the_real_pipeline_holds_abuse(tmp_path: Path):
    """The importers run the pipeline's CONTENT_CHECKS: abuse is held, rates don't apply."""
    from broadsheet.importers.screening import import_checks
    from broadsheet.moderation import pipeline

    assert import_checks() == pipeline.CONTENT_CHECKS
    abusive = "You are a worthless idiot and a moron, shut up you stupid piece of shit."
    archive = tmp_path / "abuse.jsonl"
    archive.write_text((FIXTURES / "broadsheet.jsonl").read_text().replace("About time.", abusive))

    import_file(fmt="jsonl", path=archive, moderate=True)

    assert comment("jsonl", "100").status in (CommentStatus.HELD, CommentStatus.REJECTED)


# -- Detection and the command ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("disqus.xml", "disqus"),
        ("wordpress.xml", "wordpress"),
        ("broadsheet.jsonl", "jsonl"),
        ("textarchive.txt", "textarchive"),
    ],
)
def test_auto_detects_the_format(name: str, fmt: str):
    report = import_file(fmt="auto", path=FIXTURES / name)

    assert report.format == fmt
    assert report.comments_created > 0


def test_the_command_prints_the_report(capsys):
    from django.core.management import call_command

    call_command("import_comments", "disqus", str(FIXTURES / "disqus.xml"))

    out = capsys.readouterr().out
    assert "Imported 7 new comments into 2 threads" in out
    assert "thread 1001: 5 new" in out


def test_the_command_says_what_is_wrong():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="document type"):
        call_command("import_comments", "disqus", str(FIXTURES / "disqus-billion-laughs.xml"))
