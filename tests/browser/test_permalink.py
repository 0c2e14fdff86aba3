"""The permalink of a deep comment in the breaking story opens its focused view."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_permalink_of_a_depth_ten_comment_opens_its_focused_view(page: Page, live_site) -> None:
    story = live_site.facts["breaking"]
    deep = story["deep"]
    assert deep["depth"] == 10
    if not live_site.facts["demo_stand_in"]:
        assert story["comment_count"] >= 1000, story

    page.goto(f"/comments/{deep['id']}/")
    focused = page.locator(f"li.comment.focused#c-{deep['id']}")
    expect(focused).to_be_visible()
    assert page.locator("li.comment.focused").count() == 1
    # Highlighted: the focused comment stands out from the page background.
    background = focused.locator("> article").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background

    ancestors = page.locator("ol.ancestors > li.ancestor")
    expect(ancestors).to_have_count(len(deep["ancestor_ids"]))
    ids = ancestors.evaluate_all("els => els.map(e => Number(e.id.slice(2)))")
    assert ids == deep["ancestor_ids"]

    back = page.locator("p.back a")
    expect(back).to_have_attribute("href", f"{story['url']}#comments")
    back.click()
    expect(page).to_have_url(f"{live_site.url}{story['url']}#comments")
    expect(page.locator("section.discussion#comments")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshot_of_the_article_page_with_comments(
    browser, live_site, shots_dir, width: int
) -> None:
    """Not an assertion on looks: shots in /tmp/broadsheet-shots/ for a person to review."""
    story = live_site.facts["breaking"]
    context = browser.new_context(
        base_url=live_site.url, viewport={"width": width, "height": 1400}, device_scale_factor=1
    )
    try:
        page = context.new_page()
        page.goto(f"{story['url']}#comments")
        expect(page.locator("section.discussion li.comment").first).to_be_visible()
        page.screenshot(path=str(shots_dir / f"article-{width}.png"))
        # The deep chain, where indentation is capped.
        root = page.locator(f"#c-{story['deep']['ancestor_ids'][5]}")
        if root.count():
            root.screenshot(path=str(shots_dir / f"deep-thread-{width}.png"))
        page.goto(f"/comments/{story['deep']['id']}/")
        page.screenshot(path=str(shots_dir / f"permalink-{width}.png"))
        # Nothing may be wider than the viewport (no sideways scrolling on a phone).
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"permalink page is {overflow}px wide at {width}px"
    finally:
        context.close()
