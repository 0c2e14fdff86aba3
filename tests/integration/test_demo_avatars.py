"""Demo authors get drawn portraits through the accounts avatar service, or keep identicons."""

import pytest

from broadsheet.demo import services
from broadsheet.demo.portraits import portrait_png
from broadsheet.demo.services import DemoBuild


@pytest.mark.django_db
def test_authors_get_portraits_through_the_avatar_service():
    build = DemoBuild()
    build.staff()
    assert len(build.authors) == 3
    assert all(author.avatar_key for author in build.authors)
    assert build.report().avatars == 3 and not build.report().avatar_problem


@pytest.mark.django_db
def test_without_the_avatar_service_authors_keep_their_identicons(monkeypatch):
    monkeypatch.setattr(services, "_avatar_setter", lambda: (None, "no avatar service"))
    build = DemoBuild()
    build.staff()
    assert not any(author.avatar_key for author in build.authors)
    assert build.report().avatar_problem == "no avatar service"


def test_portraits_are_deterministic_pngs_that_differ_by_person():
    first = portrait_png("helen.achterberg@example.com")
    assert first.startswith(b"\x89PNG") and first == portrait_png("helen.achterberg@example.com")
    assert first != portrait_png("kwame.boateng-reid@example.com")
