"""A guest flags a comment through the inline dialog, then mutes its author: the comment
collapses for them, and only for them."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_a_reader_flags_inline_and_mutes_a_commenter(page: Page, browser, live_site) -> None:
    quiet = live_site.facts["quiet"]
    # Another guest, in a browser of their own, posts the comment.
    other = browser.new_context(base_url=live_site.url)
    try:
        poster = other.new_page()
        poster.goto(quiet["url"])
        form = poster.locator("section.discussion > form.comment-form")
        form.locator("textarea[name=body]").fill("Everyone who disagrees is paid to, obviously.")
        form.locator("input[name=name]").fill("Rex Trollope")
        form.locator("button[type=submit]").click()
        expect(poster).to_have_url(re.compile(r"#c-\d+$"))
        comment_id = int(poster.url.rsplit("#c-", 1)[1])
    finally:
        other.close()

    page.goto(quiet["url"])
    item = page.locator(f"#c-{comment_id}")
    item.locator(":scope > article a.flag-link").click()
    dialog = item.locator(":scope > .inline-flag")
    expect(dialog).to_be_visible()
    assert "/flag/" not in page.url, "Flag left the page: the inline dialog did not open"
    dialog.locator("input[value=abuse]").check()
    dialog.locator("textarea[name=note]").fill("Accuses everyone of being paid.")
    dialog.locator("button[type=submit]").click()
    expect(dialog).to_contain_text("The moderators will look at this comment.")

    page.once("dialog", lambda d: d.accept())
    item.locator(":scope > article a.mute-link").click()
    expect(page.locator(f"#c-{comment_id}")).to_have_class(re.compile(r"\bmuted\b"))
    summary = page.locator(f"#c-{comment_id} > article details.muted-comment > summary")
    expect(summary).to_contain_text("Rex Trollope")
    expect(page.locator(f"#c-{comment_id} .comment-body")).not_to_be_visible()
    summary.click()
    expect(page.locator(f"#c-{comment_id} .comment-body")).to_be_visible()
    assert not page.js_errors, page.js_errors
