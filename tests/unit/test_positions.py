"""Phrase fields store word positions packed (index/engine/positions.py), as Whoosh reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.formats import Positions

from index import Filters, SearchRequest
from index.engine.positions import PackedPositions, unpack_positions
from index.engine.schema import build_schema
from tests.helpers import ARTICLE, write_article


@pytest.mark.parametrize("positions", [[0], [3, 9, 200], [1, 65535], [7, 65536, 4_000_000]])
def test_packed_positions_read_back_and_count_as_whoosh_s(positions: list[int]) -> None:
    packed, whoosh = PackedPositions(field_boost=2.0), Positions(field_boost=2.0)
    value = packed.encode(positions)
    assert packed.decode_positions(value) == positions
    assert list(unpack_positions(value)) == positions
    assert packed.decode_frequency(value) == whoosh.decode_frequency(whoosh.encode(positions))
    assert packed.decode_weight(value) == whoosh.decode_weight(whoosh.encode(positions))
    other = packed.encode([4, 70_000])
    combined = packed.combine([value, other])
    assert packed.decode_positions(combined) == sorted({*positions, 4, 70_000})


def test_every_phrase_field_is_packed() -> None:
    schema = build_schema()
    formats = {name: schema[name].format for name in schema.names()}
    phrase_fields = [name for name, kind in formats.items() if kind and kind.supports("positions")]
    assert set(phrase_fields) >= {"title", "body", "context"}
    assert all(type(formats[name]) is PackedPositions for name in phrase_fields)


def test_a_phrase_past_the_sixty_five_thousandth_word_is_found(
    corpus_dir: Path, open_workspace
) -> None:
    filler = " ".join(f"w{n % 500}" for n in range(70_000))
    body = f"{filler} the joint venture opened. {filler}"
    write_article(corpus_dir, "long.md", ARTICLE.format(id="long", title="Long", body=body))
    workspace = open_workspace(corpus_dir)
    found = workspace.search(SearchRequest(Filters('"joint venture opened"'), limit=5))
    assert [hit.id for hit in found.hits] == ["long"]
    assert workspace.search(SearchRequest(Filters('"venture joint"'), limit=5)).hits == ()
