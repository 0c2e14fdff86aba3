"""Links in comment text: URLs, bare domains and spelled-out ones ("shop dot com").

Spam hides its links from link rules by writing "cheapmeds dot com" or
"example[.]net"; both count as links here. A bare "word.tld" counts only for a
known top-level domain, so "e.g.", "U.S." and "Mr.Smith" are not links.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Common and spam-favoured top-level domains (not the full IANA list: a bare
# "word.tld" with an unknown ending is more often a typo than a link).
_TLD_TEXT = """
    com net org info biz io co uk us ca au nz ie eu de fr es it nl be ch at se no dk fi pl ru ua
    in cn jp kr br mx ar za ng ke gov edu mil int me tv cc ly gg app dev ai xyz top site online
    shop store club live life news blog click link win bid loan icu cam buzz tk ml ga cf gq
    pw ws su to vip fun space website tech pro mobi asia
"""
TLDS = frozenset(_TLD_TEXT.split())
# TLDs that, in comment sections, mostly carry spam.
_SPAMMY_TEXT = "xyz top click link win bid loan icu cam buzz tk ml ga cf gq pw su vip fun ws"
SPAMMY_TLDS = frozenset(_SPAMMY_TEXT.split())
_SHORTENER_TEXT = "bit.ly tinyurl.com t.co goo.gl ow.ly is.gd cutt.ly rb.gy buff.ly shorturl.at"
_SHORTENER_TEXT += " t.me"
SHORTENERS = frozenset(_SHORTENER_TEXT.split())

_TLD = "|".join(sorted(TLDS, key=len, reverse=True))
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_BARE = re.compile(
    rf"(?<![\w@.-])((?:{_LABEL}\.)+(?:{_TLD}))(?![\w-]|\.[a-z0-9])(/[^\s<>\"']*)?", re.IGNORECASE
)
_EMAIL = re.compile(r"[\w.+-]+@((?:[\w-]+\.)+[a-z]{2,})", re.IGNORECASE)
# "dot" spelled out, bracketed or spaced: "shop dot com", "shop (dot) co (dot) uk",
# "shop[.]com", "shop . com".
_DOT = r"(?:\s*(?:\(\s*dot\s*\)|\[\s*dot\s*\]|\{\s*dot\s*\}|\[\.\]|\(\.\)|\bdot\b)\s*|\s+\.\s+)"
_OBFUSCATED = re.compile(rf"\b({_LABEL}(?:{_DOT}{_LABEL})*){_DOT}({_TLD})\b", re.IGNORECASE)
_NOT_A_HOST = frozenset({"the", "a", "an", "of", "and", "or", "this", "that", "is", "connect"})


@dataclass(frozen=True)
class Links:
    """What a text links to; `count` is what link rules limit."""

    urls: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()  # lowercase host names, "www." dropped, in order
    obfuscated: tuple[str, ...] = ()  # hosts written as "name dot tld"
    emails: int = 0

    @property
    def count(self) -> int:
        return len(self.domains)


def _host(url: str) -> str:
    host = re.sub(r"^(?:https?://)", "", url, flags=re.IGNORECASE)
    host = re.split(r"[/?#:]", host, maxsplit=1)[0].lower().rstrip(".")
    host = host.rsplit("@", 1)[-1]
    return host.removeprefix("www.")


def extract_links(text: str) -> Links:
    """Every link-like thing in the text, each host counted once per occurrence."""
    urls: list[str] = []
    domains: list[str] = []
    rest = text
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:!?")
        urls.append(url)
        domains.append(_host(url))
    rest = _URL.sub(" ", rest)
    emails = len(_EMAIL.findall(rest))
    rest = _EMAIL.sub(" ", rest)
    for match in _BARE.finditer(rest):
        host = match.group(1).lower().removeprefix("www.")
        urls.append(match.group(0))
        domains.append(host)
    rest = _BARE.sub(" ", rest)
    obfuscated: list[str] = []
    for match in _OBFUSCATED.finditer(rest):
        labels = re.split(_DOT, match.group(0), flags=re.IGNORECASE)
        labels = [label.strip().lower() for label in labels if label.strip()]
        if labels[0] in _NOT_A_HOST:
            continue
        host = ".".join(labels).removeprefix("www.")
        obfuscated.append(host)
        domains.append(host)
    return Links(tuple(urls), tuple(domains), tuple(obfuscated), emails)


def without_links(text: str) -> str:
    """The text with its addresses taken out (the comment model reads words, not links)."""
    if "." not in text:
        return text
    return _BARE.sub(" ", _URL.sub(" ", _EMAIL.sub(" ", text)))


def is_blocked(host: str, blocked: Iterable[str]) -> bool:
    """True when the host is a blocked domain or one of its subdomains."""
    host = host.lower().removeprefix("www.")
    return any(host == d or host.endswith("." + d) for d in blocked)


def blocked_domains(links: Links, blocked: Iterable[str]) -> tuple[str, ...]:
    blocked = tuple(d.lower().removeprefix("www.") for d in blocked)
    return tuple(host for host in links.domains if is_blocked(host, blocked))


def tld(host: str) -> str:
    return host.rsplit(".", 1)[-1]
