"""Reading a big discussion: sorting, in-place paging, more replies, collapsing, editing."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

TOP_LEVEL = "section.discussion > ol.comments > li.comment"


def test_sort_is_applied_and_remembered(page: Page, live_site) -> None:
    story = live_site.facts["breaking"]
    page.goto(story["url"])
    page.locator("nav.sorts a", has_text="Newest").click()
    expect(page.locator("nav.sorts strong[aria-current]")).to_have_text("Newest")
    stamps = page.locator(f"{TOP_LEVEL} > article time").evaluate_all(
        "els => els.slice(0, 5).map(e => e.getAttribute('datetime'))"
    )
    assert stamps == sorted(stamps, reverse=True)
    page.goto(story["url"])  # no ?sort: the browser remembers the choice
    expect(page.locator("nav.sorts strong[aria-current]")).to_have_text("Newest")


def test_load_more_comments_and_more_replies_in_place(page: Page, live_site) -> None:
    story = live_site.facts["breaking"]
    page.goto(story["url"] + "?sort=oldest")
    top = page.locator(TOP_LEVEL)
    expect(top).to_have_count(50)
    url = page.url
    page.locator("a.next-page").click()
    expect(top).to_have_count(100)
    assert page.url == url, "Load more navigated away instead of loading in place"

    # The demo's breaking story has top-level comments whose replies outgrow the first page.
    more = page.locator(".more-replies a[data-subtree]").first
    expect(more).to_be_visible()
    item_id = more.locator("xpath=ancestor::li[contains(@class,'comment')][1]").get_attribute("id")
    before = page.locator(f"#{item_id} li.comment").count()
    more.click()
    expect(page.locator(f"#{item_id} li.comment")).not_to_have_count(before)
    assert page.url == url


def test_collapse_and_expand_a_subtree(page: Page, live_site) -> None:
    page.goto(live_site.facts["breaking"]["url"])
    with_replies = page.locator(f"{TOP_LEVEL}:has(> ol.replies)").first
    replies = with_replies.locator(":scope > ol.replies")
    expect(replies).to_be_visible()
    with_replies.locator(":scope > article button[data-collapse]").click()
    expect(replies).to_be_hidden()
    with_replies.locator(":scope > article button[data-collapse]").click()
    expect(replies).to_be_visible()


def test_guest_edits_own_comment(page: Page, live_site) -> None:
    page.goto(live_site.facts["members_article"]["url"])
    form = page.locator("section.discussion > form.comment-form")
    form.locator("textarea[name=body]").fill("Fist draft of my thought.")
    form.locator("input[name=name]").fill("Edda Vogt")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"#c-\d+$"))
    comment_id = page.url.rsplit("#c-", 1)[1]
    page.locator(f"#c-{comment_id} > article a.edit-link").click()
    page.locator("textarea[name=body]").fill("First draft of my thought, *fixed*.")
    page.locator("form.comment-form button[type=submit]").click()
    item = page.locator(f"#c-{comment_id}")
    expect(item.locator(":scope > article .comment-body em")).to_have_text("fixed")
    expect(item.locator(":scope > article .edited")).to_be_visible()
