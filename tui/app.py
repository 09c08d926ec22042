"""The briefing application: wires the main screen, global keys, palette and styles."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from index import StateStore, Workspace

from .commands import BriefingCommands
from .screens.help import HelpScreen
from .screens.main import MainScreen
from .terminal import CHECK_EVERY, hung_up, quit_on_signals, terminal_input


class BriefingApp(App[None]):
    """Read, search and annotate a briefing from the keyboard."""

    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute: subclasses live elsewhere
    TITLE = "briefing"
    COMMANDS = App.COMMANDS | {BriefingCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+c", "quit", "Quit", priority=True, show=False, id="quit.ctrl_c"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
    ]

    def __init__(self, workspace: Workspace, update_index: bool = True) -> None:
        super().__init__()
        self.workspace = workspace
        self.update_index = update_index
        self._terminal_fd: int | None = None

    def on_mount(self) -> None:
        if self.is_headless:
            return
        quit_on_signals(self.exit)
        self._terminal_fd = terminal_input()
        if self._terminal_fd is not None:
            self.set_interval(CHECK_EVERY, self.leave_if_terminal_gone)

    def leave_if_terminal_gone(self) -> None:
        if self._terminal_fd is not None and hung_up(self._terminal_fd):
            self.exit()

    def get_default_screen(self) -> MainScreen:
        store = StateStore(self.workspace.data.state_file, writable=not self.workspace.read_only)
        return MainScreen(self.workspace, store, update_index=self.update_index)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
