"""HTTP as a good citizen: one request at a time per host, a pause between them, caps.

Every request briefing makes (feeds, their articles' pages, feed discovery)
goes through one `PoliteClient`, which

- sends at most one request at a time to a host, and waits HOST_GAP seconds
  (with jitter) between two requests to it; at most CONCURRENCY hosts at once;
- follows at most MAX_REDIRECTS redirects itself, each through the same
  gate, noting whether all were permanent (301, 308: the feed moved);
- goes only where the user pointed (`where.py`): http(s) only, and to a
  loopback, link-local or private address only on the host and port of the
  URL the user gave (the feed, for its items' pages);
- decodes the body itself, one Content-Encoding layer at most, counting the
  decoded bytes against `max_bytes` as they come (a stacked or bomb-sized
  body is refused before it is in memory);
- gives each exchange one deadline, connect to last byte: a watchdog shuts
  the socket when it passes, however slowly the status line or headers drip;
  `abort()` does the same to every exchange at once (the app quitting);
- leaves a host that answered 429 or 503 alone for the rest of the fetch
  (its `Retry-After`, at least MIN_HOST_WAIT): no more of its pages are asked;
- never raises for a network problem or a bad URL: `Response.error` says why.

Nothing else in briefing imports httpx.
"""

from __future__ import annotations

import email.utils
import importlib.metadata
import random
import threading
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from .exchange import Body, Exchange
from .where import Destinations

CONCURRENCY = 4
"""Hosts asked at once."""
HOST_GAP = 1.0
"""Seconds between two requests to one host (plus up to 25% jitter)."""
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
DEADLINE = 60.0
"""Seconds one request may take in all, however slowly the server sends."""
MAX_REDIRECTS = 5
STOPPED = "stopped"
"""`Response.error` of an exchange ended by `abort()`."""
FEED_BYTES = 10 << 20
PAGE_BYTES = 5 << 20


def _version() -> str:
    try:
        return importlib.metadata.version("briefing")
    except importlib.metadata.PackageNotFoundError:
        return "0"


USER_AGENT = f"briefing/{_version()} (a personal feed reader)"
MIN_HOST_WAIT = 60.0
"""Seconds a host that answered 429 or 503 is left alone, at least, in one fetch."""
MAX_RETRY_AFTER = 7 * 24 * 3600.0
"""The longest wait a `Retry-After` may ask for; anything longer is taken as this."""
PERMANENT = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass
class Response:
    """What one GET gave: the final status, headers and body, or why there is none."""

    url: str
    """The URL asked for."""
    final_url: str
    status: int = 0
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    moved_to: str | None = None
    """The new URL when every redirect on the way was permanent."""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and 200 <= self.status < 300


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds a `Retry-After` header asks for (ASCII digits or an HTTP-date), if any.

    Anything else (`²`, a year 99999999999, a negative number) is no answer;
    a wait longer than MAX_RETRY_AFTER is cut to it.
    """
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return min(float(value) if len(value) < 16 else MAX_RETRY_AFTER, MAX_RETRY_AFTER)
    if not value.isascii() or len(value) > 64:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
        seconds = when.timestamp() - now
    except (TypeError, ValueError, IndexError, OverflowError, OSError):
        return None
    if when.tzinfo is None:
        return None
    return min(max(0.0, seconds), MAX_RETRY_AFTER)


class PoliteClient:
    """One HTTP client for a fetch: shared by its threads, polite to every host."""

    def __init__(
        self,
        user_agent: str = USER_AGENT,
        host_gap: float = HOST_GAP,
        deadline: float = DEADLINE,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.user_agent = user_agent
        self.host_gap = host_gap
        self.deadline = deadline
        # No keep-alive: each exchange opens its own connection, so its watchdog has the socket.
        self._client = httpx.Client(
            timeout=TIMEOUT,
            follow_redirects=False,
            transport=transport,
            trust_env=True,
            headers={"Accept-Encoding": "gzip, deflate"},
            limits=httpx.Limits(max_keepalive_connections=0),
        )
        self._aborted = threading.Event()
        self._open: set[Exchange] = set()
        self.destinations = Destinations()
        self._slots = threading.BoundedSemaphore(CONCURRENCY)
        self._hosts: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._table = threading.Lock()
        self._waits: dict[str, float] = {}
        """Hosts that answered 429 or 503, until when (monotonic) they are left alone."""

    def get(
        self,
        url: str,
        headers: Mapping[str, str] | None = None,
        max_bytes: int = FEED_BYTES,
        user_agent: str = "",
        pointed: str | None = None,
    ) -> Response:
        """GET `url`, following redirects, politely; never raises for the network.

        `pointed` is the URL the user gave when `url` came from elsewhere (an
        item's link: the feed's URL); internal addresses are allowed only on
        its host and port (see `where.py`).
        """
        sent = {"User-Agent": user_agent or self.user_agent, **(headers or {})}
        response = Response(url, url)
        permanent = True
        current = url
        anchor = pointed or url
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                host = (urlsplit(current).hostname or "").lower()
            except ValueError as bad:
                response.error = f"not a usable URL: {bad}"
                return response
            refused = self.destinations.refusal(current, anchor)
            if refused:
                response.final_url, response.error = current, refused
                return response
            waiting = self._waits.get(host, 0.0) - time.monotonic()
            if waiting > 0:
                response.final_url = current
                response.error = f"{host} asked to wait {waiting:.0f} s more (HTTP 429 or 503)"
                return response
            status, got_headers, body, error = self._one(current, sent, max_bytes)
            if status in (429, 503):  # the host is busy: nothing more is asked of it for now
                wait = retry_after(got_headers.get("retry-after"), time.time())
                self._waits[host] = time.monotonic() + max(MIN_HOST_WAIT, wait or 0.0)
            response.status, response.headers, response.body = status, got_headers, body
            response.final_url, response.error = current, error
            if error or status not in REDIRECTS:
                break
            location = got_headers.get("location")
            if not location:
                response.error = f"HTTP {status} without a Location"
                break
            permanent = permanent and status in PERMANENT
            try:
                target = urljoin(current, location)
                scheme = urlsplit(target).scheme
            except ValueError:
                response.error = f"redirected to an unusable URL {location!r}"
                break
            if scheme not in ("http", "https"):
                response.error = f"redirected to {target!r}, not http(s)"
                break
            refused = self.destinations.refusal(target, anchor)
            if refused:
                response.error = f"redirected to {target}: {refused}"
                break
            current = target
        else:
            response.error = f"more than {MAX_REDIRECTS} redirects"
        if response.error is None and current != url and permanent:
            response.moved_to = current
        return response

    def _one(
        self, url: str, headers: Mapping[str, str], max_bytes: int
    ) -> tuple[int, Mapping[str, str], bytes, str | None]:
        host = (urlsplit(url).hostname or "").lower()  # checked by `get`
        with self._slots, self._host_lock(host):
            self._wait_turn(host)
            try:
                return self._read(url, headers, max_bytes)
            finally:
                with self._table:
                    self._last[host] = time.monotonic()

    def _read(
        self, url: str, headers: Mapping[str, str], max_bytes: int
    ) -> tuple[int, Mapping[str, str], bytes, str | None]:
        exchange = Exchange(self.deadline)
        with self._table:
            if self._aborted.is_set():
                return 0, {}, b"", STOPPED
            self._open.add(exchange)
        exchange.start()
        status, got = 0, {}
        try:
            with self._client.stream(
                "GET", url, headers=dict(headers), extensions={"trace": exchange.trace}
            ) as answer:
                status = answer.status_code
                got = {key.lower(): value for key, value in answer.headers.items()}
                declared = got.get("content-length", "")
                if declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
                    return status, got, b"", _too_large(max_bytes)
                layers = [
                    layer.strip().lower()
                    for layer in got.get("content-encoding", "").split(",")
                    if layer.strip().lower() not in ("", "identity")
                ]
                if len(layers) > 1:
                    return (
                        status,
                        got,
                        b"",
                        (
                            f"the body is encoded {len(layers)} times over "
                            f"({', '.join(layers)}); not read"
                        ),
                    )
                if layers and layers[0] not in ("gzip", "x-gzip", "deflate"):
                    return status, got, b"", f"the body is encoded as {layers[0]!r}; not read"
                body = Body(layers[0] if layers else "", max_bytes)
                for raw in answer.iter_raw():
                    if not body.feed(raw):
                        return status, got, b"", _too_large(max_bytes)
                body.finish()
                if exchange.stopped or exchange.expired:  # a body that ends at close: cut short
                    raise httpx.ReadError("the exchange was cut short")
                return status, got, bytes(body.data), None
        except zlib.error:
            return status, got, b"", "the body is not the gzip or deflate it says it is"
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as error:
            if exchange.stopped:
                return 0, {}, b"", STOPPED
            if exchange.expired:
                return 0, {}, b"", f"took longer than {self.deadline:.0f} s"
            if isinstance(error, httpx.TimeoutException):
                return 0, {}, b"", "timed out"
            reason = " ".join(str(error).split()) or "the connection failed"
            return 0, {}, b"", f"cannot fetch: {reason}"
        finally:
            exchange.finish()
            with self._table:
                self._open.discard(exchange)

    def _host_lock(self, host: str) -> threading.Lock:
        with self._table:
            return self._hosts.setdefault(host, threading.Lock())

    def _wait_turn(self, host: str) -> None:
        """Sleep until HOST_GAP (with jitter) has passed since the host's last answer."""
        with self._table:
            last = self._last.get(host)
        if last is None:
            return
        gap = self.host_gap * random.uniform(1.0, 1.25)
        wait = last + gap - time.monotonic()
        if wait > 0:
            self._aborted.wait(wait)

    def begin(self) -> None:
        """A new fetch: exchanges may start again after an `abort()`."""
        self._aborted.clear()

    def abort(self) -> None:
        """Stop every exchange now (their reads fail at once) and start no more until
        `begin()`."""
        with self._table:
            self._aborted.set()
            exchanges = list(self._open)
        for exchange in exchanges:
            exchange.stop()

    def close(self) -> None:
        self._client.close()


def _too_large(max_bytes: int) -> str:
    return f"larger than {max_bytes / (1 << 20):.0f} MB; not read"
