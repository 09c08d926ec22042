"""Benchmarks: build, update, search and start-up at archive scale, beside SQLite FTS5."""
