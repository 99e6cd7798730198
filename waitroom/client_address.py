"""Where a request came from, for the audit trail and for sign-in rate limits.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only when the
connection comes from a proxy named in `TRUSTED_PROXIES`, and then only as far back as the chain
of trusted proxies goes: the client is the right-most address that is not one of ours. Anything
that is not an IP address is ignored, so a forged header can neither fake the address nor break
the request. See docs/adr/0014-client-address-from-trusted-proxies.md.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(values: list[str]) -> tuple[Network, ...]:
    """Addresses or networks (`10.0.0.0/8`, `::1`), refusing anything else at start-up."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values if value)


@cache
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_trusted_proxies(list(values))


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is still an IPv4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address as a string, or None when even the connection has none."""
    trusted = _trusted(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    connecting = _address(request.META.get("REMOTE_ADDR", ""))
    if connecting is None:
        return None

    def is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address in network for network in trusted)

    client = connecting
    if is_trusted(connecting):
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for hop in reversed(hops):
            address = _address(hop)
            if address is None:
                # A proxy of ours never writes this: someone before it did. Stop believing.
                break
            client = address
            if not is_trusted(address):
                break
    return str(client)
