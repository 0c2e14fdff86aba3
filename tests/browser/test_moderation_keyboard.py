"""A guest posts to a pre-moderated discussion; the demo's moderator approves the comment from
the keyboard in the queue; a reader then sees it, and the guest is told."""

import json
import re
import secrets

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

MODERATOR_EMAIL = "moderator@example.com"  # broadsheet/demo/people.py
DEMO_PASSWORD = "broadsheet-demo"

MAKE_ARTICLE = """
import json
from broadsheet.articles.models import Article
from broadsheet.articles.services import article_save
from broadsheet.discussion.services import thread_update
author = Article.objects.order_by("pk").first().author
article = article_save(
    title="Harbour levy: a pre-moderated discussion {tag}",
    body="The council proposed a levy on harbour moorings.",
    author=author,
    status="published",
)
thread_update(thread=article.thread, premoderated=True)
print("FACTS " + json.dumps({{"url": article.get_absolute_url()}}))
"""


def _premoderated_article(live_site) -> str:
    output = live_site.manage("shell", "-c", MAKE_ARTICLE.format(tag=secrets.token_hex(3)))
    (line,) = [x for x in output.splitlines() if x.startswith("FACTS ")]
    return json.loads(line.removeprefix("FACTS "))["url"]


def test_a_moderator_approves_a_held_guest_comment_with_the_keyboard(
    page: Page, context, browser, live_site
) -> None:
    url = _premoderated_article(live_site)
    words = f"The mooring levy hits small boat owners hardest, token {secrets.token_hex(4)}."

    # The guest posts; the comment waits for a moderator and says so to its author only.
    page.goto(url)
    form = page.locator("section.discussion > form.comment-form")
    form.locator("textarea[name=body]").fill(words)
    form.locator("input[name=name]").fill("Marit Quayside")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"#c-\d+$"))
    comment_id = int(page.url.rsplit("#c-", 1)[1])
    mine = page.locator(f"#c-{comment_id}")
    expect(mine.locator(".badge.awaiting")).to_have_text("awaiting moderation")

    reader_context = browser.new_context(base_url=live_site.url)
    reader = reader_context.new_page()
    reader.goto(url)
    expect(reader.locator(f"#c-{comment_id}")).to_have_count(0)

    # The moderator signs in and works the queue from the keyboard.
    moderator_context = browser.new_context(base_url=live_site.url)
    moderator = moderator_context.new_page()
    moderator.goto("/accounts/login/?next=/moderation/")
    moderator.locator("[name=username]").fill(MODERATOR_EMAIL)
    moderator.locator("[name=password]").fill(DEMO_PASSWORD)
    moderator.locator("form.account-form button[type=submit]").click()
    expect(moderator).to_have_url(re.compile(r"/moderation/$"))
    moderator.goto(f"/moderation/?q={words.split()[-1].rstrip('.')}")
    item = moderator.locator(f"#q-{comment_id}")
    expect(item).to_have_class(re.compile(r"\bcurrent\b"))
    expect(item).to_contain_text("premoderation")

    moderator.keyboard.press("?")
    expect(moderator.locator("#shortcut-help")).to_be_visible()
    moderator.keyboard.press("Escape")
    expect(moderator.locator("#shortcut-help")).to_be_hidden()

    moderator.keyboard.press("j")  # one item only: stays on it
    moderator.keyboard.press("a")
    expect(item).to_have_class(re.compile(r"\bdecided\b"))
    expect(item.locator("[data-status]")).to_have_text("Approved.")

    # A reader now sees it, at once.
    reader.reload()
    published = reader.locator(f"#c-{comment_id}")
    expect(published).to_be_visible()
    expect(published.locator(".comment-body")).to_contain_text("small boat owners")

    # The guest is told on their own view.
    page.reload()
    expect(page.locator(".decision-note.approved")).to_contain_text("was approved")
    expect(page.locator(f"#c-{comment_id} .badge.awaiting")).to_have_count(0)
    assert not page.js_errors

    reader_context.close()
    moderator_context.close()
