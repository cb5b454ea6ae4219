"""The client's address, the one way every rate limit, the login lockout (django-axes) and the access log see it.

Behind a reverse proxy REMOTE_ADDR is the proxy. XIEYU_TRUSTED_PROXIES (settings.TRUSTED_PROXIES) lists the proxies
whose X-Forwarded-For we believe, as IPs or CIDRs. When REMOTE_ADDR is one of them, the client is the right-most
X-Forwarded-For address that is not a trusted proxy: each proxy appends the address it received the request from,
so everything to the left of that point was written by the client and may be forged. Otherwise REMOTE_ADDR is the
client and X-Forwarded-For is ignored.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"XIEYU_TRUSTED_PROXIES: {entry!r} is not an IP address or CIDR") from exc
    return tuple(networks)


def _parse(value: str | None) -> Address | None:
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_address(request) -> str | None:
    """The client's IP address as text; None when not even REMOTE_ADDR is an address."""
    remote = _parse(getattr(request, "META", {}).get("REMOTE_ADDR"))
    if remote is None:
        return None
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not networks or not _trusted(remote, networks):
        return str(remote)
    client = remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse(hop)
        if address is None:  # garbage where an address should be: stop at the last address we trust
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
