import pytest

from broadsheet.classifiers.links import blocked_domains, extract_links, is_blocked


def test_urls_and_bare_domains():
    links = extract_links("See https://www.example.org/a?b=1, www.news.co.uk and shop.xyz/deal.")
    assert links.domains == ("example.org", "news.co.uk", "shop.xyz")
    assert links.count == 3


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("visit cheapmeds dot com today", "cheapmeds.com"),
        ("shop (dot) co (dot) uk", "shop.co.uk"),
        ("deals[.]net", "deals.net"),
        ("w w w . easycash . xyz", None),  # spelled out with spaces and dots: see below
    ],
)
def test_obfuscated_domains(text, host):
    links = extract_links(text)
    if host is None:
        assert links.count >= 1
    else:
        assert links.obfuscated == (host,)


@pytest.mark.parametrize(
    "text",
    ["e.g. the U.S. and Mr.Smith", "It rose 3.5 percent", "the dot com bubble", "i.e. no"],
)
def test_things_that_are_not_links(text):
    assert extract_links(text).count == 0


def test_emails_are_counted_apart():
    links = extract_links("write to joe@example.com")
    assert links.emails == 1 and links.count == 0


def test_blocked_domain_and_subdomains():
    assert is_blocked("bit.ly", ["bit.ly"])
    assert is_blocked("go.spam.example", ["spam.example"])
    assert not is_blocked("notspam.example", ["spam.example"])
    links = extract_links("https://bit.ly/x and bbc.co.uk")
    assert blocked_domains(links, ["bit.ly"]) == ("bit.ly",)
