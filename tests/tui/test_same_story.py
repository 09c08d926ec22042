"""The same story across sources, on screen: "also in …" in the list, the others in the Reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.paths import DataPaths
from index.workspace import Workspace

from ..unit.test_near_duplicates import STORIES
from .conftest import (
    AppFactory,
    article_row,
    listed_ids,
    main_screen,
    reader_text,
    search_and_open,
    started,
)


@pytest.mark.slow  # over 3 s: left to make test
async def test_copies_show_where_else_the_story_is_told(
    make_app: AppFactory, corpus_dir: Path, data_paths: DataPaths
) -> None:
    importer = Workspace([corpus_dir, data_paths.library_dir], data_paths)
    report = importer.import_files([STORIES])
    importer.close()
    first, _copy = next(iter(report.same_story))[::-1]
    async with started(make_app()) as pilot:
        await search_and_open(pilot, "Kanggye", first)
        row = article_row(pilot, listed_ids(pilot).index(first)).plain
        assert "also in Yonhap" in row
        header = reader_text(pilot)
        assert "Same story:" in header and "N. Korea opens food factory" in header
        assert main_screen(pilot).open_article is not None
