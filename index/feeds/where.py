"""Where a request may go: only where the user pointed.

A feed's items link to pages and servers redirect; either could point
briefing at a service on the user's own machine or network (a router's admin
page, a database's HTTP port) and import what it answers. So a request goes
over http(s) only, to a URL without control or invisible characters, and to
an internal address (loopback, private, link-local: anything not globally
reachable) only on the address and port of the URL the user gave — a feed
served from 127.0.0.1:8080 may link to its own pages there, not to :8081.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable
from urllib.parse import urlsplit

from ..sanitize import unsafe_url

Resolver = Callable[[str], frozenset[str]]


def resolve(host: str) -> frozenset[str]:
    """The addresses a host name stands for (none when it cannot be resolved)."""
    try:
        return frozenset(str(info[4][0]) for info in socket.getaddrinfo(host, None))
    except (OSError, UnicodeError, ValueError):
        return frozenset()


class Destinations:
    """Says whether a URL may be fetched, given the URL the user pointed at."""

    def __init__(self, resolver: Resolver = resolve) -> None:
        self._resolver = resolver
        self._addresses: dict[str, frozenset[str]] = {}
        self._lock = threading.Lock()

    def refusal(self, url: str, pointed: str) -> str | None:
        """Why `url` may not be fetched when the user pointed at `pointed`; None if it may."""
        if unsafe_url(url):
            return "the URL holds spaces, control or invisible characters; not fetched"
        try:
            parts = urlsplit(url)
            host, port = (parts.hostname or "").lower(), parts.port
        except ValueError:
            return "not a usable URL"
        if parts.scheme not in ("http", "https"):
            return f"only http and https are fetched, not {parts.scheme or 'this'}"
        if not host:
            return "the URL names no host"
        addresses = self._addresses_of(host)
        if not addresses:
            return f"{host} cannot be resolved; not fetched"
        if not any(_internal(address) for address in addresses):
            return None
        if _same_place(url, pointed, self._addresses_of):
            return None
        where = f"{host}:{port}" if port else host
        return f"{where} is a local or private address the feed is not on; not fetched"

    def _addresses_of(self, host: str) -> frozenset[str]:
        with self._lock:
            known = self._addresses.get(host)
        if known is None:
            try:
                known = frozenset({str(ipaddress.ip_address(host.strip("[]")))})
            except ValueError:
                known = self._resolver(host)
            with self._lock:
                self._addresses[host] = known
        return known


def same_host(url: str, other: str) -> bool:
    """Both URLs name the same host and port, http→https on default ports included (a move
    between them needs no one's consent)."""
    try:
        one, two = urlsplit(url), urlsplit(other)
        if one.hostname != two.hostname:
            return False
        if one.port == two.port:
            return True
        return (one.port or _default(one.scheme)) == (two.port or _default(two.scheme))
    except ValueError:
        return False


def _internal(address: str) -> bool:
    try:
        return not ipaddress.ip_address(address.split("%")[0]).is_global
    except ValueError:
        return True


def _same_place(url: str, pointed: str, addresses: Callable[[str], frozenset[str]]) -> bool:
    """Both URLs reach the same address and port."""
    try:
        one, other = urlsplit(url), urlsplit(pointed)
        ports = (one.port or _default(one.scheme), other.port or _default(other.scheme))
    except ValueError:
        return False
    if ports[0] != ports[1] or not one.hostname or not other.hostname:
        return False
    here, there = addresses(one.hostname.lower()), addresses(other.hostname.lower())
    if not there or not all(_internal(address) for address in there):
        return False  # a feed with one public address grants nothing on private ones
    return bool(here & there)


def _default(scheme: str) -> int:
    return 443 if scheme == "https" else 80
