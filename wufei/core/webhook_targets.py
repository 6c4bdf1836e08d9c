"""Where webhooks may be posted: public internet addresses only, unless the operator allows more.

A webhook URL is typed by a party's administrator and fetched by our server, so without a check
it could make the server post into its own network (server-side request forgery): the
database, a cloud metadata service at 169.254.169.254, an admin port on 127.0.0.1. Every
address the host resolves to must be a global unicast address (not private, loopback,
link-local, multicast, reserved or unspecified). The check runs when an endpoint is created and
again before every delivery, so a name that later resolves inward is refused then too. A test
or an on-premises installation whose parties' systems sit on a private network sets
`WUFEI_WEBHOOK_ALLOW_PRIVATE=1`.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


def _addresses(host: str, port: int) -> list[str]:
    try:
        return [ipaddress.ip_address(host).compressed]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def webhook_target_refusal(url: str, *, resolve: bool = True) -> str | None:
    """Why `url` may not receive webhooks, or None when it may.

    With `resolve=False` only an address written in the URL itself is judged (a host name that
    does not resolve yet is accepted at creation and checked again at delivery).
    """
    if getattr(settings, "WUFEI_WEBHOOK_ALLOW_PRIVATE", False):
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").strip("[]")
    if not host:
        return "no host"
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return f"{host} is this server"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = _addresses(host, port)
    except (OSError, UnicodeError):
        if resolve:
            return f"{host} does not resolve"
        return None
    for text in addresses:
        address = ipaddress.ip_address(text)
        mapped = getattr(address, "ipv4_mapped", None)
        if mapped is not None:
            address = mapped
        if not address.is_global or address.is_multicast:
            return f"{host} resolves to {text}, which is not a public internet address"
    return None
