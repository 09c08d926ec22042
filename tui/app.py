"""The briefing application: wires the main screen, global keys, palette and styles."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen

from index import StateStore, Workspace

from .collecting import IdleCollector
from .collecting import supported as collecting_supported
from .commands import BriefingCommands
from .key_order import KeyHolds, until_quiet
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
        self._key_in_flight: events.Key | None = None
        self._key_bubbled: events.Key | None = None
        self.key_holds = KeyHolds()
        self._collector: IdleCollector | None = None
        """What the next key waits for besides its predecessor (a search's results)."""

    def on_mount(self) -> None:
        if self.is_headless:
            return
        if collecting_supported():
            self._collector = IdleCollector()
            self.set_interval(IdleCollector.IDLE_CHECK, self._collector.tick)
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

    # Why these two overrides stay (checked against Textual 8.2.8): Textual routes each key
    # to whatever has the focus the moment it arrives and queues a key no widget took behind
    # the keys typed since. Neither `App.BINDINGS` priorities, `Screen.AUTO_FOCUS`, nor
    # `prevent()` orders a burst of keys against the focus moves and dialogs the earlier keys
    # cause, and no public hook runs between one key's handling and the next key's routing.
    # The pty burst tests (tests/tui/test_key_bursts.py) type at full speed to hold this.
    async def on_event(self, event: events.Event) -> None:
        """Route a key, then let it be handled to the end before the next (see key_order)."""
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
            return
        if self._collector is not None:
            self._collector.key()
        self._key_in_flight, self._key_bubbled = event, None
        try:
            await super().on_event(event)  # to the focused widget, or a priority binding
            await until_quiet(self.screen_stack)
            if self._key_bubbled is not None:  # no widget took it: the screen's bindings
                await super().on_event(self._key_bubbled)
                await until_quiet(self.screen_stack)
            await self.key_holds.released()
        finally:
            self._key_in_flight = self._key_bubbled = None

    def post_message(self, message: Message) -> bool:
        """A key bubbling back up while it is the one in flight is handled now, not queued."""
        if message is self._key_in_flight and message is not None:
            self._key_bubbled = self._key_in_flight
            return True
        return super().post_message(message)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands, with its colour theme named so it is not taken for a
        briefing's theme, and screenshots saved where they can be found."""
        for command in super().get_system_commands(screen):
            if command.title == "Theme":
                yield SystemCommand(
                    "Colour scheme",
                    "Change the interface's colours (not a briefing theme)",
                    command.callback,
                )
            elif command.title == "Screenshot":
                yield SystemCommand(
                    "Screenshot",
                    "Save an SVG picture of the screen in the data dir's screenshots/",
                    self.action_screenshot,
                )
            else:
                yield command

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save an SVG of the screen in `screenshots/` of the data dir (or the working dir)."""
        folder = Path(path) if path else self._screenshot_folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            saved = self.save_screenshot(filename, str(folder))
        except OSError as error:
            self.notify(
                f"Screenshot not saved in {folder}: {error.strerror or error}",
                title="Screenshot",
                severity="error",
                markup=False,
            )
            return
        self.notify(f"Screenshot saved to {saved}", title="Screenshot", markup=False)

    def _screenshot_folder(self) -> Path:
        if self.workspace.read_only:
            return Path.cwd()
        return self.workspace.data.root / "screenshots"

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
