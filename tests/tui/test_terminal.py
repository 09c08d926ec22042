"""briefing on a real pseudo-terminal: it leaves cleanly when the terminal does.

A terminal that disappears without a SIGHUP (a killed tmux server, a dropped
ssh session whose terminal was not the controlling one) used to leave the app
spinning a whole core forever.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from .pty_terminal import Terminal

pytestmark = pytest.mark.slow

LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    session = Terminal(tmp_path / "data")
    yield session
    session.close()


def test_app_quits_when_its_terminal_disappears(terminal: Terminal) -> None:
    assert terminal.read_until("Sources"), terminal.output[-500:]
    os.close(terminal.master)
    terminal.master = -1
    assert terminal.process.wait(timeout=20) == 0  # not killed by the test's fixture


def test_sigterm_quits_like_q_and_restores_the_terminal(terminal: Terminal) -> None:
    assert terminal.read_until("Sources"), terminal.output[-500:]
    terminal.process.send_signal(signal.SIGTERM)
    assert terminal.exit_code() == 0
    assert LEAVE_ALTERNATE_SCREEN in terminal.output
