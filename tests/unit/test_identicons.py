"""Identicons: the same seed draws the same picture, different seeds differ, output is safe SVG."""

from base64 import b64decode

from broadsheet.accounts.avatars import avatar_url
from broadsheet.accounts.identicons import identicon_data_uri, identicon_svg
from broadsheet.accounts.models import User


def test_same_seed_same_picture():
    assert identicon_svg("user:7") == identicon_svg("user:7")


def test_different_seeds_differ():
    pictures = {identicon_svg(f"user:{n}") for n in range(50)}
    assert len(pictures) == 50


def test_pattern_is_mirrored():
    svg = identicon_svg("user:42")
    cells = {
        (int(part.split('x="')[1].split('"')[0]), int(part.split('y="')[1].split('"')[0]))
        for part in svg.split("<rect")[2:]
    }
    assert cells, "a pattern with no cells"
    assert all((4 - x, y) in cells for x, y in cells)


def test_data_uri_decodes_to_the_svg():
    uri = identicon_data_uri("user:3")
    assert uri.startswith("data:image/svg+xml;base64,")
    assert b64decode(uri.split(",", 1)[1]).decode() == identicon_svg("user:3")


def test_user_without_picture_gets_their_identicon():
    user = User(pk=5, email="a@example.com", display_name="A")
    assert avatar_url(user, 48) == identicon_data_uri("user:5")
    assert avatar_url(User(pk=6), 48) != avatar_url(user, 48)


def test_user_with_picture_gets_the_nearest_stored_size(settings):
    settings.MEDIA_URL = "/media/"
    user = User(pk=5, avatar_key="avatars/5/abc")
    assert avatar_url(user, 32) == "/media/avatars/5/abc-48.webp"
    assert avatar_url(user, 200) == "/media/avatars/5/abc-128.webp"
