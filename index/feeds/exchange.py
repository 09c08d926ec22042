"""One HTTP exchange's guards: its body decoded and counted as it comes, its deadline.

`Body` decodes gzip or deflate (one layer) a chunk at a time, never more than
the cap past what was read; `Exchange` keeps the connection's socket (from
httpx's trace extension) so a watchdog, or `PoliteClient.abort()`, can shut it
however slowly the server drips.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import zlib
from typing import Any


class Body:
    """The body as it arrives, decoded (gzip or deflate, one layer) and counted."""

    def __init__(self, encoding: str, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.data = bytearray()
        self._encoding = encoding
        self._head = b""
        """The first bytes of a deflate body, until there are two to tell its kind by."""
        self._zlib: Any = self._gzip() if encoding in ("gzip", "x-gzip") else None

    @staticmethod
    def _gzip() -> Any:
        return zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, raw: bytes) -> bool:
        """Take the next bytes read; False once the decoded body is over its cap."""
        try:
            self._feed(raw)
        except _OverCap:
            return False
        return True

    def _feed(self, raw: bytes) -> None:
        if self._encoding == "deflate" and self._zlib is None:
            self._head += raw
            if len(self._head) < 2:
                return
            # "deflate" is zlib-wrapped by the standard, raw by some servers: the header says
            head = self._head
            wrapped = (head[0] & 0x0F) == 8 and (head[0] << 8 | head[1]) % 31 == 0
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
            raw, self._head = head, b""
        if self._zlib is None:
            self._add(raw)
            return
        while raw:
            room = self.max_bytes - len(self.data)
            self._add(self._zlib.decompress(raw, room + 1))
            while self._zlib.unconsumed_tail:  # more decodes from these bytes: never at once
                room = self.max_bytes - len(self.data)
                self._add(self._zlib.decompress(self._zlib.unconsumed_tail, room + 1))
            raw = b""
            if self._zlib.eof and self._zlib.unused_data and self._encoding != "deflate":
                raw = self._zlib.unused_data  # another gzip member follows: read it too
                self._zlib = self._gzip()

    def finish(self) -> None:
        """The body ended: an encoded one must have ended its stream (else it was cut)."""
        if self._encoding == "deflate" and self._zlib is None and self._head:
            raise zlib.error("a deflate body of one byte")
        if self._zlib is not None and not self._zlib.eof:
            raise zlib.error("the encoded body ended before its end")

    def _add(self, decoded: bytes) -> None:
        if len(self.data) + len(decoded) > self.max_bytes:
            raise _OverCap
        self.data += decoded


class _OverCap(Exception):
    """Inside `Body`: the decoded bytes passed the cap (never leaves the module)."""


class Exchange:
    """One request's socket and deadline: the watchdog shuts the socket when time is up."""

    def __init__(self, deadline: float) -> None:
        self.expired = False
        self.stopped = False
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(deadline, self.expire)
        self._timer.daemon = True

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpx's trace extension: keep the connection's socket once it is made."""
        if event.endswith(("connect_tcp.complete", "start_tls.complete")):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            with self._lock:
                self._socket = sock
            if self.expired or self.stopped:
                self._shut()

    def start(self) -> None:
        self._timer.start()

    def finish(self) -> None:
        self._timer.cancel()

    def expire(self) -> None:
        self.expired = True
        self._shut()

    def stop(self) -> None:
        self.stopped = True
        self._shut()

    def _shut(self) -> None:
        with self._lock:
            sock = self._socket
        if sock is not None:
            with contextlib.suppress(OSError):  # closed already
                sock.shutdown(socket.SHUT_RDWR)
