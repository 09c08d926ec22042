"""Servers we do not control: every attack bounded in memory and time, nothing sent where the
user did not point, nothing lost to size, every failure one line in words.

Each test runs a misbehaving server on 127.0.0.1 (`tests/hostile_server.py`) and asserts
the bound: seconds, megabytes, what is stored, what is said.
"""

from __future__ import annotations

import gzip
import subprocess
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from index import Filters, SearchRequest, Workspace
from index.feeds import fetcher
from index.feeds.http import PoliteClient, Response, retry_after
from index.feeds.subscriptions import Feed
from index.paths import DataPaths
from tests.hostile_server import Handler, HostileServer, answer, drip

pytestmark = pytest.mark.slow
EXCEPTION_WORDS = ("Error:", "Exception", "Traceback", "errno")


@pytest.fixture
def server() -> Iterator[HostileServer]:
    hostile = HostileServer()
    yield hostile
    hostile.close()


@pytest.fixture
def other_server() -> Iterator[HostileServer]:
    hostile = HostileServer()
    yield hostile
    hostile.close()


@pytest.fixture
def client() -> Iterator[PoliteClient]:
    polite = PoliteClient(host_gap=0.01, deadline=2.0)
    yield polite
    polite.close()


@pytest.fixture
def library(corpus_dir: Path, data_paths: DataPaths) -> Iterator[Workspace]:
    workspace = Workspace([corpus_dir, data_paths.library_dir], data_paths)
    yield workspace
    workspace.close()


def rss(items: list[str], title: str = "Hostile") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title>{''.join(items)}</channel></rss>"
    ).encode()


def item(link: str, title: str = "An item", text: str = "", extra: str = "") -> str:
    text = text or " ".join(["Words of a whole article told in the feed itself."] * 40)
    return (
        f"<item><title>{title}</title><link>{link}</link>{extra}"
        f"<description>{text}</description></item>"
    )


def feed_answer(body: bytes, **headers: str) -> Handler:
    return answer("200 OK", {"Content-Type": "application/rss+xml", **headers}, body)


def follow_and_fetch(library: Workspace, url: str, client: PoliteClient) -> fetcher.FetchReport:
    library.following().add(url, client=client)
    return library.fetch(client=client, force=True)


def said(report: fetcher.FetchReport) -> list[str]:
    """Every line a fetch would print about its feeds."""
    lines = [o.error for o in report.feeds] + [n for o in report.feeds for n in o.notices]
    return [line for line in lines + report.problems if line]


def measured(call: Callable[[], Response]) -> tuple[Response, float, float]:
    """The call's result, seconds and peak megabytes allocated while it ran."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = call()
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, time.monotonic() - started, peak / (1 << 20)


# -- memory -------------------------------------------------------------------------------


def test_a_stacked_encoding_bomb_is_refused_undecoded(
    server: HostileServer, client: PoliteClient
) -> None:
    bomb = gzip.compress(gzip.compress(b"\0" * (64 << 20)))  # 64 MB inside two layers
    server.handlers["/bomb"] = answer("200 OK", {"Content-Encoding": "gzip, gzip"}, bomb)
    response, seconds, megabytes = measured(lambda: client.get(server.url("/bomb")))
    print(f"\nstacked bomb of {len(bomb):,} bytes: {seconds:.2f} s, peak {megabytes:.1f} MB")
    assert response.error and "encoded 2 times" in response.error
    assert seconds < 5 and megabytes < 100


def test_a_one_layer_bomb_stops_at_the_cap_without_decoding_it_all(
    server: HostileServer, client: PoliteClient
) -> None:
    bomb = gzip.compress(b"\0" * (256 << 20))  # 256 MB of zeros in about 250 KB
    server.handlers["/bomb"] = answer("200 OK", {"Content-Encoding": "gzip"}, bomb)
    response, seconds, megabytes = measured(lambda: client.get(server.url("/bomb")))
    print(f"\none-layer bomb of {len(bomb):,} bytes: {seconds:.2f} s, peak {megabytes:.1f} MB")
    assert response.error and "larger than 10 MB" in response.error
    assert seconds < 5 and megabytes < 100


def test_a_deflate_body_raw_or_wrapped_is_read(server: HostileServer, client: PoliteClient) -> None:
    import zlib

    wrapped = zlib.compress(b"wrapped body")
    squeezer = zlib.compressobj(wbits=-15)
    raw = squeezer.compress(b"raw body") + squeezer.flush()
    server.handlers["/wrapped"] = answer("200 OK", {"Content-Encoding": "deflate"}, wrapped)
    server.handlers["/raw"] = answer("200 OK", {"Content-Encoding": "deflate"}, raw)
    assert client.get(server.url("/wrapped")).body == b"wrapped body"
    assert client.get(server.url("/raw")).body == b"raw body"


# -- time ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dripped",
    [b"HTTP/1.1 200 OK\r\n", b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nX-Slow: " + b"a" * 60],
    ids=["status line", "headers"],
)
def test_a_dripping_server_is_cut_off_at_the_deadline(
    server: HostileServer, client: PoliteClient, dripped: bytes
) -> None:
    server.handlers["/slow"] = drip(dripped, every=0.2)
    started = time.monotonic()
    response = client.get(server.url("/slow"))
    seconds = time.monotonic() - started
    print(f"\ndripped: cut off after {seconds:.2f} s (deadline 2 s)")
    assert response.error == "took longer than 2 s" and seconds < 2 + 5


def test_abort_stops_a_dripping_exchange_within_a_second(server: HostileServer) -> None:
    server.handlers["/slow"] = drip(b"HTTP/1.1 200 OK\r\n", every=0.5)
    patient = PoliteClient(host_gap=0.01, deadline=60.0)
    threading.Timer(0.5, patient.abort).start()
    started = time.monotonic()
    response = patient.get(server.url("/slow"))
    seconds = time.monotonic() - started
    patient.close()
    assert response.error == "stopped" and seconds < 0.5 + 1


def test_a_fetch_stopped_midway_ends_within_a_second_keeping_what_came(
    server: HostileServer, library: Workspace
) -> None:
    """The app quitting (`stop`) during a page that drips: the fetch returns at once."""
    quick = PoliteClient(host_gap=0.01, deadline=60.0)
    summary = "A short summary only."
    items = [item(server.url("/slow-page"), "Slow", summary)]
    items.append(item(server.url("/none"), "Told in full"))
    server.handlers["/feed"] = feed_answer(rss(items))
    server.handlers["/slow-page"] = drip(b"HTTP/1.1 200 OK\r\n", every=0.5)
    library.following().add(server.url("/feed"), client=quick)
    asked = time.monotonic() + 1.0
    started = time.monotonic()
    report = library.fetch(client=quick, force=True, stop=lambda: time.monotonic() > asked)
    seconds = time.monotonic() - started
    quick.close()
    print(f"\nstopped fetch returned after {seconds:.2f} s (stop asked at 1 s)")
    assert seconds < 1 + 1
    written = "".join(p.read_text() for p in (library.data.library_dir / "articles").glob("*.md"))
    assert "Told in full" in written and len(report.new) >= 1  # what came is kept


def test_retry_after_takes_ascii_digits_or_an_http_date_only() -> None:
    now = time.time()
    assert retry_after("120", now) == 120.0
    assert retry_after("²", now) is None
    assert retry_after("-5", now) is None
    assert retry_after("Fri, 01 Jan 99999999999 00:00:00 GMT", now) is None
    assert retry_after("9" * 40, now) == 7 * 24 * 3600.0  # absurd waits are cut to a week
    assert retry_after("Thu, 01 Jan 1970 00:00:00 GMT", now) == 0.0


# -- parsing and size ----------------------------------------------------------------------


def test_a_300_kb_author_imports_in_under_two_seconds(
    server: HostileServer, library: Workspace, client: PoliteClient
) -> None:
    author = "<author>" + "a" * 300_000 + "</author>"
    server.handlers["/feed"] = feed_answer(
        rss([item(server.url("/a"), "Long author", extra=author)])
    )
    started = time.monotonic()
    report = follow_and_fetch(library, server.url("/feed"), client)
    seconds = time.monotonic() - started
    print(f"\n300 KB author: fetched and imported in {seconds:.2f} s")
    assert len(report.new) == 1 and seconds < 2


def test_a_100_kb_title_is_capped_imported_and_found(
    server: HostileServer, library: Workspace, client: PoliteClient
) -> None:
    title = "Kaesong " + "x" * 100_000
    tags = "".join(f"<category>tag{n}</category>" for n in range(8000))
    server.handlers["/feed"] = feed_answer(rss([item(server.url("/t"), title, extra=tags)]))
    report = follow_and_fetch(library, server.url("/feed"), client)
    assert len(report.new) == 1
    library.sync()
    found = library.search(SearchRequest(Filters("kaesong"), limit=5))
    assert found.total == 1 and len(found.hits[0].title) <= 501
    again = library.fetch(client=client, force=True)  # known now: nothing new, nothing lost
    assert again.feeds[0].status in ("nothing new", "not modified")


def test_a_summary_feed_stops_at_the_page_budget_and_keeps_what_it_fetched(
    server: HostileServer,
    library: Workspace,
    client: PoliteClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fetcher, "PAGES_PER_FEED", 10)

    def page(number: int) -> Handler:  # a different article each: none is a duplicate
        words = " ".join(f"word{number}x{n}" for n in range(300))
        html = f"<html><body><article><h1>Item {number}</h1><p>{words}</p></article></body></html>"
        return answer("200 OK", {"Content-Type": "text/html"}, html.encode())

    items = []
    for number in range(60):
        server.handlers[f"/p{number}"] = page(number)
        items.append(item(server.url(f"/p{number}"), f"Item {number}", "A summary."))
    server.handlers["/feed"] = feed_answer(rss(items), ETag='"v1"')
    report = follow_and_fetch(library, server.url("/feed"), client)
    pages = sum(1 for hit in server.hits if hit.startswith("/p"))
    assert pages == 10 and len(report.new) == 10
    assert any("50 more items wait for the next fetch" in line for line in said(report))
    later = library.fetch(client=client, force=True)  # no validators sent: the rest come
    assert len(later.new) == 10


# -- validators -------------------------------------------------------------------------------


def test_a_non_ascii_etag_is_not_kept_and_the_feed_lives_on(
    server: HostileServer, library: Workspace, client: PoliteClient
) -> None:
    server.handlers["/feed"] = feed_answer(rss([item(server.url("/e"), "E")]), ETag='"é"')
    first = follow_and_fetch(library, server.url("/feed"), client)
    second = library.fetch(client=client, force=True)
    assert first.feeds[0].status == "new" and second.feeds[0].status == "nothing new"
    assert server.hits.count("/feed") >= 3  # add, fetch, fetch: every request went out


# -- where requests go --------------------------------------------------------------------------


def test_a_redirect_to_another_local_port_is_refused(
    server: HostileServer, other_server: HostileServer, client: PoliteClient
) -> None:
    other_server.handlers["/secret"] = answer("200 OK", {}, b"the router's admin page")
    server.handlers["/feed"] = answer("302 Found", {"Location": other_server.url("/secret")}, b"")
    response = client.get(server.url("/feed"))
    assert response.error and "local or private address" in response.error
    assert other_server.hits == []


def test_an_item_linking_to_another_local_port_is_not_fetched(
    server: HostileServer,
    other_server: HostileServer,
    library: Workspace,
    client: PoliteClient,
) -> None:
    other_server.handlers["/secret"] = answer("200 OK", {}, b"<p>private</p>")
    items = [item(other_server.url("/secret"), "Pointing inward", "A summary.")]
    server.handlers["/feed"] = feed_answer(rss(items))
    report = follow_and_fetch(library, server.url("/feed"), client)
    assert other_server.hits == []
    assert any("local or private address" in line for line in said(report))


def test_a_link_with_invisible_characters_is_never_stored(
    server: HostileServer, library: Workspace, client: PoliteClient
) -> None:
    link = server.url("/a") + "\u202e\u200b"
    server.handlers["/feed"] = feed_answer(rss([item(link, "Invisible")]))
    report = follow_and_fetch(library, server.url("/feed"), client)
    written = "".join(p.read_text() for p in (library.data.library_dir / "articles").glob("*.md"))
    assert len(report.new) == 1 and "\u202e" not in written and "\u200b" not in written


# -- what is said -------------------------------------------------------------------------------


def test_no_line_about_hostile_answers_names_an_exception(
    server: HostileServer, library: Workspace, client: PoliteClient
) -> None:
    server.handlers["/feed"] = feed_answer(
        rss(
            [
                item(server.url("/bad-gzip"), "Bad gzip", "Summary."),
                item(server.url("/busy"), "Busy", "Summary."),
                item(server.url("/slow"), "Slow", "Summary."),
            ]
        )
    )
    server.handlers["/bad-gzip"] = answer("200 OK", {"Content-Encoding": "gzip"}, b"not gzip")
    server.handlers["/busy"] = answer("503 Busy", {"Retry-After": "²"}, b"")
    server.handlers["/slow"] = drip(b"HTTP/1.1 200 OK\r\n", every=0.3)
    report = follow_and_fetch(library, server.url("/feed"), client)
    lines = said(report)
    assert lines and report.feeds[0].status in ("new", "nothing new")
    for line in lines:
        assert not any(word in line for word in EXCEPTION_WORDS), line


def test_an_opml_of_10000_feeds_imports_in_seconds_without_fetching(
    tmp_path: Path, library: Workspace, server: HostileServer
) -> None:
    outlines = "".join(
        f'<outline type="rss" text="Feed {n}" xmlUrl="{server.url(f"/f{n}")}"/>'
        for n in range(10_000)
    )
    opml = tmp_path / "many.opml"
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>')
    started = time.monotonic()
    added, skipped = library.following().import_opml(opml)
    seconds = time.monotonic() - started
    print(f"\n10,000-feed OPML imported in {seconds:.2f} s")
    assert len(added) == 10_000 and skipped == [] and seconds < 10
    assert server.hits == []  # adding is not fetching
    again, refused = library.following().import_opml(opml)
    assert again == [] and len(refused) == 10_000 and "followed already" in refused[0]


def test_a_feed_url_with_invisible_characters_is_refused_at_the_door(library: Workspace) -> None:
    from index.errors import FeedsError

    with pytest.raises(FeedsError, match="invisible") as refused:
        library.following().add("https://example.org/feed\u202e.xml")
    assert "\u202e" not in str(refused.value)


def test_a_permanent_redirect_to_another_host_moves_the_feed_only_when_accepted(
    server: HostileServer, library: Workspace, client: PoliteClient
) -> None:
    """Followed for the fetch; feeds.yaml changes only after `briefing feeds accept`."""
    elsewhere = f"http://localhost:{server.port}/feed"  # another host name, the same server
    server.handlers["/feed"] = feed_answer(rss([item(server.url("/m"), "Moved")]))
    server.handlers["/old"] = answer("301 Moved Permanently", {"Location": elsewhere}, b"")
    report = follow_and_fetch(library, server.url("/old"), client)
    feed_id = report.feeds[0].feed.id
    assert report.feeds[0].proposed_move == elsewhere and report.feeds[0].moved_to is None
    assert any("feeds accept" in line for line in report.problems)
    following = library.following()
    assert following.feeds()[0][0].url == server.url("/old")  # not moved by a redirect
    states = dict((feed.id, state) for feed, state in following.states()[0])
    assert states[feed_id].moved_to == elsewhere
    assert following.accept_move(feed_id) == elsewhere
    assert following.feeds()[0][0].url == elsewhere


HIDDEN = ("\x1b]52;c;aGk=\x07", "\u202e", "\u200b", "\U000e0041", "\u3164", "\u2066", "\x9b")


def test_no_command_prints_control_bidi_zero_width_tag_or_filler_characters(
    corpus_dir: Path, data_paths: DataPaths
) -> None:
    from tests.helpers import BRIEFING

    title = "Feed" + "".join(HIDDEN) + " title"
    feeds = data_paths.library_dir / "feeds.yaml"
    feeds.parent.mkdir(parents=True, exist_ok=True)
    feeds.write_text(
        yaml.safe_dump(
            [{"id": "odd", "url": "https://example.org/f.xml", "title": title}], allow_unicode=True
        )
    )
    where = ["--content", str(corpus_dir), "--data", str(data_paths.root)]
    for command in (
        ["feeds", "list"],
        ["feeds", "list", "--json"],
        ["feeds", "export"],
        ["emerging", "--days", "0"],
        ["stories", "--limit", "x"],
    ):
        done = subprocess.run(
            [*BRIEFING, *command, *where], capture_output=True, text=True, timeout=60
        )
        printed = done.stdout + done.stderr
        assert not any(hidden in printed for hidden in HIDDEN), (command, printed)
        assert "Traceback" not in printed, command


def test_bodies_decode_whole_and_a_cut_one_is_refused() -> None:
    import zlib

    from index.feeds.exchange import Body

    two = gzip.compress(b"first member ") + gzip.compress(b"second member")
    body = Body("gzip", 1 << 20)
    assert body.feed(two)
    body.finish()
    assert bytes(body.data) == b"first member second member"
    cut = Body("gzip", 1 << 20)
    cut.feed(gzip.compress(bytes(range(256)) * 40)[:100])
    with pytest.raises(zlib.error):
        cut.finish()
    wrapped = zlib.compress(b"wrapped")
    byte_by_byte = Body("deflate", 1 << 20)
    for start in range(len(wrapped)):
        byte_by_byte.feed(wrapped[start : start + 1])
    byte_by_byte.finish()
    assert bytes(byte_by_byte.data) == b"wrapped"


def test_a_feed_a_page_names_on_another_local_port_is_not_asked_for(
    server: HostileServer, other_server: HostileServer, library: Workspace, client: PoliteClient
) -> None:
    from index.errors import FeedsError

    other_server.handlers["/feed"] = feed_answer(rss([item(other_server.url("/x"), "X")]))
    page = (
        f'<html><head><link rel="alternate" type="application/rss+xml" '
        f'href="{other_server.url("/feed")}"></head><body>hi</body></html>'
    )
    server.handlers["/"] = answer("200 OK", {"Content-Type": "text/html"}, page.encode())
    with pytest.raises(FeedsError, match="local or private address"):
        library.following().add(server.url("/"), client=client)
    assert other_server.hits == []


def test_a_stopped_fetch_is_no_failure_and_the_next_one_asks_again(
    server: HostileServer, library: Workspace
) -> None:
    quick = PoliteClient(host_gap=0.01, deadline=60.0)
    server.handlers["/feed"] = drip(b"HTTP/1.1 200 OK\r\n", every=0.5)
    library.following().subscriptions.add(Feed("slow", server.url("/feed"), None, "S", False))
    stopped = library.fetch(client=quick, force=True, stop=lambda: True)
    server.handlers["/feed"] = feed_answer(rss([item(server.url("/a"), "After")]))
    again = library.fetch(client=quick, force=True)
    quick.close()
    assert stopped.feeds[0].status == "waiting"
    assert again.feeds[0].status == "new"  # no back-off after a stop


def test_a_move_to_https_on_the_same_host_needs_no_consent() -> None:
    from index.feeds.where import same_host

    assert same_host("http://example.org/feed", "https://example.org/feed.xml")
    assert not same_host("http://example.org/feed", "https://example.net/feed")
    assert not same_host("http://example.org:8080/f", "https://example.org:8443/f")


def test_an_import_does_not_wait_for_a_fetch_stuck_on_the_network(
    server: HostileServer, library: Workspace, tmp_path: Path
) -> None:
    """The fetch takes the import lock only around each record, not across network waits."""
    quick = PoliteClient(host_gap=0.01, deadline=60.0)
    items = [item(server.url("/told"), "Told in full"), item(server.url("/slow"), "Slow", "Sum.")]
    server.handlers["/feed"] = feed_answer(rss(items))
    server.handlers["/slow"] = drip(b"HTTP/1.1 200 OK\r\n", every=0.5)
    library.following().subscriptions.add(Feed("slow", server.url("/feed"), None, "S", None))
    release = threading.Event()
    fetching = threading.Thread(
        target=lambda: library.fetch(client=quick, force=True, stop=release.is_set)
    )
    fetching.start()
    while server.hits.count("/slow") < 1:
        time.sleep(0.02)
    text = tmp_path / "meanwhile.txt"
    text.write_text("Meanwhile in Kaesong\n\nA report imported while a fetch waits on a page.\n")
    started = time.monotonic()
    imported = library.import_files([text])
    seconds = time.monotonic() - started
    release.set()
    fetching.join(10)
    quick.close()
    print(f"\nimport during a stuck fetch: {seconds:.2f} s")
    assert len(imported.imported) == 1 and seconds < 5
    written = "".join(p.read_text() for p in (library.data.library_dir / "articles").glob("*.md"))
    assert "Told in full" in written and "Meanwhile in Kaesong" in written
