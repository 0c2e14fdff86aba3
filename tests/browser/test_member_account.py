"""A reader signs up, confirms the e-mail from the outbox, uploads an avatar and comments."""

import re
import secrets
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "harbour lights at dusk 41"


def _png(path: Path) -> Path:
    image = Image.new("RGB", (320, 320), (30, 90, 160))
    draw = ImageDraw.Draw(image)
    draw.ellipse((60, 60, 260, 260), fill=(240, 190, 40))
    draw.rectangle((140, 20, 180, 300), fill=(200, 40, 60))
    image.save(path, format="PNG")
    return path


def _form_with(page: Page, field: str):
    return page.locator(f"form:has([name={field}])").first


def test_member_signs_up_verifies_uploads_an_avatar_and_comments(
    page: Page, live_site, mail_outbox, tmp_path: Path
) -> None:
    token = secrets.token_hex(3)
    email = f"ines.{token}@example.com"
    name = f"Ines Marchetti {token}"

    page.goto("/accounts/signup/")
    form = _form_with(page, "display_name")
    form.locator("[name=email]").fill(email)
    form.locator("[name=display_name]").fill(name)
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/verify/sent/$"))

    # The verification mail, from the file outbox (sent by the background worker).
    message = mail_outbox.wait_for(to=email)
    links = [link for link in mail_outbox.links(message) if "/accounts/verify/" in link]
    assert links, mail_outbox.text(message)
    assert links[0].startswith(live_site.url + "/"), links[0]
    response = page.goto(links[0])
    assert response is not None and response.status == 200, response and response.status

    # An avatar, uploaded on the profile page.
    page.goto("/accounts/profile/")
    avatar_form = _form_with(page, "avatar")
    avatar_form.locator("input[name=avatar]").set_input_files(str(_png(tmp_path / "me.png")))
    avatar_form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))
    masthead_avatar = page.locator("header.masthead img.avatar")
    expect(masthead_avatar).not_to_have_attribute("src", re.compile(r"^data:"))

    # A comment, shown with the display name and the uploaded picture.
    article = live_site.facts["members_article"]
    page.goto(article["url"])
    form = page.locator("section.discussion > form.comment-form")
    expect(form.locator("input[name=name]")).to_have_count(0)
    form.locator("textarea[name=body]").fill("Signed in and **verified**: the minutes are online.")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"#c-\d+$"))
    comment_id = int(page.url.rsplit("#c-", 1)[1])

    page.reload()
    comment = page.locator(f"li.comment#c-{comment_id}")
    expect(comment.locator("> article .author")).to_have_text(name)
    expect(comment.locator("> article .unverified")).to_have_count(0)
    expect(comment.locator("> article .comment-body strong")).to_have_text("verified")
    avatar = comment.locator("> article img.avatar")
    expect(avatar).to_have_attribute("src", re.compile(r"^(?!data:)"))
    avatar.scroll_into_view_if_needed()
    expect(avatar).to_have_js_property("complete", True)
    assert avatar.evaluate("img => img.naturalWidth") > 0, avatar.get_attribute("src")
    assert not page.js_errors, page.js_errors
