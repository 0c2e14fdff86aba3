"""Two readers of one story: what one posts arrives in the other's page without a reload."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ARTICLE_SCRIPT = """
import json, secrets
from datetime import timedelta
from broadsheet.accounts.models import User
from broadsheet.articles.services import article_save
from broadsheet.core.clock import now
desk = User.objects.filter(is_staff=True).order_by("pk").first()
token = secrets.token_hex(3)
article = article_save(
    title=f"Storm surge warning for the harbour ({token})", slug=f"live-storm-{token}",
    body="The surge peaks at *high tide*.", author=desk, status="published",
    published_at=now() - timedelta(days=500),
)
print("LIVE-FACTS " + json.dumps({"url": article.get_absolute_url()}))
"""


@pytest.fixture
def story(live_site) -> str:
    """A fresh article of its own, so no other test's comments arrive in this one."""
    output = live_site.manage("shell", "-c", ARTICLE_SCRIPT)
    return json.loads(output.split("LIVE-FACTS ", 1)[1])["url"]


@pytest.fixture
def two_pages(browser, live_site):
    contexts = [
        browser.new_context(base_url=live_site.url, viewport={"width": 1280, "height": 900})
        for _ in range(2)
    ]
    pages = []
    for ctx in contexts:
        ctx.set_default_timeout(10_000)
        page = ctx.new_page()
        page.js_errors = []
        page.on("pageerror", lambda error, page=page: page.js_errors.append(str(error)))
        pages.append(page)
    yield pages
    for ctx in contexts:
        ctx.close()


def _posted_id(page: Page) -> int:
    expect(page).to_have_url(re.compile(r"#c-\d+$"))
    return int(page.url.rsplit("#c-", 1)[1])


def test_a_comment_and_a_reply_arrive_in_another_browser(two_pages, story) -> None:
    writer, reader = two_pages
    reader.goto(story)
    expect(reader.locator("section#comments")).to_have_attribute("data-live", "open")
    expect(reader.locator("section#comments > h2")).to_have_text("0 comments")
    # Set on the page: if the page reloads, it is gone.
    reader.evaluate("window.stillTheSamePage = true")

    writer.goto(story)
    form = writer.locator("section.discussion > form.comment-form")
    form.locator("textarea[name=body]").fill("The sandbags on *Quay Street* ran out at six.")
    form.locator("input[name=name]").fill("Fenella Strand")
    form.locator("button[type=submit]").click()
    top_id = _posted_id(writer)

    # The reader is told, and shown the comment only when they ask.
    bar = reader.locator(".live-bar button")
    expect(bar).to_have_text("1 new comment — show")
    expect(reader.locator(f"#c-{top_id}")).to_have_count(0)
    expect(reader.locator("section#comments > h2")).to_have_text("1 comment")
    bar.click()
    top = reader.locator(f"section#comments > ol.comments > li.comment#c-{top_id}")
    expect(top).to_be_visible()
    expect(top.locator("> article .author")).to_contain_text("Fenella Strand (not verified)")
    expect(top.locator("> article .comment-body em")).to_have_text("Quay Street")
    expect(reader.locator(".live-bar")).to_have_count(0)
    expect(reader.locator("section#comments > ol.comments > li.empty")).to_have_count(0)

    # A reply slots in under its parent at once, no bar.
    writer.locator(f"#c-{top_id} > article a.reply-link").click()
    inline = writer.locator(f"#c-{top_id} > .inline-reply form.comment-form")
    inline.locator("textarea[name=body]").fill("The council has more at the depot on Mill Lane.")
    inline.locator("button[type=submit]").click()
    reply_id = _posted_id(writer)

    reply = reader.locator(f"li#c-{top_id} > ol.replies > li.comment#c-{reply_id}")
    expect(reply).to_be_visible()
    expect(reply.locator("> article .comment-body")).to_contain_text("depot on Mill Lane")
    expect(reader.locator("section#comments > h2")).to_have_text("2 comments")
    expect(reader.locator(".live-bar")).to_have_count(0)

    # The writer's own page doesn't get its own comments twice.
    writer.wait_for_timeout(1500)
    expect(writer.locator(f"#c-{reply_id}")).to_have_count(1)
    expect(writer.locator(".live-bar")).to_have_count(0)

    assert reader.evaluate("window.stillTheSamePage") is True
    assert not reader.js_errors, reader.js_errors
    assert not writer.js_errors, writer.js_errors
