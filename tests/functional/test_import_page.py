"""The staff upload page: upload, background import (immediate in tests), status page and JSON."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from broadsheet.discussion.models import Comment
from broadsheet.importers.jobs import imports_directory
from broadsheet.importers.models import ImportJob, ImportStatus

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user(display_name="Ed Itor", is_staff=True))
    return client


def upload(client, name: str, **fields):
    data = {"format": "auto", "file": SimpleUploadedFile(name, (FIXTURES / name).read_bytes())}
    data.update(fields)
    return client.post(reverse("web:imports"), data)


def test_upload_runs_the_import_and_shows_its_report(staff_client):
    response = upload(staff_client, "disqus.xml")

    assert response.status_code == 303
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("web:import", args=[job.pk])
    assert job.status == ImportStatus.DONE
    assert job.format == "disqus" and job.original_name == "disqus.xml"
    assert job.report["comments_created"] == 7
    assert Comment.objects.count() == 7
    # The archive holds readers' data: it does not outlive the import.
    assert not (imports_directory() / job.file_name).exists()

    page = staff_client.get(response["Location"])
    assert page.status_code == 200
    assert b"7 new comments in 2 threads" in page.content
    assert b'http-equiv="refresh"' not in page.content  # finished: no more polling
    status = staff_client.get(reverse("web:import-status", args=[job.pk])).json()
    assert status["status"] == "done" and status["report"]["comments_created"] == 7

    listing = staff_client.get(reverse("web:imports"))
    assert b"disqus.xml" in listing.content


def test_a_hostile_file_fails_the_job_with_its_reason(staff_client):
    upload(staff_client, "disqus-billion-laughs.xml")

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "document type (DTD)" in job.error
    assert not Comment.objects.exists()
    page = staff_client.get(reverse("web:import", args=[job.pk]))
    assert b"document type (DTD)" in page.content


def test_text_archive_options(staff_client):
    upload(
        staff_client,
        "textarchive.txt",
        format="textarchive",
        url="https://partner.example/tram/",
        moderate="on",
    )

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE, job.error
    assert job.url == "https://partner.example/tram/" and job.moderate
    assert Comment.objects.filter(thread__key="https://partner.example/tram/").count() == 6


def test_an_unknown_file_is_refused_at_once(staff_client):
    response = staff_client.post(
        reverse("web:imports"),
        {"format": "auto", "file": SimpleUploadedFile("x.xml", b"<html><body/></html>")},
    )

    assert response.status_code == 400
    assert "neither a Disqus export nor a WordPress" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_running_job_page_polls(staff_client, make_user):
    job = ImportJob.objects.create(
        format="disqus", file_name="x.upload", original_name="big.xml", status="running",
        stage="loading", processed=50, total=200,
    )  # fmt: skip

    page = staff_client.get(reverse("web:import", args=[job.pk]))

    assert b'http-equiv="refresh"' in page.content
    assert b"25%" in page.content


def test_readers_cannot_import(client, make_user):
    assert client.get(reverse("web:imports")).status_code == 302
    client.force_login(make_user())
    assert client.get(reverse("web:imports")).status_code == 403
    response = upload(client, "disqus.xml")
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_unknown_job_is_a_404(staff_client):
    assert staff_client.get(reverse("web:import", args=[999])).status_code == 404
