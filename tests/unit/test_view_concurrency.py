"""The per-process gate in front of Django's views (broadsheet/web/concurrency.py)."""

import asyncio

from broadsheet.web.concurrency import ViewConcurrency


class RecordingApp:
    """Counts how many requests are between their body and their response start."""

    def __init__(self) -> None:
        self.inside = 0
        self.most = 0
        self.events: list[str] = []

    async def __call__(self, scope, receive, send):
        await receive()
        self.inside += 1
        self.most = max(self.most, self.inside)
        self.events.append("view")
        await asyncio.sleep(0.01)  # the view
        self.inside -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await asyncio.sleep(0.05)  # a slow download
        self.events.append("downloaded")
        await send({"type": "http.response.body", "body": b"ok"})


def request(path: str, app, headers=()):
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    async def call():
        scope = {"type": "http", "path": path, "method": "GET", "headers": list(headers)}
        await app(scope, receive, send)
        return sent

    return call()


def test_at_most_limit_views_run_at_once_and_every_request_is_answered():
    inner = RecordingApp()
    gated = ViewConcurrency(inner, 2)

    async def main():
        calls = (request("/threads/1/comments.json", gated) for _ in range(12))
        return await asyncio.gather(*calls)

    answers = asyncio.run(main())
    assert inner.most == 2
    assert all(a[-1] == {"type": "http.response.body", "body": b"ok"} for a in answers)
    assert gated.gate._value == 2  # every place given back


def test_the_place_is_given_back_when_the_response_starts():
    inner = RecordingApp()
    gated = ViewConcurrency(inner, 1)

    async def main():
        await asyncio.gather(*(request("/moderation/", gated) for _ in range(3)))

    asyncio.run(main())
    # The views ran one at a time, each while the one before was still downloading.
    assert inner.most == 1
    assert inner.events == ["view", "view", "view", "downloaded", "downloaded", "downloaded"]


def test_anonymous_article_pages_pass_and_a_members_page_waits():
    inner = RecordingApp()
    gated = ViewConcurrency(inner, 1)
    anonymous = [(b"accept-encoding", b"gzip")]
    member = [*anonymous, (b"cookie", b"sessionid=abc")]

    async def main(headers):
        await asyncio.gather(
            *(request("/articles/harbour-plan/", gated, headers) for _ in range(5))
        )

    asyncio.run(main(anonymous))
    assert inner.most == 5
    inner.most = 0
    asyncio.run(main(member))
    assert inner.most == 1
