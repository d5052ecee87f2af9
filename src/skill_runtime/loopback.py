"""Whether a host name is this machine: plain http and local probes are allowed only there.

Shared by the cloud connection (a bearer token) and the local translators (a
transcript, a downloaded pack), which must not import each other.
"""

from __future__ import annotations

import ipaddress

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
