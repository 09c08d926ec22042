"""The help screen documents exactly the keys that are bound."""

from __future__ import annotations

from textual.binding import Binding

from tui.keymap import BOUND, KEYMAP, Entry, bindings, entry_keys, key_text


def documented_ids() -> list[str]:
    return [binding_id for _section, entries in KEYMAP for e in entries for binding_id in e.ids]


def test_every_binding_has_an_id_and_is_documented() -> None:
    for cls in BOUND:
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding) and binding.id, f"{cls.__name__}: {binding}"
    assert set(bindings()) == set(documented_ids())


def test_every_documented_key_is_bound_once() -> None:
    ids = documented_ids()
    assert len(ids) == len(set(ids))
    bound = bindings()
    for _section, entries in KEYMAP:
        for entry in entries:
            assert entry_keys(entry, bound)  # raises KeyError for an id nothing binds


def test_keys_are_written_as_a_person_reads_them() -> None:
    bound = bindings()
    assert key_text(bound["search"]) == "/"
    assert key_text(bound["reader.down"]) == "j ↓"
    assert key_text(bound["editor.save"]) == "Ctrl+S"
    assert key_text(bound["pane.previous"]) == "Shift+Tab"
    assert entry_keys(Entry("x", ("match.next", "match.previous")), bound) == "n  N"
