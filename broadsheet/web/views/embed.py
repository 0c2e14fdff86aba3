"""The discussion inside another site's page: an iframe the embed script opens.

The iframe's pages are the only ones another site may frame: each says which
origins in its Content-Security-Policy `frame-ancestors` (the thread's site's
domains); every other page keeps `X-Frame-Options: DENY`. Identity inside the
frame travels in the embed token (accounts.embed_tokens), since the browser may
keep no cookies for us there: `session` hands the frame its token, `sign_in` is
the popup that hands over a signed-in user's.
"""

from functools import cache
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from broadsheet.accounts import embed_tokens, guests
from broadsheet.core.errors import BroadsheetError, Forbidden, NotFound
from broadsheet.demo.services import example_embedding_host
from broadsheet.discussion import selectors as discussion
from broadsheet.sites import selectors as sites
from broadsheet.sites.services import embed_thread
from broadsheet.web.client import viewer_for
from broadsheet.web.errors import domain_error_response
from broadsheet.web.views.discussion import discussion_context

TOKEN_FIELD = "embed_token"  # noqa: S105 (a form field's name)


def _framable_by(response: HttpResponse, hosts: list[str]) -> HttpResponse:
    """Lets the pages of these hosts (and only them) frame the response."""
    response["Content-Security-Policy"] = "frame-ancestors " + " ".join(hosts)
    response["Cache-Control"] = "private, no-store"
    response.xframe_options_exempt = True
    return response


def keep_opener(response: HttpResponse) -> HttpResponse:
    """The sign-in popup's pages: the embed frame that opened the popup sits in another
    site's page, and `Cross-Origin-Opener-Policy: same-origin` (the site's default) would
    cut the popup off from it, so the token could not be handed over."""
    response["Cross-Origin-Opener-Policy"] = "unsafe-none"
    return response


@require_GET
def entry(request: HttpRequest) -> HttpResponse:
    """Where embed.js points the iframe: the page's thread (created on its first view)."""
    try:
        thread = embed_thread(
            url=request.GET.get("url", ""), title=request.GET.get("title", "")[:1000]
        )
    except BroadsheetError as error:
        return domain_error_response(request, error)
    target = reverse("web:embed-thread", args=[thread.pk])
    # The frame finds the page around it by this when the browser has no ancestorOrigins.
    params = {"origin": request.GET.get("origin", "")[:300]}
    if request.GET.get("comment", "").isdigit():
        params["comment"] = request.GET["comment"]
    return redirect(f"{target}?{urlencode(params)}")


def _identify(request: HttpRequest) -> bool:
    """Renders the page for the token a frame POSTs (see embed-frame.js); False when the
    token was refused (forged, expired, its user's password changed, or posted from another
    site's page, which could otherwise show a reader the page as someone else)."""
    token = request.POST.get(TOKEN_FIELD)
    ours = urlsplit(request.headers.get("Origin", "")).netloc == request.get_host()
    identity = embed_tokens.read_token(token) if token and ours else None
    if identity is not None:
        request.user = identity.user or AnonymousUser()
        request.embed_guest_key = identity.guest_key
    return identity is not None or not token


@csrf_exempt  # POST only carries the frame's token to render a page; it changes nothing
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    token_refused = request.method == "POST" and not _identify(request)
    viewer = viewer_for(request)
    try:
        item = discussion.thread_get(thread_id=thread_id, viewer=viewer)
        site = sites.site_for_thread(item)
        if site is None:
            raise Forbidden("This discussion can't be embedded.", code="site_not_allowed")
        hosts = sites.site_hosts(site)
        query = (request.GET if request.method == "GET" else request.POST).copy()
        focus = query.get("comment", "")
        if focus.isdigit():
            # After posting, the frame comes back to the page holding the new comment.
            comment = discussion.comment_get(comment_id=int(focus), viewer=viewer)
            if comment.thread_id == item.pk:
                query["page"] = str(discussion.root_page_number(comment=comment, viewer=viewer))
        discussion_part = discussion_context(request, item, viewer, query=query)
    except BroadsheetError as error:
        return domain_error_response(request, error)
    context = {
        **discussion_part,
        "site": site,
        "site_hosts": hosts,
        "page_url": item.key,
        "focus": focus if focus.isdigit() else "",
        "token_refused": token_refused,
        # Handed back to the frame, whose storage the browser may not keep (see embed-frame.js).
        "token": request.POST.get(TOKEN_FIELD, "") if request.method == "POST" else "",
    }
    return _framable_by(render(request, "embed/thread.html", context), hosts)


@require_GET
def session(request: HttpRequest) -> JsonResponse:
    """The frame's token: the signed-in user's when the browser sent our session cookie
    (third-party cookies allowed), else a guest's (the cookie's guest, or a new one)."""
    viewer = viewer_for(request)
    if viewer.user is not None and request.GET.get("guest") != "1":
        token = embed_tokens.sign_user(viewer.user)
        body = {"token": token, "signed_in": True, "name": viewer.user.display_name}
    else:
        key = viewer.guest_key or guests.new_guest_key()
        body = {"token": embed_tokens.sign_guest(key), "signed_in": False, "name": ""}
    response = JsonResponse(body)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def sign_in(request: HttpRequest) -> HttpResponse:
    """The popup the frame opens to sign in: first-party, so the login works with any cookie
    setting; once signed in it hands the frame a token by postMessage to our own origin."""
    if not request.user.is_authenticated:
        return keep_opener(redirect_to_login(request.get_full_path()))
    name = request.user.display_name
    handover = {"type": "broadsheet:signed-in", "token": embed_tokens.sign_user(request.user)}
    context = {"name": name, "handover": handover | {"name": name}}
    response = render(request, "embed/signed_in.html", context)
    response["Cache-Control"] = "no-store"
    return keep_opener(response)


HOST_SCRIPTS = {"embed.js": "broadsheet/embed.js", "count.js": "broadsheet/count.js"}


@cache
def _script_source(name: str) -> bytes:
    return Path(finders.find(HOST_SCRIPTS[name])).read_bytes()


@require_GET
def host_script(request: HttpRequest, name: str) -> HttpResponse:
    """embed.js and count.js at the short addresses other sites put in their pages: these
    names never change, so they are cached briefly (the static copies are fingerprinted)."""
    response = HttpResponse(_script_source(name), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def example(request: HttpRequest) -> HttpResponse:
    """A stand-in for another site's page, for trying the embed on one machine (README)."""
    host = example_embedding_host(settings.BROADSHEET_SITE_URL)
    if host is None:
        return domain_error_response(request, NotFound("There is no example on this site."))
    example_url = f"{urlsplit(settings.BROADSHEET_SITE_URL).scheme}://{host}{request.path}"
    return render(request, "embed/example.html", {"example_url": example_url})
