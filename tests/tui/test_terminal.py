"""briefing on a real pseudo-terminal: it leaves cleanly when the terminal does.

A terminal that disappears without a SIGHUP (a killed tmux server, a dropped
ssh session whose terminal was not the controlling one) used to leave the app
spinning a whole core forever.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT = Path(__file__).parents[2]
LAUNCH = "import sys; from tui.cli import main; sys.exit(main())"
LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"


class Terminal:
    """briefing running on the slave side of a pty; the test holds the master."""

    def __init__(self, data: Path) -> None:
        self.master, slave = pty.openpty()
        env = {**os.environ, "BRIEFING_DATA": str(data), "TERM": "xterm-256color"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCH],
            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=PROJECT,
        )  # fmt: skip
        os.close(slave)
        self.output = b""

    def read_until(self, marker: bytes, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while marker not in self.output and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    return False
        return marker in self.output

    def exit_code(self, timeout: float = 20.0) -> int | None:
        """Wait for the app to end, reading what it writes (a full pty would block it)."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self.read_until(b"\0never\0", timeout=0.2)
        return self.process.poll()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.master >= 0:
            os.close(self.master)
            self.master = -1


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    session = Terminal(tmp_path / "data")
    yield session
    session.close()


def test_app_quits_when_its_terminal_disappears(terminal: Terminal) -> None:
    assert terminal.read_until(b"Sources"), terminal.output[-500:]
    os.close(terminal.master)
    terminal.master = -1
    assert terminal.process.wait(timeout=20) == 0  # not killed by the test's fixture


def test_sigterm_quits_like_q_and_restores_the_terminal(terminal: Terminal) -> None:
    assert terminal.read_until(b"Sources"), terminal.output[-500:]
    terminal.process.send_signal(signal.SIGTERM)
    assert terminal.exit_code() == 0
    assert LEAVE_ALTERNATE_SCREEN in terminal.output
