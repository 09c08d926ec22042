"""Full garbage collections wait for a pause in the typing, then walk only what is new."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tui import collecting
from tui.collecting import IDLE, NEVER, WHOLE_EVERY, IdleCollector

Probe = tuple[IdleCollector, list[str], list[float]]
"""The collector, the gc calls it made, and its clock (to move by hand)."""


@pytest.fixture
def collector(monkeypatch: pytest.MonkeyPatch) -> Iterator[Probe]:
    threshold = gc.get_threshold()
    clock = [1000.0]
    calls: list[str] = []
    monkeypatch.setattr(collecting.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(collecting.gc, "get_count", lambda: (0, 0, threshold[2]))
    for name in ("collect", "freeze", "unfreeze"):
        monkeypatch.setattr(collecting.gc, name, lambda name=name: calls.append(name))
    yield IdleCollector(), calls, clock
    gc.set_threshold(*threshold)


def test_no_full_collection_while_keys_come_only_once_the_keyboard_is_quiet(
    collector: Probe,
) -> None:
    idle, calls, clock = collector
    assert gc.get_threshold()[2] == NEVER  # Python itself never starts one
    for _ in range(10):
        clock[0] += IDLE / 2
        idle.key()
        idle.tick()
    assert calls == []
    clock[0] += IDLE
    idle.tick()
    assert calls == ["collect", "freeze"]  # what survives is not walked again next time


def test_every_so_often_a_collection_walks_everything_again(
    collector: Probe,
) -> None:
    idle, calls, clock = collector
    for _ in range(WHOLE_EVERY):
        clock[0] += IDLE
        idle.tick()
    assert calls.count("collect") == WHOLE_EVERY and calls.count("unfreeze") == 1
