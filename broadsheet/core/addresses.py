"""Client addresses: resolved through explicit trusted proxies, kept only as a keyed hash."""

import ipaddress
from collections.abc import Iterable

from django.utils.crypto import salted_hmac

_SALT = "broadsheet.core.addresses"


def resolve_client_address(
    remote_addr: str, forwarded_for: str | None, trusted_proxies: Iterable[str]
) -> str:
    """The client's address: REMOTE_ADDR unless it is a trusted proxy.

    X-Forwarded-For is read right to left, skipping trusted proxies; the first
    untrusted hop is the client. A spoofed header from a client that is not a
    trusted proxy is ignored entirely.
    """
    trusted = set(trusted_proxies)
    if remote_addr not in trusted or not forwarded_for:
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return hops[0] if hops else remote_addr


def address_network(address: str) -> str:
    """IPv4 as is; IPv6 by its /64, since one subscriber holds a whole /64."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip().lower()
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def address_hash(address: str) -> str:
    """HMAC of the address's network with a key derived from the site secret."""
    return salted_hmac(_SALT, address_network(address), algorithm="sha256").hexdigest()[:32]
