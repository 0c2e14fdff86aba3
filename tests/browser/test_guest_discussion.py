"""A guest comments, replies and quotes; after a reload all three are in place."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

GUEST_NAME = "Pim Vandersloot"


def _posted_id(page: Page) -> int:
    """After a post, the page is redirected to the article at #c-<id>."""
    expect(page).to_have_url(re.compile(r"#c-\d+$"))
    return int(page.url.rsplit("#c-", 1)[1])


def _quote_markdown(name: str, body: str) -> str:
    quoted = "\n".join(f"> {line}" if line else ">" for line in body.strip().splitlines())
    return f"**{name}** wrote:\n\n{quoted}\n\n"


def test_guest_comments_replies_and_quotes_inline(page: Page, live_site) -> None:
    quiet = live_site.facts["quiet"]
    first, second, third = quiet["comments"]
    page.goto(quiet["url"])

    # A top-level comment, with a name.
    form = page.locator("section.discussion > form.comment-form")
    form.locator("textarea[name=body]").fill("The *ferry* is the story here, not the market.")
    form.locator("input[name=name]").fill(GUEST_NAME)
    form.locator("button[type=submit]").click()
    top_id = _posted_id(page)

    # A reply: the form opens inline, inside the comment's li, with the name remembered.
    page.locator(f"#c-{second['id']} > article a.reply-link").click()
    inline = page.locator(f"#c-{second['id']} > .inline-reply form.comment-form")
    expect(inline).to_be_visible()
    assert "/reply/" not in page.url, "Reply left the page: the inline form did not open"
    expect(inline.locator("input[name=name]")).to_have_value(GUEST_NAME)
    expect(inline.locator("input[name=parent]")).to_have_value(str(second["id"]))
    inline.locator("textarea[name=body]").fill("Closer how? The minutes say seven to two.")
    inline.locator("button[type=submit]").click()
    reply_id = _posted_id(page)

    # A quote: the inline box is pre-filled with an attributed Markdown block quote.
    page.locator(f"#c-{third['id']} > article a.quote-link").click()
    inline = page.locator(f"#c-{third['id']} > .inline-reply form.comment-form")
    textarea = inline.locator("textarea[name=body]")
    expected_quote = _quote_markdown(third["name"], third["body"])
    expect(textarea).to_have_value(expected_quote)
    textarea.press("End")
    textarea.press_sequentially("The market moved once before, in 1987.")
    inline.locator("button[type=submit]").click()
    quote_id = _posted_id(page)

    # After a reload, all three are in place.
    page.reload()
    top = page.locator(f"section.discussion > ol.comments > li.comment#c-{top_id}")
    expect(top).to_be_visible()
    expect(top.locator("> article .author")).to_contain_text(GUEST_NAME)
    expect(top.locator("> article .unverified")).to_have_text("(not verified)")
    expect(top.locator("> article .comment-body em")).to_have_text("ferry")

    reply = page.locator(f"li#c-{second['id']} > ol.replies > li.comment#c-{reply_id}")
    expect(reply).to_be_visible()
    expect(reply.locator("> article .author")).to_contain_text(GUEST_NAME)
    expect(reply.locator("> article .unverified")).to_have_text("(not verified)")
    expect(reply.locator("> article .comment-body")).to_contain_text("seven to two")

    quote = page.locator(f"li#c-{third['id']} > ol.replies > li.comment#c-{quote_id}")
    expect(quote).to_be_visible()
    expect(quote.locator("> article .unverified")).to_have_text("(not verified)")
    body = quote.locator("> article .comment-body")
    expect(body.locator("> p strong").first).to_have_text(third["name"])
    expect(body.locator("> blockquote")).to_contain_text("the fish market moves inland")
    expect(body.locator("> p").last).to_contain_text("in 1987")

    # The seeded comments are still top-level, oldest first, and the new one after them.
    roots = page.locator("section.discussion > ol.comments > li.comment")
    ids = [int(i) for i in roots.evaluate_all("els => els.map(e => e.dataset.commentId)")]
    assert ids[:3] == [first["id"], second["id"], third["id"]]
    assert top_id in ids[3:]

    # Next visit: the name is remembered in the form.
    page.close()
    later = page.context.new_page()
    later.goto(quiet["url"])
    expect(later.locator("section.discussion > form.comment-form input[name=name]")).to_have_value(
        GUEST_NAME
    )
    assert not page.js_errors, page.js_errors


@pytest.fixture
def no_js_page(browser, live_site):
    context = browser.new_context(base_url=live_site.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_reply_and_quote_work_without_javascript(no_js_page: Page, live_site) -> None:
    quiet = live_site.facts["quiet"]
    first, _, third = quiet["comments"]
    page = no_js_page
    page.goto(quiet["url"])

    page.locator(f"#c-{first['id']} > article a.reply-link").click()
    expect(page).to_have_url(re.compile(rf"/comments/{first['id']}/reply/$"))
    form = page.locator("form.comment-form")
    form.locator("textarea[name=body]").fill("Replying the old-fashioned way.")
    form.locator("input[name=name]").fill("Nojo Scriptless")
    form.locator("button[type=submit]").click()
    reply_id = _posted_id(page)
    reply = page.locator(f"li#c-{first['id']} > ol.replies > li.comment#c-{reply_id}")
    expect(reply.locator("> article .author")).to_contain_text("Nojo Scriptless (not verified)")

    page.locator(f"#c-{third['id']} > article a.quote-link").click()
    expect(page).to_have_url(re.compile(rf"/comments/{third['id']}/reply/\?quote=1$"))
    textarea = page.locator("form.comment-form textarea[name=body]")
    expect(textarea).to_have_value(_quote_markdown(third["name"], third["body"]))
    expect(page.locator("form.comment-form input[name=name]")).to_have_value("Nojo Scriptless")
