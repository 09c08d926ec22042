"""briefing on a real pseudo-terminal, with a terminal emulator (pyte) reading the screen.

Pilot tests see Textual's own model of the screen; these see the bytes that
reach a terminal, which is where an escape sequence in an article would do harm.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import termios
import time
from pathlib import Path

import pyte

from ..helpers import BRIEFING

PROJECT = Path(__file__).parents[2]


class Terminal:
    """briefing running on the slave side of a pty; the test holds the master."""

    def __init__(self, data: Path, *args: str, columns: int = 120, lines: int = 40) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        env = {
            **os.environ,
            "BRIEFING_DATA": str(data),
            "TERM": "xterm-256color",
            "COLUMNS": str(columns),
            "LINES": str(lines),
        }
        self.process = subprocess.Popen(
            [*BRIEFING, *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=data.parent,
        )
        os.close(slave)
        self.output = bytearray()
        """Everything the app wrote (a bytearray: appending to bytes copies it all each time)."""
        self.first_output = 0.0
        """When the last `read` got its first byte (time.monotonic)."""
        self.arrived = 0.0
        """When the last chunk `read_some` got arrived, before the emulator parsed it."""
        self.screen = pyte.Screen(columns, lines)
        self._stream = pyte.ByteStream(self.screen)

    def read(self, timeout: float) -> bytes:
        """What the app writes within `timeout` seconds (stops early at a pause after output)."""
        got = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            wait = 0.05 if got else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self.master], [], [], min(wait, 0.2))
            if not ready:
                if got:
                    break
                continue
            try:
                chunk = os.read(self.master, 1 << 16)
            except OSError:
                break
            if not got:
                self.first_output = time.monotonic()
            got += chunk
        self.output += got
        self._stream.feed(got)
        return got

    def read_some(self, timeout: float) -> bytes:
        """Whatever the app has written, waiting at most `timeout` seconds for a first byte."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return b""
        try:
            chunk = os.read(self.master, 1 << 16)
        except OSError:
            return b""
        self.arrived = time.monotonic()
        self.output += chunk
        self._stream.feed(chunk)
        return chunk

    def read_until(self, marker: bytes | str, timeout: float = 30.0) -> bool:
        """Read until `marker` is in the output (bytes) or on the screen (text)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._seen(marker):
                return True
            self.read(min(0.5, max(0.0, deadline - time.monotonic())))
        return self._seen(marker)

    def _seen(self, marker: bytes | str) -> bool:
        if isinstance(marker, bytes):
            return marker in self.output
        return marker in self.text

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def send(self, keys: str | bytes) -> None:
        os.write(self.master, keys.encode() if isinstance(keys, str) else keys)

    def type(self, keys: str, pause: float = 0.05) -> None:
        """Send `keys` one at a time, as a person types (a burst would be a paste)."""
        for key in keys:
            self.send(key)
            self.read(pause)

    def exit_code(self, timeout: float = 20.0) -> int | None:
        """Wait for the app to end, reading what it writes (a full pty would block it)."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self.read(0.2)
        return self.process.poll()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.master >= 0:
            os.close(self.master)
            self.master = -1
