"""Client addresses: trusted proxies only, IPv6 by /64, never stored raw."""

from broadsheet.core.addresses import address_hash, address_network, resolve_client_address


def test_untrusted_client_cannot_spoof_forwarded_for():
    assert resolve_client_address("203.0.113.9", "1.1.1.1", trusted_proxies=[]) == "203.0.113.9"
    assert resolve_client_address("203.0.113.9", "1.1.1.1", ["10.0.0.1"]) == "203.0.113.9"


def test_trusted_proxy_forwards_the_first_untrusted_hop_from_the_right():
    trusted = ["10.0.0.1", "10.0.0.2"]
    header = "6.6.6.6, 198.51.100.7, 10.0.0.2"
    # The client may prepend anything; the hop the trusted proxy saw wins.
    assert resolve_client_address("10.0.0.1", header, trusted) == "198.51.100.7"


def test_trusted_proxy_without_header_is_the_client():
    assert resolve_client_address("10.0.0.1", None, ["10.0.0.1"]) == "10.0.0.1"


def test_ipv6_is_grouped_by_its_64():
    a = address_network("2001:db8:1:2:aaaa::1")
    b = address_network("2001:db8:1:2:bbbb::2")
    c = address_network("2001:db8:1:3::1")
    assert a == b == "2001:db8:1:2::/64"
    assert a != c
    assert address_network("::ffff:192.0.2.1") == "192.0.2.1"


def test_hash_is_keyed_stable_and_hides_the_address(settings):
    h1 = address_hash("192.0.2.1")
    assert h1 == address_hash("192.0.2.1") and "192.0.2.1" not in h1 and len(h1) == 32
    assert address_hash("2001:db8::1") == address_hash("2001:db8::ffff")
    settings.SECRET_KEY = "another-secret-" + "y" * 40
    assert address_hash("192.0.2.1") != h1
