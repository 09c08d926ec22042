"""Rich renderings of articles, hits and snippets, shared by the CLI and the interface.

Article text is untrusted: it is always wrapped in `Text` objects, never parsed
as console markup, so `[bold]` or `[link=…]` in an article shows literally.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text

from index import Block, parse_body
from index.models import Article, SearchHit, Snippet, Source, Story, Theme, Timeline

if TYPE_CHECKING:
    from index import FetchStatus

MATCH_STYLE = "bold reverse"
BLOCK_STYLES = {
    "heading": "bold",
    "caption": "italic dim",
    "quote": "italic",
    "code": "dim",
}
SPAN_STYLES = {
    "em": "italic",
    "strong": "bold",
    "code": "dim",
    "link": "underline",
    "strike": "strike",
}


def format_date(value: dt.date | None, note: str = "") -> str:
    if value:
        return value.isoformat()
    return "undated" if not note else "undated*"


def highlighted(text: str, spans: Iterable[tuple[int, int]], style: str = MATCH_STYLE) -> Text:
    """`text` as plain content with each (start, end) span styled."""
    result = Text(text)
    for start, end in spans:
        result.stylize(style, start, end)
    return result


def snippet_text(snippet: Snippet, style: str = MATCH_STYLE, max_chars: int | None = None) -> Text:
    """A snippet with its matches styled and ellipses where it was cut.

    With `max_chars`, only a window of about that size around the first match is kept.
    """
    start, end = 0, len(snippet.text)
    if max_chars is not None and end > max_chars:
        first, first_end = snippet.matches[0] if snippet.matches else (0, 0)
        start = _word_boundary(snippet.text, max(0, first - max_chars // 3), 0)
        end = min(len(snippet.text), start + max_chars)
        if end < len(snippet.text):
            end = max(_word_boundary(snippet.text, end, start + 1), first_end)
    window = snippet.text[start:end].strip()
    offset = start + (len(snippet.text[start:end]) - len(snippet.text[start:end].lstrip()))
    spans = [
        (s - offset, e - offset)
        for s, e in snippet.matches
        if s >= offset and e <= offset + len(window)
    ]
    text = highlighted(window, spans, style)
    if snippet.start > 0 or start > 0:
        text = Text("…") + text
    return text + Text("…")


def _word_boundary(text: str, index: int, floor: int) -> int:
    """The nearest space at most 20 characters before `index` (and after `floor`), else `index`."""
    floor = max(floor, index - 20)
    space = text.rfind(" ", floor, index + 1)
    return space if space > floor else index


def source_label(source: Source) -> str:
    grade = source.grade if source.grade != "unrated" else "?"
    return f"{source.name} ({grade})"


def theme_names(theme_ids: Sequence[str], themes: dict[str, Theme]) -> str:
    return ", ".join(themes[t].name if t in themes else t for t in theme_ids)


def article_header(
    article: Article, source: Source, themes: dict[str, Theme], same_story: Sequence[str] = ()
) -> Text:
    """Title, then source and grade, date, credits, themes, places and the same story's
    other articles (`same_story`, one line each), one per line."""
    header = Text(article.title, style="bold")
    if article.title_editorial:
        header.append("  (editor's title)", style="dim")
    via = f", via {article.via}" if article.via else ""
    date = article.published.isoformat() if article.published else "undated"
    header.append("\nSource: ", style="dim")
    header.append(source_label(source) + via)
    header.append(" · Date: ", style="dim")
    header.append(date)
    if article.kind:
        header.append(" · Kind: ", style="dim")
        header.append(article.kind)
    lines = [
        ("Credits", "; ".join(article.credits)),
        ("Themes", theme_names(article.themes, themes)),
        ("Places", ", ".join(article.places)),
    ]
    for label, value in lines:
        if value:
            header.append(f"\n{label}: ", style="dim")
            header.append(value)
    for number, other in enumerate(same_story):
        header.append("\nSame story: " if number == 0 else "\n            ", style="dim")
        header.append(other)
    if not article.published and article.date_note:
        header.append("\nDate note: ", style="dim")
        header.append(article.date_note, style="dim")
    return header


def block_text(block: Block, spans: Iterable[tuple[int, int]] = ()) -> Text:
    """One body block with its inline styles; `spans` are document offsets to highlight."""
    text = Text(block.text, style=BLOCK_STYLES.get(block.kind, ""))
    for span in block.spans:
        text.stylize(SPAN_STYLES.get(span.style, ""), span.start, span.end)
    for start, end in spans:
        if start < block.end and end > block.start:
            text.stylize(MATCH_STYLE, max(start, block.start) - block.start, end - block.start)
    if block.kind == "item":
        text = Text("  " * (block.level - 1) + f"{block.marker} ") + text
    elif block.kind == "heading":
        text = Text("▌ ", style="bold") + text
    return text


def article_renderable(article: Article, source: Source, themes: dict[str, Theme]) -> Group:
    """The whole article for a console: header, a rule, then the body block by block."""
    parts: list[Text] = [article_header(article, source, themes), Text("")]
    for block in parse_body(article.body).blocks:
        parts.append(block_text(block))
        parts.append(Text(""))
    return Group(*parts)


def story_span(story: Story) -> str:
    """The days a story spans: "2024-07-24 – 2024-07-27", one day, or "undated"."""
    if story.first is None or story.first == story.last or story.last is None:
        return format_date(story.first)
    return f"{format_date(story.first)} – {format_date(story.last)}"


def story_line(hit: SearchHit, source: Source) -> str:
    """One other article of the same story: source, date and title."""
    return f"{source.label} · {format_date(hit.published)} · {hit.title}"


def fetch_line(status: FetchStatus) -> str:
    """ "fetching 3/12 feeds · 27 new": a fetch's progress, in the app and on the command line."""
    return f"fetching {status.done}/{status.total} feeds · {status.new} new"


BARS = " ▁▂▃▄▅▆▇█"
LABEL_WIDTH = 14


def chart_step(timeline: Timeline, width: int) -> int:
    """How many periods one bar sums so that the chart fits `width` columns."""
    room = max(10, width - LABEL_WIDTH - 2)
    return max(1, -(-len(timeline.periods) // room))


def timeline_chart(
    timeline: Timeline,
    label_of: Callable[[str], str],
    width: int = 80,
    rows: int = 5,
    cursor: int | None = None,
) -> Text:
    """Articles per period as bars, a row per source (the rest as "others"), dates beneath.

    Adjacent periods are summed when there are more than the width holds; the
    bars share one scale, so sources compare; the axis names the first, the
    last and a middle period; `cursor` (a bar's index) is shown reversed.
    """
    if not timeline.periods:
        return Text("No dated articles.", style="dim")
    step = chart_step(timeline, width)
    starts = timeline.periods[::step]

    def binned(counts: Sequence[int]) -> list[int]:
        return [sum(counts[i : i + step]) for i in range(0, len(counts), step)]

    sources = list(timeline.counts)
    shown = sources if len(sources) <= rows else sources[: rows - 1]
    lines = [(label_of(s), binned(timeline.counts[s])) for s in shown]
    rest = [timeline.counts[s] for s in sources if s not in shown]
    if rest:
        lines.append(("others", binned([sum(c) for c in zip(*rest, strict=True)])))
    peak = max(max(counts) for _label, counts in lines) or 1
    text = Text()
    for label, counts in lines:
        text.append(f"{label[: LABEL_WIDTH - 1]:<{LABEL_WIDTH}}", style="dim")
        for number, count in enumerate(counts):
            bar = BARS[0 if not count else max(1, round(8 * count / peak))]
            text.append(
                bar if number != cursor else bar.replace(" ", "·"),
                style="reverse" if number == cursor else "",
            )
        text.append(f" {sum(counts)}\n", style="dim")
    unit = timeline.unit if step == 1 else f"{step} {timeline.unit}s"
    text.append(" " * LABEL_WIDTH + axis_line(starts, timeline.unit), style="dim")
    text.append(f"\n{' ' * LABEL_WIDTH}one bar per {unit}; the tallest is {peak}", style="dim")
    return text


def axis_line(starts: Sequence[dt.date], unit: str) -> str:
    """The first, middle and last period's dates, placed under their bars when there is room."""
    label = (lambda d: d.strftime("%Y-%m")) if unit == "month" else (lambda d: d.isoformat())
    first, last = label(starts[0]), label(starts[-1])
    if len(starts) < 2 * len(first) + 2:
        return first if len(starts) == 1 else f"{first} … {last}"
    line = [" "] * len(starts)
    for position in (0, len(starts) - 1, len(starts) // 2):  # first and last come first
        text = label(starts[position])
        place = min(position, len(starts) - len(text))
        if all(c == " " for c in line[max(0, place - 1) : place + len(text) + 1]):
            line[place : place + len(text)] = list(text)
    return "".join(line).rstrip()
