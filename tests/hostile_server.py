"""A server on 127.0.0.1 that misbehaves byte by byte, for the hostile-server tests.

Each path maps to a function that gets the connected socket after the request
line and headers were read, and writes whatever it likes: a status line one
byte a second, stacked encodings, a redirect to another port. Every request
is recorded. Nothing here reaches the internet.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable

Handler = Callable[[socket.socket], None]


class HostileServer:
    """`handlers` by path; `url(path)`; `hits` the paths asked for, in order."""

    def __init__(self) -> None:
        self.handlers: dict[str, Handler] = {}
        self.hits: list[str] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _address = self._listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            request = b""
            with contextlib.suppress(OSError):
                while b"\r\n\r\n" not in request and len(request) < 65536:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    request += chunk
            path = request.split(b" ", 2)[1].decode("latin-1") if b" " in request else "/"
            self.hits.append(path)
            handler = self.handlers.get(path, not_found)
            with contextlib.suppress(OSError):  # the client hung up: as it should, often
                handler(conn)

    def close(self) -> None:
        self._stopping.set()
        self._listener.close()
        self._thread.join(timeout=2)


def not_found(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def answer(status: str, headers: dict[str, str], body: bytes) -> Handler:
    """A well-formed answer with these headers (any bytes) and body."""

    def handle(conn: socket.socket) -> None:
        head = f"HTTP/1.1 {status}\r\n".encode()
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            head += name.encode() + b": " + value.encode("utf-8") + b"\r\n"
        conn.sendall(head + b"Connection: close\r\n\r\n" + body)

    return handle


def drip(data: bytes, every: float, then_hang: float = 30.0) -> Handler:
    """`data` one byte every `every` seconds, then silence (the connection held open)."""

    def handle(conn: socket.socket) -> None:
        for byte in data:
            conn.sendall(bytes([byte]))
            time.sleep(every)
        time.sleep(then_hang)

    return handle
