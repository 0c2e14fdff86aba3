"""Site, thread and Disqus exports: complete, in the right order, and never carrying secrets."""

import io
import json
from itertools import count

import pytest
from defusedxml import ElementTree
from django.core.management import call_command

from broadsheet.core.clock import now
from broadsheet.core.markup import render_comment
from broadsheet.discussion.models import Comment, CommentStatus, Thread
from broadsheet.discussion.services import NewComment, insert_comment, thread_get_or_create
from broadsheet.portability.exports import (
    disqus_xml_write,
    site_jsonl_write,
    thread_json_chunks,
)

pytestmark = pytest.mark.django_db

DSQ = "{http://disqus.com/disqus-internals}"
NS = "{http://disqus.com}"
ADDRESS_HASH = "a1" * 16
GUEST_KEY_HASH = "b2" * 20
GUEST_EMAIL_HASH = "c3" * 32
_bodies = count(1)


def add(thread: Thread, parent: Comment | None = None, *, author=None, guest_name="", **fields):
    body = fields.pop("body", f"Comment number {next(_bodies)}")
    if author is None and not guest_name:
        guest_name = "Passer-by"
    return insert_comment(
        thread=thread,
        parent=parent,
        new=NewComment(
            body_source=body,
            body_html=render_comment(body),
            status=fields.pop("status", CommentStatus.PUBLISHED),
            created_at=now(),
            author=author,
            guest_name=guest_name,
            guest_email_hash=GUEST_EMAIL_HASH if author is None else "",
            guest_key_hash=GUEST_KEY_HASH if author is None else "",
            address_hash=ADDRESS_HASH,
            **fields,
        ),
    )


@pytest.fixture
def site(article, make_user, author):
    reader = make_user(display_name="Ada Reader", email="ada@example.org", bio="I read a lot.")
    thread = article.thread
    first = add(thread, author=reader, body="The harbour plan is *late*.")
    reply = add(thread, first, guest_name="Harbour Watcher")
    held = add(thread, reply, author=reader, status=CommentStatus.HELD)
    add(thread, held, author=author)
    add(thread, author=author, status=CommentStatus.SPAM)
    gone = add(thread, status=CommentStatus.DELETED)
    add(thread, gone, author=reader, status=CommentStatus.REJECTED)
    add(thread, first, author=author, body="Quoting: <script>alert(1)</script> & \x0b done")
    external = thread_get_or_create(key="https://blog.example.net/2024/ferries/", title="Ferries")
    top = add(external, guest_name="Blogger's friend")
    add(external, top, author=reader)
    return {"reader": reader, "author": author, "article": article, "external": external}


def jsonl(**options) -> list[dict]:
    out = io.StringIO()
    site_jsonl_write(out, **options)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_site_jsonl_lists_every_record_in_the_importers_order(site):
    records = jsonl()
    assert records[0] == {
        "type": "meta",
        "format": "broadsheet-jsonl",
        "version": 1,
        "exported_at": records[0]["exported_at"],
    }
    order = ["meta", "user", "tag", "thread", "article", "comment"]
    kinds = [r["type"] for r in records]
    assert kinds == sorted(kinds, key=order.index)
    by_type = {kind: [r for r in records if r["type"] == kind] for kind in order}
    assert len(by_type["comment"]) == Comment.objects.count() == 10
    assert len(by_type["thread"]) == Thread.objects.count() == 2
    (article,) = by_type["article"]
    assert article["thread"] == site["article"].thread_id
    assert article["author"] == site["author"].pk
    assert article["body"].startswith("The council met on *Tuesday*.")
    assert set(article) == {
        "type", "id", "slug", "title", "dek", "body", "author", "status", "published_at",
        "tags", "thread", "image_url",
    }  # fmt: skip
    # Comments by thread, parents before their children.
    seen: set[int] = set()
    threads = [c["thread"] for c in by_type["comment"]]
    assert threads == sorted(threads)
    for c in by_type["comment"]:
        assert set(c) == {
            "type", "id", "thread", "parent", "author", "guest_name", "body", "status",
            "created_at", "edited_at", "upvotes", "downvotes",
        }  # fmt: skip
        assert c["parent"] is None or c["parent"] in seen
        seen.add(c["id"])
    statuses = {c["status"] for c in by_type["comment"]}
    assert statuses == {"published", "held", "rejected", "spam", "deleted"}
    reader = next(u for u in by_type["user"] if u["id"] == site["reader"].pk)
    assert reader["display_name"] == "Ada Reader" and reader["bio"] == "I read a lot."


def test_site_jsonl_carries_no_secrets_and_emails_only_when_asked(site):
    out = io.StringIO()
    site_jsonl_write(out)
    text = out.getvalue()
    reader = site["reader"]
    for secret in (reader.password, ADDRESS_HASH, GUEST_KEY_HASH, GUEST_EMAIL_HASH):
        assert secret not in text
    assert "@example.org" not in text and "@example.com" not in text
    for record in map(json.loads, text.splitlines()):
        assert not {"password", "email", "address_hash", "guest_key_hash"} & set(record)
    with_emails = io.StringIO()
    site_jsonl_write(with_emails, include_emails=True)
    text = with_emails.getvalue()
    assert "ada@example.org" in text
    for secret in (reader.password, ADDRESS_HASH, GUEST_KEY_HASH, GUEST_EMAIL_HASH):
        assert secret not in text


def test_export_site_command_writes_a_file(site, tmp_path, capsys):
    path = tmp_path / "site.jsonl"
    call_command("export_site", output=str(path))
    lines = path.read_text().splitlines()
    assert json.loads(lines[0])["type"] == "meta"
    assert sum(json.loads(line)["type"] == "comment" for line in lines) == 10
    assert "10 comments" in capsys.readouterr().err


def test_disqus_xml_parses_and_keeps_every_comment_and_parent(site, tmp_path):
    path = tmp_path / "disqus.xml"
    call_command("export_site", format="disqus", output=str(path))
    root = ElementTree.parse(path).getroot()
    assert root.tag == f"{NS}disqus"
    assert root.find(f"{NS}category").get(f"{DSQ}id") == "1"
    threads = {t.get(f"{DSQ}id"): t for t in root.findall(f"{NS}thread")}
    assert set(threads) == {str(pk) for pk in Thread.objects.values_list("pk", flat=True)}
    external = threads[str(site["external"].pk)]
    assert external.findtext(f"{NS}link") == "https://blog.example.net/2024/ferries/"
    assert external.findtext(f"{NS}title") == "Ferries"
    assert external.findtext(f"{NS}createdAt").endswith("Z")
    posts = {p.get(f"{DSQ}id"): p for p in root.findall(f"{NS}post")}
    assert len(posts) == Comment.objects.count()
    for comment in Comment.objects.select_related("author"):
        post = posts[str(comment.pk)]
        assert post.find(f"{NS}thread").get(f"{DSQ}id") == str(comment.thread_id)
        parent = post.find(f"{NS}parent")
        if comment.parent_id is None:
            assert parent is None
        else:
            assert parent.get(f"{DSQ}id") == str(comment.parent_id)
        assert post.findtext(f"{NS}author/{NS}name") == comment.display_name
        assert post.find(f"{NS}author/{NS}email") is None
        assert post.findtext(f"{NS}isSpam") == ("true" if comment.status == "spam" else "false")
        hidden = comment.status in ("deleted", "held", "rejected")
        assert post.findtext(f"{NS}isDeleted") == ("true" if hidden else "false")
        assert post.findtext(f"{NS}message") == comment.body_html.replace("\x0b", "")
    text = path.read_text()
    assert ADDRESS_HASH not in text and "@example" not in text


def test_disqus_xml_of_an_empty_site_is_valid():
    out = io.BytesIO()
    disqus_xml_write(out, include_emails=True)
    root = ElementTree.fromstring(out.getvalue())
    assert root.findall(f"{NS}post") == []


def test_disqus_emails_with_include_emails(site):
    out = io.BytesIO()
    disqus_xml_write(out, include_emails=True)
    emails = {e.text for e in ElementTree.fromstring(out.getvalue()).iter(f"{NS}email")}
    assert emails == {site["reader"].email, site["author"].email}


def _flatten(nodes: list[dict], parent: int | None, into: dict[int, int | None]) -> None:
    for node in nodes:
        into[node["id"]] = parent
        _flatten(node["replies"], node["id"], into)


def test_thread_json_nests_every_comment_under_its_parent(site):
    thread = site["article"].thread
    document = json.loads("".join(thread_json_chunks(thread=thread)))
    assert document["format"] == "broadsheet-thread"
    assert document["thread"]["key"] == thread.key
    assert document["thread"]["article"]["slug"] == site["article"].slug
    parents: dict[int, int | None] = {}
    _flatten(document["thread"]["comments"], None, parents)
    assert parents == dict(Comment.objects.filter(thread=thread).values_list("id", "parent_id"))
    first = document["thread"]["comments"][0]
    assert first["author"] == {"id": site["reader"].pk, "display_name": "Ada Reader"}
    assert first["body"] == "The harbour plan is *late*."
    assert first["replies"][0]["guest_name"] == "Harbour Watcher"
    text = json.dumps(document)
    assert ADDRESS_HASH not in text and GUEST_KEY_HASH not in text and "@example" not in text


def test_thread_json_of_an_empty_thread_and_the_command(tmp_path):
    thread = thread_get_or_create(key="https://blog.example.net/quiet/", title="Quiet")
    document = json.loads("".join(thread_json_chunks(thread=thread)))
    assert document["thread"]["comments"] == []
    path = tmp_path / "thread.json"
    call_command("export_thread", thread.key, output=str(path))
    assert json.loads(path.read_text())["thread"]["id"] == thread.pk
