"""Schemathesis against the API's own OpenAPI schema: every operation, generated requests.

Each operation gets MAX_EXAMPLES valid requests and MAX_EXAMPLES invalid ones
(schemathesis's positive and negative modes), sent in-process through the WSGI
application to the test database, which holds a seeded discussion so that
about half the generated ids name a real thread, comment or article. Every
request picks a caller: a moderator's write token (most often, so writes and
the queue get exercised), a member's read token, a guest's browser with CSRF,
or nobody. Every response must pass schemathesis's checks (CHECKS): no 5xx;
status code, content type, headers and body as the schema declares them; and
invalid input refused with a 4xx. Not run, on purpose: positive_data_acceptance
(a well-formed request may still be refused: a closed thread, a repeated flag,
an id that does not exist), ignored_auth (reads and guest writes need no
credentials by design) and the stateful checks (this is not a stateful run).
The counts are written to test-results/api-schema.json and printed (pytest -s).

Hypothesis runs derandomized: the same requests each run, so CI is stable; set
BROADSHEET_SCHEMA_SEED (a number, or "random") to explore others.
"""

import json
import os
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from broadsheet.accounts.guests import COOKIE_NAME, sign_guest_key
from broadsheet.accounts.models import TokenScope
from broadsheet.accounts.services import token_create
from broadsheet.accounts.viewers import Viewer
from broadsheet.api.endpoints import api
from broadsheet.discussion.services import comment_vote
from broadsheet.moderation.flags import flag_comment
from broadsheet.moderation.intake import submit_comment

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 50
REPORT = Path(__file__).resolve().parents[2] / "test-results" / "api-schema.json"
CSRF = "c" * 32
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Who sends a request: weighted towards the moderator, whose token may do everything.
CALLERS = ["moderator", "moderator", "moderator", "member-read", "guest", "anonymous"]

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
OPERATIONS = sorted(
    (result.ok() for result in SCHEMA.get_all_operations()),
    key=lambda operation: operation.label,
)
# Operations whose every input is valid, so schemathesis can build no invalid request:
# a free-form slug in the path and nothing else.
NO_INVALID_FORM = {"GET /api/v1/articles/{slug}"}
CASES = [
    pytest.param(operation, mode, id=f"{operation.label}-{mode.value}")
    for operation in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if not (mode == GenerationMode.NEGATIVE and operation.label in NO_INVALID_FORM)
]
_stats: dict[str, Counter] = defaultdict(Counter)
_failures: dict[str, list[str]] = defaultdict(list)


@pytest.fixture(scope="module")
def wsgi_app():
    """The real WSGI application, kept on the test's connection (as Django's test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def site(make_article, make_user, moderator):
    """A discussion worth probing: own, others', held, flagged and replied-to comments."""
    articles = [make_article(), make_article()]
    member = make_user(display_name="Priya Raman")
    guest = Viewer(guest_key="schema-guest")
    mod = Viewer(user=moderator)
    comments = []
    for article in articles:
        thread = article.thread
        top = submit_comment(
            thread=thread, viewer=guest, body="A guest's view", guest_name="Ana",
            guest_email="ana@example.org", notify=True, client_address="203.0.113.9",
        ).comment  # fmt: skip
        mine = submit_comment(thread=thread, viewer=mod, body="The moderator's own").comment
        reply = submit_comment(
            thread=thread, viewer=Viewer(user=member), body="A member replies",
            parent_id=top.pk,
        ).comment  # fmt: skip
        comment_vote(comment_id=top.pk, viewer=Viewer(user=member), value=1)
        flag_comment(comment_id=reply.pk, viewer=guest, reason="off_topic")
        comments += [top, mine, reply]
    _, write = token_create(user=moderator, name="schema", scope=TokenScope.WRITE)
    _, read = token_create(user=member, name="schema read", scope=TokenScope.READ)
    return {
        "thread_id": [a.thread_id for a in articles],
        "comment_id": [c.pk for c in comments],
        "slug": [a.slug for a in articles],
        "url": [a.thread.key for a in articles],
        "tokens": {"moderator": write, "member-read": read},
    }


def _with_seeds(operation, mode: GenerationMode, site: dict) -> st.SearchStrategy:
    """Generated cases, half of them with ids (or page URLs) that exist."""
    plain = operation.as_strategy(mode)
    names = [
        name for name in ("thread_id", "comment_id", "slug") if f"{{{name}}}" in operation.path
    ]
    seeded = [
        operation.as_strategy(mode, path_parameters={name: value})
        for name in names
        for value in site[name]
    ]
    if operation.path.endswith("/threads") and operation.method.upper() == "GET":
        seeded = [operation.as_strategy(mode, query={"url": url}) for url in site["url"]]
    if not seeded:
        return plain
    return st.one_of(plain, st.sampled_from(seeded).flatmap(lambda strategy: strategy))


def _send(case, caller: str, site: dict, app):
    headers, cookies = {}, {}
    if caller in site["tokens"]:
        headers["Authorization"] = f"Bearer {site['tokens'][caller]}"
    elif caller == "guest":
        cookies = {COOKIE_NAME: sign_guest_key("schema-guest"), "csrftoken": CSRF}
        headers["X-CSRFToken"] = CSRF
    return case.call(app=app, headers=headers, cookies=cookies), headers


@pytest.mark.parametrize(("operation", "mode"), CASES)
def test_operation_conforms(operation, mode, site, wsgi_app):
    label = f"{operation.label} [{mode.value}]"
    seed = os.environ.get("BROADSHEET_SCHEMA_SEED")

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=seed is None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_with_seeds(operation, mode, site), caller=st.sampled_from(CALLERS))
    def run(case, caller):
        response, headers = _send(case, caller, site, wsgi_app)
        _stats[label]["calls"] += 1
        _stats[label][f"status {response.status_code}"] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except Exception as failure:  # every failure is recorded, then reported
            text = f"{case.method} {case.formatted_path} as {caller}: {failure}"
            _failures[label].append(text[:2000])

    if seed and seed.isdigit():
        run = hypothesis_seed(int(seed))(run)
    run()
    _write_report()
    assert not _failures[label], "\n\n".join(_failures[label][:5])


def _write_report() -> None:
    report = {
        "operations": len(OPERATIONS),
        "max_examples_per_operation_and_mode": MAX_EXAMPLES,
        "calls": sum(stats["calls"] for stats in _stats.values()),
        "failures": sum(len(found) for found in _failures.values()),
        "by_operation": {
            label: {**dict(sorted(stats.items())), "failures": len(_failures[label])}
            for label, stats in sorted(_stats.items())
        },
    }
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2) + "\n")
    print(f"schemathesis: {report['operations']} operations, {report['calls']} calls, "
          f"{report['failures']} failures ({REPORT})")  # fmt: skip
