"""The whole thread as JSON, for clients that want every comment at once (and the benchmark).

One query for the thread, one for its article (a draft's discussion stays
private), one for the comments, read as plain values in path order and
serialized in one pass: a 10,000-comment thread never becomes model objects.
"""

import json
import threading

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from broadsheet.articles.models import Article
from broadsheet.core.errors import BroadsheetError, NotFound
from broadsheet.discussion import selectors
from broadsheet.web.client import viewer_for
from broadsheet.web.errors import domain_error_response

# One whole thread is built at a time per process. The work holds the GIL, so
# building several at once is no faster, and under 16 concurrent requests for a
# 10,000-comment thread it took each process's peak memory from ~140 to ~370 MB.
_one_at_a_time = threading.Lock()


@require_GET
def thread_json(request: HttpRequest, thread_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    try:
        thread = selectors.thread_get(thread_id=thread_id, viewer=viewer)
        article = Article.objects.filter(thread_id=thread.pk).only("status", "published_at").first()
        staff = bool(viewer.user and viewer.user.is_staff)
        if article is not None and not article.is_live and not staff:
            raise NotFound("There is no such discussion.")
    except BroadsheetError as error:
        return domain_error_response(request, error)
    # Each comment is encoded as it is read, so a 10,000-comment thread is held once, as
    # bytes, rather than as dicts, then a string, then bytes.
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    parts: list[bytes] = []
    with _one_at_a_time:
        for item in selectors.thread_comments_all(thread=thread, viewer=viewer):
            parts.append(encode(item).encode())
    head = {
        "thread": {
            "id": thread.pk,
            "title": thread.title,
            "status": thread.status,
            "version": thread.version,
        },
        "count": len(parts),
    }
    body = b"".join([encode(head)[:-1].encode(), b',"comments":[', b",".join(parts), b"]}"])
    del parts
    return HttpResponse(body, content_type="application/json")
