"""HTTP as a good citizen: one request at a time per host, a pause between them, caps.

Every request briefing makes (feeds, their articles' pages, feed discovery)
goes through one `PoliteClient`, which

- sends at most one request at a time to a host, and waits HOST_GAP seconds
  (with jitter) between two requests to it; at most CONCURRENCY hosts at once;
- follows at most MAX_REDIRECTS redirects itself, each through the same
  gate, noting whether all were permanent (301, 308: the feed moved);
- stops reading at `max_bytes` (the body as decoded, gzip or deflate) and at
  a total deadline, so a slow or huge answer cannot hold a fetch;
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
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

CONCURRENCY = 4
"""Hosts asked at once."""
HOST_GAP = 1.0
"""Seconds between two requests to one host (plus up to 25% jitter)."""
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
DEADLINE = 60.0
"""Seconds one request may take in all, however slowly the server sends."""
MAX_REDIRECTS = 5
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
    """Seconds a `Retry-After` header asks for (delay-seconds or an HTTP-date), if any."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


class PoliteClient:
    """One HTTP client for a fetch: shared by its threads, polite to every host."""

    def __init__(self, user_agent: str = USER_AGENT, host_gap: float = HOST_GAP,
                 deadline: float = DEADLINE,
                 transport: httpx.BaseTransport | None = None) -> None:  # fmt: skip
        self.user_agent = user_agent
        self.host_gap = host_gap
        self.deadline = deadline
        self._client = httpx.Client(
            timeout=TIMEOUT, follow_redirects=False, transport=transport, trust_env=True,
            headers={"Accept-Encoding": "gzip, deflate"},
        )  # fmt: skip
        self._slots = threading.BoundedSemaphore(CONCURRENCY)
        self._hosts: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._table = threading.Lock()
        self._waits: dict[str, float] = {}
        """Hosts that answered 429 or 503, until when (monotonic) they are left alone."""

    def get(self, url: str, headers: Mapping[str, str] | None = None,
            max_bytes: int = FEED_BYTES, user_agent: str = "") -> Response:  # fmt: skip
        """GET `url`, following redirects, politely; never raises for the network."""
        sent = {"User-Agent": user_agent or self.user_agent, **(headers or {})}
        response = Response(url, url)
        permanent = True
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                host = (urlsplit(current).hostname or "").lower()
            except ValueError as bad:
                response.error = f"not a usable URL: {bad}"
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
            current = target
        else:
            response.error = f"more than {MAX_REDIRECTS} redirects"
        if response.error is None and current != url and permanent:
            response.moved_to = current
        return response

    def _one(self, url: str, headers: Mapping[str, str],
             max_bytes: int) -> tuple[int, Mapping[str, str], bytes, str | None]:  # fmt: skip
        host = (urlsplit(url).hostname or "").lower()  # checked by `get`
        with self._slots, self._host_lock(host):
            self._wait_turn(host)
            try:
                return self._read(url, headers, max_bytes)
            finally:
                with self._table:
                    self._last[host] = time.monotonic()

    def _read(self, url: str, headers: Mapping[str, str],
              max_bytes: int) -> tuple[int, Mapping[str, str], bytes, str | None]:  # fmt: skip
        started = time.monotonic()
        try:
            with self._client.stream("GET", url, headers=dict(headers)) as answer:
                got = {key.lower(): value for key, value in answer.headers.items()}
                declared = got.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    return answer.status_code, got, b"", _too_large(max_bytes)
                chunks: list[bytes] = []
                size = 0
                for chunk in answer.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        return answer.status_code, got, b"", _too_large(max_bytes)
                    if time.monotonic() - started > self.deadline:
                        return (
                            answer.status_code,
                            got,
                            b"",
                            (f"took longer than {self.deadline:.0f} s"),
                        )
                    chunks.append(chunk)
                return answer.status_code, got, b"".join(chunks), None
        except httpx.TimeoutException:
            return 0, {}, b"", "timed out"
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as error:
            reason = " ".join(str(error).split()) or type(error).__name__
            return 0, {}, b"", f"cannot fetch: {reason}"

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
            time.sleep(wait)

    def close(self) -> None:
        self._client.close()


def _too_large(max_bytes: int) -> str:
    return f"larger than {max_bytes / (1 << 20):.0f} MB; not read"
