"""Build a benchmark corpus of N articles from real sentences.

Sentences come from the two seed documents and, when asked for (`archive=True`)
and `../shared` is present, from the KCNA archive (headlines become titles). Tests
use the seeds alone, so what they find does not depend on what sits beside the
clone. Each article gets a source (weighted like a real briefing: mostly state
media), a date between 2019 and 2024, and a body of 8–20 sentences drawn around
one "story" so that words cluster the way news text does. About a third of the
articles carry curated themes; the rest are classified by the theme queries, as
imported articles are. The result is a content folder in the format the app reads, plus the same
documents as records for the SQLite FTS5 baseline.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from index.content.body import escape_markdown

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
SOURCES = [
    ("kcna", "Korean Central News Agency (KCNA)", "state media", "D", 0.45),
    ("rodong", "Rodong Sinmun", "state media", "D", 0.15),
    ("daily-nk", "Daily NK", "independent outlet", "C", 0.15),
    ("yonhap", "Yonhap", "news agency", "B", 0.15),
    ("nk-news", "NK News", "independent outlet", "B", 0.10),
]
THEME_IDS = ("inequality", "pyongyang-focus", "china-ventures")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


@dataclass(frozen=True)
class Document:
    """One generated article, as the FTS5 baseline stores it."""

    id: str
    title: str
    body: str
    source: str
    published: str
    themes: tuple[str, ...]
    places: tuple[str, ...]


def sentence_pool(archive: bool = False) -> tuple[list[str], list[str]]:
    """Real sentences and headlines: the seeds, plus the KCNA archive when asked and present."""
    sentences: list[str] = []
    titles: list[str] = []
    for seed in sorted((PROJECT / "seeds").iterdir()):
        text = seed.read_text(encoding="utf-8")
        for paragraph in text.split("\n"):
            if len(paragraph) > 80:
                sentences.extend(s for s in SENTENCE.split(paragraph) if len(s) > 30)
    path = SHARED / "corpora" / "kcna-en-2024-jan-sep.json"
    if archive and path.is_file():
        for record in json.loads(path.read_text(encoding="utf-8")):
            text = (record.get("story_text") or "").replace("\n", " ")
            sentences.extend(s for s in SENTENCE.split(text) if 30 < len(s) < 400)
            if record.get("headline"):
                titles.append(record["headline"])
    if not titles:
        titles = [s[:90].rsplit(" ", 1)[0] for s in sentences[::3]]
    return sentences, sorted(set(titles))


def documents(count: int, seed: int = 20240101, archive: bool = False) -> list[Document]:
    """`count` articles; with `archive`, drawn from the KCNA archive's sentences too."""
    rng = random.Random(seed)
    sentences, titles = sentence_pool(archive)
    weights = [weight for *_rest, weight in SOURCES]
    start = dt.date(2019, 1, 1).toordinal()
    span = dt.date(2024, 12, 31).toordinal() - start
    docs = []
    for number in range(count):
        centre = rng.randrange(len(sentences))
        length = rng.randint(8, 20)
        picked = [
            sentences[(centre + rng.randint(-40, 40)) % len(sentences)] for _ in range(length)
        ]
        paragraphs = [" ".join(picked[i : i + 3]) for i in range(0, len(picked), 3)]
        source = rng.choices(SOURCES, weights)[0][0]
        published = dt.date.fromordinal(start + rng.randrange(span)).isoformat()
        themes = tuple(rng.sample(THEME_IDS, rng.randint(1, 2))) if rng.random() < 0.33 else ()
        title = rng.choice(titles)
        docs.append(
            Document(
                f"bench-{number:06d}", title, "\n\n".join(paragraphs), source, published, themes, ()
            )
        )
    return docs


def write_corpus(docs: list[Document], folder: Path) -> Path:
    """Write the documents as a content folder (articles, sources, themes, variants)."""
    if folder.exists():
        shutil.rmtree(folder)
    articles = folder / "articles"
    articles.mkdir(parents=True)
    for name in ("themes.yaml", "variants.yaml"):
        shutil.copy(PROJECT / "content" / name, folder / name)
    sources = [
        {
            "id": sid,
            "name": name,
            "kind": kind,
            "languages": ["en"],
            "homepage": "",
            "grade": grade,
            "rationale": "Benchmark source.",
        }
        for sid, name, kind, grade, _weight in SOURCES
    ]
    (folder / "sources.yaml").write_text(yaml.safe_dump(sources, sort_keys=False), "utf-8")
    for doc in docs:
        front: dict[str, object] = {
            "id": doc.id,
            "title": doc.title,
            "source": doc.source,
            "language": "en",
            "published": doc.published,
        }
        if doc.themes:
            front["themes"] = list(doc.themes)
        body = "\n\n".join(escape_markdown(p) for p in doc.body.split("\n\n"))
        text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n\n"
        (articles / f"{doc.id}.md").write_text(text + body + "\n", encoding="utf-8")
    return folder
