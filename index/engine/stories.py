"""Stories: the articles that report one event, grouped across sources and a few days.

Two articles tell the same story when one is a copy of the other (`same_as:`,
found on import: the strongest link), or when all of these hold:

- they are dated at most WINDOW_DAYS apart;
- they share a distinctive name: a capitalised word of the body that is not
  a common word (it is never written in lower case in the article, and is
  not at a sentence start) and that at most DISTINCT_SHARE of the library's
  articles use. Template items ("Greetings to the FM of …", "New houses
  built in …") share most of their words but not their names: this is what
  keeps two greetings to two ministers, or houses in two counties, apart;
- they are alike (`likeness` at least SAME_EVENT): the idf-weighted Jaccard
  similarity of their signatures (each article's SIGNATURE_TERMS most
  distinctive words, by term frequency × inverse document frequency from the
  index), plus NAME_WEIGHT for each distinctive name they share (up to
  NAMES_COUNTED): two writers share few words but the same rare names.

Links are taken strongest first; two groups merge only when their articles
are alike on average (average linkage), so that a digest mentioning several
events ("Press Review") does not chain them into one story.
Signatures are cached in the data dir by article and text digest, so after
an import only the new or changed articles are read; the links are found
through an inverted index of names within the date window, which is cheap.
The thresholds were set on pairs judged by reading
(`tests/data/story-judgements.yaml`, tested in tests/unit/test_stories.py).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..storage import atomic_write_text

WINDOW_DAYS = 3
SIGNATURE_TERMS = 30
SAME_EVENT = 0.22
NAME_WEIGHT = 0.05
NAMES_COUNTED = 3
DISTINCT_SHARE = 0.01
"""A name used by more than this share of the articles (and more than 3) says nothing."""
CACHE_FORMAT = 2
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_NAME = re.compile(r"(?<![.!?:]\s)(?<![.!?:]\s\s)(?<!^)(?<!\n)\b([A-Z][\w'’-]{2,})")


@dataclass(frozen=True)
class Signature:
    """What grouping needs of one article."""

    id: str
    day: int
    """Its date as an ordinal (0: undated, never grouped by text)."""
    terms: dict[str, float]
    """Its most distinctive words, each with its idf."""
    names: frozenset[str]
    digest: str


def text_digest(title: str, body: str) -> str:
    return hashlib.blake2b(f"{title}\n{body}".encode(), digest_size=8).hexdigest()


def make_signature(
    article_id: str,
    day: int,
    title: str,
    body: str,
    analyse: Callable[[str], list[str]],
    idf: Callable[[str], float],
) -> Signature:
    """The signature of one article; `analyse` gives its words as the index has them."""
    counts = Counter(analyse(title) + analyse(body))  # apart: the body's dateline is skipped
    ranked = sorted(counts, key=lambda w: (-(1 + math.log(counts[w])) * idf(w), w))
    terms = {word: idf(word) for word in ranked[:SIGNATURE_TERMS]}
    lower = {word for word in _WORD.findall(body) if word[:1].islower()}
    names = {name.lower() for name in _NAME.findall(body) if name.lower() not in lower}
    return Signature(article_id, day, terms, frozenset(names), text_digest(title, body))


def similarity(a: Signature, b: Signature) -> float:
    """The idf-weighted Jaccard similarity of two signatures."""
    shared = sum(a.terms[w] for w in a.terms.keys() & b.terms.keys())
    union = sum(a.terms.values()) + sum(v for w, v in b.terms.items() if w not in a.terms)
    return shared / union if union else 0.0


def likeness(a: Signature, b: Signature, distinct: set[str] | frozenset[str]) -> float:
    """How alike two articles are as reports of one event: their words, and their rare names.

    Two reports of one event by different writers share few words but the
    same rare names (a place, a visitor, a company): each shared distinctive
    name adds NAME_WEIGHT, up to NAMES_COUNTED of them.
    """
    names = len(a.names & b.names & distinct)
    return similarity(a, b) + NAME_WEIGHT * min(names, NAMES_COUNTED)


def group(signatures: Iterable[Signature], copies: dict[str, str]) -> list[list[str]]:
    """The stories (lists of article ids, at least two) among `signatures`.

    `copies` maps an article to the first of its story (`same_as`): always one
    story. Other links are taken strongest first, and two groups are merged
    only when their articles are alike on average (average linkage), so a
    digest that mentions several events ("Press Review") cannot chain them.
    """
    found = {s.id: s for s in signatures}
    members: dict[str, list[str]] = {article_id: [article_id] for article_id in found}
    group_of = {article_id: article_id for article_id in found}

    def merge(a: str, b: str) -> None:
        keep, gone = group_of[a], group_of[b]
        for article_id in members[gone]:
            group_of[article_id] = keep
        members[keep] += members.pop(gone)

    for copy, first in copies.items():
        if copy in found and first in found and group_of[copy] != group_of[first]:
            merge(first, copy)
    distinct = _distinct_names(found)
    for score, a, b in _links(found, distinct):
        if group_of[a] == group_of[b]:
            continue
        ours, theirs = members[group_of[a]], members[group_of[b]]
        pairs = [(x, y) for x in ours for y in theirs]
        mean = sum(
            score if {x, y} == {a, b} else likeness(found[x], found[y], distinct) for x, y in pairs
        ) / len(pairs)
        if mean >= SAME_EVENT:
            merge(a, b)
    return [sorted(ids) for ids in members.values() if len(ids) > 1]


def _distinct_names(found: dict[str, Signature]) -> set[str]:
    """Names used by few articles (at most DISTINCT_SHARE of them, or 3)."""
    users: Counter[str] = Counter(name for s in found.values() for name in s.names)
    limit = max(3, int(DISTINCT_SHARE * len(found)))
    return {name for name, count in users.items() if count <= limit}


def _links(found: dict[str, Signature], distinct: set[str]) -> list[tuple[float, str, str]]:
    """Pairs dated close together that share a distinctive name and are alike, best first."""
    by_name_day: dict[tuple[str, int], list[str]] = defaultdict(list)
    for sig in found.values():
        if sig.day:
            for name in sig.names & distinct:
                by_name_day[(name, sig.day)].append(sig.id)
    links = []
    for sig in found.values():
        if not sig.day:
            continue
        candidates = {
            other
            for name in sig.names & distinct
            for day in range(sig.day - WINDOW_DAYS, sig.day + WINDOW_DAYS + 1)
            for other in by_name_day.get((name, day), ())
            if other > sig.id
        }
        for other in candidates:
            score = likeness(sig, found[other], distinct)
            if score >= SAME_EVENT:
                links.append((score, sig.id, other))
    return sorted(links, reverse=True)


class SignatureCache:
    """Signatures kept between runs (`stories-cache.json` in the data dir), by text digest."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, Signature] = {}
        self.changed = False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") == CACHE_FORMAT:
                for article_id, (digest, day, terms, names) in data["articles"].items():
                    self.entries[article_id] = Signature(
                        article_id, day, dict(terms), frozenset(names), digest
                    )
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            self.entries = {}  # a cache: rebuilt from the index when it cannot be read

    def get(self, article_id: str, digest: str) -> Signature | None:
        found = self.entries.get(article_id)
        return found if found is not None and found.digest == digest else None

    def put(self, signature: Signature) -> None:
        self.entries[signature.id] = signature
        self.changed = True

    def keep_only(self, ids: set[str]) -> None:
        gone = set(self.entries) - ids
        for article_id in gone:
            del self.entries[article_id]
        self.changed = self.changed or bool(gone)

    def save(self) -> None:
        if not self.changed:
            return
        articles: dict[str, Any] = {
            s.id: [s.digest, s.day, sorted(s.terms.items()), sorted(s.names)]
            for s in self.entries.values()
        }
        atomic_write_text(
            self.path,
            json.dumps(
                {"format": CACHE_FORMAT, "articles": articles},
                ensure_ascii=False,
                separators=(",", ":"),
            ),
            durable=False,
        )
        self.changed = False


def find_stories(searcher: Any, cache: SignatureCache) -> list[list[int]]:
    """The stories of the whole index (document numbers, in no order), caching signatures."""
    reader = searcher.reader()
    total = max(1, reader.doc_count_all())  # as doc_frequency, which counts deleted documents
    analyzer = searcher.schema["body"].analyzer
    idfs: dict[str, float] = {}

    def analyse(text: str) -> list[str]:
        return [token.text for token in analyzer(text)]

    def idf(word: str) -> float:
        if word not in idfs:
            idfs[word] = math.log(total / (1 + reader.doc_frequency("body", word))) + 1.0
        return idfs[word]

    signatures: list[Signature] = []
    copies: dict[str, str] = {}
    docnums: dict[str, int] = {}
    for docnum, fields in reader.iter_docs():
        article_id, title, body = fields["id"], fields.get("title", ""), fields.get("body", "")
        published = fields.get("published")
        day = published.toordinal() if published is not None else 0
        signature = cache.get(article_id, text_digest(title, body))
        if signature is None:
            signature = make_signature(article_id, day, title, body, analyse, idf)
            cache.put(signature)
        signatures.append(signature)
        docnums[article_id] = docnum
        if fields.get("story") and fields["story"] != article_id:
            copies[article_id] = fields["story"]
    cache.keep_only(set(docnums))
    cache.save()
    return [[docnums[article_id] for article_id in ids] for ids in group(signatures, copies)]
