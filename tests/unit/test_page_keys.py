"""The documented rules that key an embedded page's thread (README "Embedding")."""

import pytest

from broadsheet.core.errors import InvalidInput
from broadsheet.sites.page_keys import (
    TrailingSlash,
    canonical_page_url,
    normalize_host,
    page_host,
)


@pytest.mark.parametrize(
    ("given", "key"),
    [
        ("HTTPS://Blog.Example.COM/Post/", "https://blog.example.com/Post/"),
        ("https://blog.example.com:443/a", "https://blog.example.com/a"),
        ("http://blog.example.com:80/a", "http://blog.example.com/a"),
        ("http://blog.example.com:8080/a", "http://blog.example.com:8080/a"),
        ("https://blog.example.com/a#comments", "https://blog.example.com/a"),
        ("https://user:pw@blog.example.com/a", "https://blog.example.com/a"),
        ("https://blog.example.com", "https://blog.example.com/"),
        (
            "https://blog.example.com/a?utm_source=x&id=7&UTM_Medium=y&fbclid=1&gclid=2&page=2",
            "https://blog.example.com/a?id=7&page=2",
        ),
        ("https://blog.example.com/a?msclkid=1&_ga=2", "https://blog.example.com/a"),
        ("  https://blog.example.com/a  ", "https://blog.example.com/a"),
        ("https://[2001:DB8::1]:8443/a", "https://[2001:db8::1]:8443/a"),
    ],
)
def test_canonical_page_url_applies_the_rules(given, key):
    assert canonical_page_url(given) == key


def test_the_same_page_by_many_addresses_is_one_key():
    addresses = [
        "https://blog.example.com/story/?utm_campaign=mail",
        "HTTPS://BLOG.example.com:443/story/#c-12",
        "https://blog.example.com/story/?fbclid=abc",
    ]
    assert len({canonical_page_url(a) for a in addresses}) == 1


@pytest.mark.parametrize(
    ("rule", "given", "key"),
    [
        (TrailingSlash.KEEP, "https://b.example/a/", "https://b.example/a/"),
        (TrailingSlash.KEEP, "https://b.example/a", "https://b.example/a"),
        (TrailingSlash.STRIP, "https://b.example/a/", "https://b.example/a"),
        (TrailingSlash.STRIP, "https://b.example/", "https://b.example/"),
        (TrailingSlash.ADD, "https://b.example/a", "https://b.example/a/"),
        (TrailingSlash.ADD, "https://b.example/feed.xml", "https://b.example/feed.xml"),
    ],
)
def test_trailing_slash_follows_the_sites_rule(rule, given, key):
    assert canonical_page_url(given, trailing_slash=rule) == key


@pytest.mark.parametrize(
    "bad",
    ["", "not a url", "ftp://example.com/a", "javascript:alert(1)", "https://", "http://x:99999/"],
)
def test_what_is_no_page_address_is_refused(bad):
    with pytest.raises(InvalidInput):
        canonical_page_url(bad)


def test_an_overlong_key_is_refused_not_truncated():
    with pytest.raises(InvalidInput) as caught:
        canonical_page_url("https://b.example/" + "a" * 600)
    assert caught.value.code == "url_too_long"


@pytest.mark.parametrize(
    ("given", "host"),
    [
        ("Blog.Example.com", "blog.example.com"),
        ("https://blog.example.com", "blog.example.com"),
        ("localhost:8080", "localhost:8080"),
        ("blog.example.com:443", "blog.example.com"),
    ],
)
def test_site_domains_are_stored_in_one_form(given, host):
    assert normalize_host(given) == host


def test_a_domain_is_not_a_page():
    with pytest.raises(InvalidInput):
        normalize_host("https://blog.example.com/posts/")


def test_page_host_keeps_a_non_default_port():
    assert page_host("http://LOCALHOST:8123/x?y=1") == "localhost:8123"
