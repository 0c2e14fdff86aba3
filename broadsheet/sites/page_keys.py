"""The rules that turn a page's address into its discussion's key.

The same article is reached by many addresses: `HTTP://Blog.Example.com:443/a?utm_source=x#top`
and `https://blog.example.com/a` are one page, so they must be one thread. The rules
(README "Embedding"):

- scheme and host lower-cased; only http and https pages have discussions;
- the default port (80 for http, 443 for https), any user:password@ and the fragment dropped;
- tracking parameters removed: every `utm_*`, and `fbclid`, `gclid`, `dclid`, `gbraid`,
  `wbraid`, `msclkid`, `mc_cid`, `mc_eid`, `yclid`, `igshid`, `_ga`, `_gl`, `ref_src`;
  the other parameters keep their order;
- the trailing slash of the path kept as written, stripped, or added, as the site says
  (an empty path is always "/").
"""

from enum import StrEnum
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from broadsheet.core.errors import InvalidInput

MAX_URL_LENGTH = 500  # Thread.key's length

TRACKING_PARAMETERS = frozenset(
    {
        *("fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid"),
        *("yclid", "igshid", "_ga", "_gl", "ref_src"),
    }
)
DEFAULT_PORTS = {"http": 80, "https": 443}


class TrailingSlash(StrEnum):
    KEEP = "keep"
    STRIP = "strip"
    ADD = "add"


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_PARAMETERS


def _path(path: str, trailing_slash: TrailingSlash) -> str:
    if not path or path == "/":
        return "/"
    if trailing_slash == TrailingSlash.STRIP:
        return path.rstrip("/") or "/"
    if trailing_slash == TrailingSlash.ADD and not path.endswith("/"):
        last = path.rsplit("/", 1)[-1]
        # "/feed.xml" names a file: a slash would make it another address.
        return path if "." in last else path + "/"
    return path


def split_page_url(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of a page address, checked; raises InvalidInput when it is none."""
    url = url.strip()
    if not url or len(url) > 2000:
        raise InvalidInput("Give the page's address (up to 2,000 characters).", code="url_invalid")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InvalidInput("That is not a page address.", code="url_invalid") from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in DEFAULT_PORTS or not host:
        raise InvalidInput("Only http and https pages have discussions.", code="url_invalid")
    if port == DEFAULT_PORTS[scheme]:
        port = None
    return scheme, host, port


def host_with_port(host: str, port: int | None) -> str:
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"{host}:{port}" if port else host


def canonical_page_url(url: str, *, trailing_slash: TrailingSlash = TrailingSlash.KEEP) -> str:
    """The key of the page at `url`, by the rules above."""
    scheme, host, port = split_page_url(url)
    parts = urlsplit(url.strip())
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(name)
    ]
    canonical = urlunsplit(
        (
            scheme,
            host_with_port(host, port),
            _path(parts.path, TrailingSlash(trailing_slash)),
            urlencode(query, doseq=True),
            "",
        )
    )
    if len(canonical) > MAX_URL_LENGTH:
        raise InvalidInput(
            f"Page addresses longer than {MAX_URL_LENGTH} characters can't have a discussion.",
            code="url_too_long",
        )
    return canonical


def normalize_host(value: str) -> str:
    """A site domain as stored: lower case, host[:port], the default port dropped.

    Accepts a bare host (`Blog.Example.com`), a host with a port, or an origin
    (`https://blog.example.com`) and keeps only what identifies the host.
    """
    value = value.strip()
    if "://" not in value:
        value = f"https://{value}"
    _, host, port = split_page_url(value)
    if urlsplit(value).path not in ("", "/"):
        raise InvalidInput("Give a host, like blog.example.com, not a page.", code="host_invalid")
    return host_with_port(host, port)


def page_host(url: str) -> str:
    """The stored form of the host a page lives on: `split_page_url` with the port kept."""
    _, host, port = split_page_url(url)
    return host_with_port(host, port)
