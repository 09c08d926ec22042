"""Following feeds against a real server on 127.0.0.1: politeness, HTTP, import, OPML."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from index.content.articles import read_article
from index.errors import FeedsError, FetchBusy
from index.feeds.http import PoliteClient, retry_after
from index.feeds.ledger import BACKOFF_BASE, BACKOFF_CAP, FeedState, Ledger
from index.feeds.subscriptions import Feed
from index.models import Filters, SearchRequest
from index.paths import DataPaths
from index.storage import file_lock
from index.workspace import Workspace
from tests.feed_server import FeedServer, Reply, articles, conditional, fixed, rss, serve_site
from tui.cli import main

LAST_MODIFIED = "Tue, 01 Dec 2026 08:00:00 GMT"


@pytest.fixture
def library(corpus_dir: Path, data_paths: DataPaths) -> Iterator[Workspace]:
    workspace = Workspace([corpus_dir, data_paths.library_dir], data_paths)
    yield workspace
    workspace.close()


@pytest.fixture
def client() -> Iterator[PoliteClient]:
    """A client that waits 0.05 s between requests to a host (the default is 1 s)."""
    polite = PoliteClient(host_gap=0.05)
    yield polite
    polite.close()


def follow(
    workspace: Workspace, server: FeedServer, path: str, client: PoliteClient, **options: object
) -> str:
    added = workspace.following().add(server.url(path), client=client, **options)  # type: ignore[arg-type]
    return added.feed.id


def library_articles(workspace: Workspace) -> dict[str, str]:
    """title → text of every article in the library."""
    folder = workspace.data.library_dir / "articles"
    found = {}
    for path in sorted(folder.glob("*.md")):
        article = read_article(path).article
        assert article is not None, path
        found[article.title] = path.read_text(encoding="utf-8")
    return found


def test_a_fetch_brings_full_texts_in_and_a_second_one_is_a_304(
    feed_server: FeedServer, library: Workspace, client: PoliteClient
) -> None:
    serve_site(feed_server)
    feed_server.routes["/rss.xml"] = conditional(
        rss(feed_server, articles()), modified=LAST_MODIFIED
    )
    feed_id = follow(library, feed_server, "/rss.xml", client)
    report = library.fetch(client=client)
    assert [o.status for o in report.feeds] == ["new"] and len(report.new) == 3
    texts = library_articles(library)
    greenhouse = texts["Greenhouse farm opens in North Hwanghae Province"]
    assert "forty hectares opened this week" in greenhouse  # the page's text, not the summary
    assert "summary: A vegetable greenhouse farm has opened near Sariwon" in greenhouse
    assert "All rights reserved" not in greenhouse and "Politics" not in greenhouse
    assert "published: '2026-11-20'" in greenhouse
    library.sync()
    assert library.search(SearchRequest(Filters("Sariwon"))).total == 1

    pages_before = len(feed_server.seen)
    again = library.fetch(force=True, client=client)
    assert [o.status for o in again.feeds] == ["not modified"] and again.new == []
    asked = feed_server.requests("/rss.xml")[-1].headers
    assert asked["if-none-match"] == '"v1"' and asked["if-modified-since"] == LAST_MODIFIED
    assert len(feed_server.seen) == pages_before + 1  # the feed only: no page asked again
    state = Ledger.load(library.data.feeds_state).feeds[feed_id]
    assert (state.etag, state.last_modified) == ('"v1"', LAST_MODIFIED)  # kept after the 304

    waiting = library.fetch(client=client)  # not due for an hour: nothing is asked
    assert [o.status for o in waiting.feeds] == ["waiting"]
    assert len(feed_server.seen) == pages_before + 1


def test_only_new_items_pages_are_asked_for(
    feed_server: FeedServer, library: Workspace, client: PoliteClient
) -> None:
    serve_site(feed_server)
    first, *rest = articles()
    feed_server.routes["/rss.xml"] = fixed(Reply(200, rss(feed_server, [first])))
    follow(library, feed_server, "/rss.xml", client)
    assert len(library.fetch(client=client).new) == 1
    feed_server.routes["/rss.xml"] = fixed(Reply(200, rss(feed_server, [first, *rest])))
    report = library.fetch(force=True, client=client)
    assert len(report.new) == 2
    assert len(feed_server.requests("/news/" + first["slug"])) == 1


def test_retry_after_holds_even_against_force(
    feed_server: FeedServer, library: Workspace, client: PoliteClient
) -> None:
    serve_site(feed_server)
    feed_server.routes["/rss.xml"] = fixed(Reply(200, rss(feed_server, articles()[:1])))
    follow(library, feed_server, "/rss.xml", client)
    feed_server.routes["/rss.xml"] = fixed(Reply(429, b"slow down", {"Retry-After": "120"}))
    report = library.fetch(client=client)
    outcome = report.feeds[0]
    assert outcome.status == "failed" and "HTTP 429" in outcome.error and "120 s" in outcome.error
    assert 100 < outcome.waits_until - time.time() <= 121
    asked = len(feed_server.requests("/rss.xml"))
    forced = library.fetch(force=True, client=client)
    assert forced.feeds[0].status == "waiting" and "Retry-After" in forced.feeds[0].error
    assert len(feed_server.requests("/rss.xml")) == asked  # not asked again


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = time.time()
    assert retry_after("120", now) == 120.0
    later = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now + 3600))
    assert 3590 < (retry_after(later, now) or 0) <= 3600
    assert retry_after("soon", now) is None and retry_after(None, now) is None


def test_back_off_doubles_per_failure_up_to_a_cap() -> None:
    state = FeedState()
    waits = []
    for _ in range(12):
        state.failed(1000.0, 60, "HTTP 500")
        waits.append(state.backoff_until - 1000.0)
    assert waits[:3] == [BACKOFF_BASE, 2 * BACKOFF_BASE, 4 * BACKOFF_BASE]
    assert max(waits) == BACKOFF_CAP and state.failures == 12
    assert state.waits_for(1000.0 + BACKOFF_CAP - 1, force=True) is not None  # force waits
    state.succeeded(2000.0, 60, "new", 3)
    assert state.failures == 0 and state.waits_for(2000.0 + 3 * 3600) is None


def test_one_request_at_a_time_per_host_with_a_pause(
    feed_server: FeedServer, library: Workspace
) -> None:
    serve_site(feed_server)
    slow = PoliteClient(host_gap=0.3)
    for number, article in enumerate(articles()):
        path = f"/feed-{number}.xml"
        feed_server.routes[path] = fixed(Reply(200, rss(feed_server, [article]), trickle=0.01))
        library.following().subscriptions.add(Feed(f"feed-{number}", feed_server.url(path)))
    try:
        report = library.fetch(client=slow)
    finally:
        slow.close()
    assert len(report.new) == 3
    seen = sorted(feed_server.seen, key=lambda s: s.started)
    assert len(seen) == 6  # three feeds, three pages, all on 127.0.0.1
    for before, after in itertools.pairwise(seen):
        assert after.started >= before.ended + 0.29, (before.path, after.path)


def test_permanent_redirects_move_the_feed_and_temporary_ones_do_not(
    feed_server: FeedServer, library: Workspace, client: PoliteClient
) -> None:
    serve_site(feed_server)
    feed_server.routes["/rss.xml"] = fixed(Reply(200, rss(feed_server, articles()[:1])))
    feed_server.routes["/old.xml"] = fixed(Reply(301, b"", {"Location": "/rss.xml"}))
    feed_server.routes["/temp.xml"] = fixed(Reply(302, b"", {"Location": "/rss.xml"}))
    subscriptions = library.following().subscriptions
    subscriptions.add(Feed("old", feed_server.url("/old.xml")))
    subscriptions.add(Feed("temp", feed_server.url("/temp.xml")))
    report = library.fetch(client=client)
    assert {o.feed.id: o.moved_to for o in report.feeds} == {
        "old": feed_server.url("/rss.xml"),
        "temp": None,
    }
    urls = {feed.id: feed.url for feed in subscriptions.read()[0]}
    assert urls == {"old": feed_server.url("/rss.xml"), "temp": feed_server.url("/temp.xml")}
    assert len(report.new) == 1  # the same item through both: imported once


def test_gzip_json_feed_and_atom_are_read(
    feed_server: FeedServer, library: Workspace, client: PoliteClient
) -> None:
    one, two, _three = articles()
    html = "".join(f"<p>{p}</p>" for p in one["paragraphs"])
    feed_server.routes["/feed.json"] = fixed(
        Reply(
            200,
            json.dumps(
                {
                    "version": "https://jsonfeed.org/version/1.1",
                    "title": "JSON News",
                    "items": [
                        {
                            "id": "1",
                            "url": feed_server.url("/news/x"),
                            "title": one["title"],
                            "content_html": html,
                            "date_published": "2026-11-20T09:00:00Z",
                        }
                    ],
                }
            ).encode(),
            {"Content-Type": "application/feed+json"},
            gzip=True,
        )
    )
    atom_text = " ".join(two["paragraphs"])
    feed_server.routes["/atom.xml"] = fixed(
        Reply(
            200,
            (
                '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                "<title>Atom News</title>"
                f'<entry><title>{two["title"]}</title><link href="{feed_server.url("/news/y")}"/>'
                f'<id>y</id><updated>2026-11-22T00:00:00Z</updated><content type="html">'
                f"&lt;p&gt;{atom_text}&lt;/p&gt;</content></entry></feed>"
            ).encode(),
        )
    )
    follow(library, feed_server, "/feed.json", client)
    follow(library, feed_server, "/atom.xml", client)
    report = library.fetch(client=client)
    assert sorted(o.status for o in report.feeds) == ["new", "new"]
    assert feed_server.requests("/feed.json")[0].headers["accept-encoding"].startswith("gzip")
    assert not feed_server.requests("/news/x") and not feed_server.requests("/news/y")
    assert set(library_articles(library)) == {one["title"], two["title"]}


def test_slow_huge_and_malformed_feeds_fail_alone(
    feed_server: FeedServer, library: Workspace
) -> None:
    serve_site(feed_server)
    feed_server.routes["/good.xml"] = fixed(Reply(200, rss(feed_server, articles()[:1])))
    feed_server.routes["/slow.xml"] = fixed(Reply(200, rss(feed_server, articles()), trickle=0.2))
    feed_server.routes["/huge.xml"] = fixed(Reply(200, b"<rss>" + b" " * (11 << 20)))
    feed_server.routes["/bad.xml"] = fixed(Reply(200, b"<rss><channel><item><title>x"))
    for name in ("good", "slow", "huge", "bad"):
        library.following().subscriptions.add(Feed(name, feed_server.url(f"/{name}.xml")))
    impatient = PoliteClient(host_gap=0.05, deadline=1.0)
    try:
        report = library.fetch(client=impatient)
    finally:
        impatient.close()
    errors = {o.feed.id: o.error for o in report.feeds}
    assert errors["good"] == "" and len(report.new) == 1
    assert errors["slow"] == "took longer than 1 s"
    assert errors["huge"] == "larger than 10 MB; not read"
    assert errors["bad"].startswith("not a readable RSS or Atom feed: ")
    assert all("\n" not in error for error in errors.values())
    states = dict((f.id, s) for f, s in library.following().states()[0])
    assert states["bad"].failures == 1 and states["good"].failures == 0


def test_a_page_without_text_keeps_the_feeds_text_with_a_notice(
    feed_server: FeedServer, library: Workspace, client: PoliteClient
) -> None:
    feed_server.routes["/rss.xml"] = fixed(Reply(200, rss(feed_server, articles()[:1])))
    follow(library, feed_server, "/rss.xml", client)  # no pages served: 404
    report = library.fetch(client=client)
    assert len(report.new) == 1
    assert report.feeds[0].notices == [
        f"{feed_server.url('/news/greenhouse-farm')}: full text not found (HTTP 404); "
        "the feed's text is kept"
    ]
    (text,) = library_articles(library).values()
    assert "A vegetable greenhouse farm has opened near Sariwon" in text


def test_full_text_off_never_asks_for_pages(
    feed_server: FeedServer, library: Workspace, client: PoliteClient
) -> None:
    serve_site(feed_server)
    feed_server.routes["/rss.xml"] = fixed(Reply(200, rss(feed_server, articles())))
    follow(library, feed_server, "/rss.xml", client, full_text=False)
    assert len(library.fetch(client=client).new) == 3
    assert [s.path for s in feed_server.seen] == ["/rss.xml", "/rss.xml"]  # add, then fetch


def test_adding_a_page_finds_its_feed_and_bad_urls_are_refused(
    feed_server: FeedServer, library: Workspace, client: PoliteClient
) -> None:
    serve_site(feed_server)
    feed_server.routes["/rss.xml"] = fixed(Reply(200, rss(feed_server, articles())))
    added = library.following().add(feed_server.url("/"), source="test-news", client=client)
    assert added.feed.url == feed_server.url("/rss.xml") and added.found_on
    assert (added.feed.id, added.feed.title, added.kind, added.items) == (
        "test-news",
        "Test News",
        "RSS",
        3,
    )
    with pytest.raises(FeedsError, match="followed already"):
        library.following().add(feed_server.url("/rss.xml"), client=client)
    with pytest.raises(FeedsError, match="not an http"):
        library.following().add("file:///etc/passwd", client=client)
    with pytest.raises(FeedsError, match="HTTP 404; not added"):
        library.following().add(feed_server.url("/missing"), client=client)
    saved = yaml.safe_load((library.data.library_dir / "feeds.yaml").read_text())
    assert saved == [
        {
            "id": "test-news",
            "url": feed_server.url("/rss.xml"),
            "source": "test-news",
            "title": "Test News",
        }
    ]


def test_opml_import_and_export(library: Workspace, tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        '<outline text="Korea"><outline text="NK News &amp; Co" '
        'xmlUrl="https://example.org/nk.xml"/><outline '
        'xmlUrl="https://example.org/other.xml"/></outline>'
        '<outline text="Bad" xmlUrl="ftp://example.org/x"/></body></opml>'
    )
    added, skipped = library.following().import_opml(opml)
    assert [(f.id, f.url) for f in added] == [
        ("nk-news-co", "https://example.org/nk.xml"),
        ("example-org-other-xml", "https://example.org/other.xml"),
    ]
    assert skipped == ["'ftp://example.org/x' is not an http:// or https:// URL"]
    exported = library.following().export_opml()
    assert 'xmlUrl="https://example.org/nk.xml"' in exported and "NK News &amp; Co" in exported
    with pytest.raises(FeedsError, match="not well-formed XML"):
        opml.write_text("<opml><body>")
        library.following().import_opml(opml)
    opml.write_text(
        '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY secret SYSTEM '
        '"file:///etc/hostname">]><opml><body><outline text="&secret;" '
        'xmlUrl="https://example.org/s.xml"/></body></opml>'
    )
    with pytest.raises(FeedsError, match="external entity"):  # never read, never followed
        library.following().import_opml(opml)


def test_a_fetch_killed_midway_asks_again_with_no_validators(
    feed_server: FeedServer,
    library: Workspace,
    client: PoliteClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    serve_site(feed_server)
    feed_server.routes["/rss.xml"] = conditional(rss(feed_server, articles()))
    follow(library, feed_server, "/rss.xml", client)
    from index.importing.library import Importer

    def killed(self: Importer, *args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Importer, "add", killed)
    with pytest.raises(KeyboardInterrupt):
        library.fetch(client=client)
    monkeypatch.undo()
    report = library.fetch(client=client)
    assert "if-none-match" not in feed_server.requests("/rss.xml")[-1].headers
    assert len(report.new) == 3


def test_a_second_fetch_at_once_is_refused(library: Workspace) -> None:
    with file_lock(library.data.fetch_lock), pytest.raises(FetchBusy, match="another briefing"):
        library.fetch()


def test_feeds_yaml_mistakes_are_one_line_each(library: Workspace) -> None:
    path = library.data.library_dir / "feeds.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        "- url: https://example.org/a.xml\n- url: gopher://x\n- {url: "
        "'https://example.org/b.xml', interval: 1}\n- just text\n"
    )
    feeds, problems = library.following().feeds()
    assert [feed.id for feed in feeds] == ["example-org-a-xml"]
    assert [p.split(": ", 1)[1] for p in problems] == [
        "entry 2: 'gopher://x' is not an http:// or https:// URL",
        "entry 3: interval 1: whole minutes, at least 5",
        "entry 4: not a mapping with a url",
    ]
    path.write_text("- [unclosed\n")
    with pytest.raises(FeedsError, match="left untouched"):
        library.following().subscriptions.add(Feed("x", "https://example.org/x.xml"))
    assert path.read_text() == "- [unclosed\n"


@pytest.mark.slow
def test_the_commands_follow_fetch_and_list(
    feed_server: FeedServer,
    corpus_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    serve_site(feed_server)
    feed_server.routes["/rss.xml"] = conditional(rss(feed_server, articles()))
    where = ["--content", str(corpus_dir), "--data", str(tmp_path / "cli-data")]
    assert main(["feeds", "add", feed_server.url("/"), *where]) == 0
    assert "Following test-news: Test News — RSS, 3 items now" in capsys.readouterr().out
    assert main(["fetch", *where]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 new articles from 1 feed.")
    assert main(["fetch", "--force", *where]) == 0
    assert capsys.readouterr().out.startswith("Nothing new · 1 not modified.")
    assert main(["feeds", "list", "--json", *where]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["status"] == "not modified" and listed["etag"] == '"v1"'
    assert listed["total_items"] == 3 and listed["failures"] == 0
    assert main(["search", "Kilju", "--json", *where]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 1


def test_hostile_items_and_titles_fail_alone(
    feed_server: FeedServer, library: Workspace, client: PoliteClient
) -> None:
    one, two, _three = articles()
    html = "".join(f"<p>{p}</p>" for p in one["paragraphs"])
    items = [
        {"id": "1", "url": "http://[bad/x", "title": one["title"], "content_html": html},
        {
            "id": "2",
            "url": "http://example.org:99999/x",
            "title": two["title"],
            "content_html": "".join(f"<p>{p}</p>" for p in two["paragraphs"]),
        },
    ]
    feed_server.routes["/feed.json"] = fixed(
        Reply(
            200,
            json.dumps(
                {
                    "version": "https://jsonfeed.org/version/1.1",
                    "title": "Evil\x1b]52;c;aGk=\x07 News",
                    "items": items,
                }
            ).encode(),
        )
    )
    added = library.following().add(feed_server.url("/feed.json"), client=client)
    assert "\x1b" not in added.feed.title and added.feed.title.startswith("Evil")
    report = library.fetch(client=client)
    assert report.feeds[0].status == "new" and len(report.new) == 2  # texts kept, no crash
    assert all("\x1b" not in line for line in library_articles(library))


def test_a_host_that_answers_429_for_a_page_is_left_alone(
    feed_server: FeedServer, library: Workspace, client: PoliteClient
) -> None:
    first, *rest = articles()
    feed_server.routes["/rss.xml"] = fixed(Reply(200, rss(feed_server, [first, *rest])))
    busy = fixed(Reply(429, b"", {"Retry-After": "5"}))
    for article in (first, *rest):
        feed_server.routes["/news/" + article["slug"]] = busy
    follow(library, feed_server, "/rss.xml", client)
    report = library.fetch(client=client)
    pages = [seen for seen in feed_server.seen if seen.path.startswith("/news/")]
    assert len(pages) == 1 and len(report.new) == 3  # one page asked; the feed's texts kept
    assert any("asked to wait" in notice for notice in report.feeds[0].notices)


def test_a_feed_without_an_id_is_removed_by_the_id_shown(library: Workspace) -> None:
    path = library.data.library_dir / "feeds.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("- url: https://example.org/a.xml\n  title: Some News\n")
    (feed,), _problems = library.following().feeds()
    library.following().remove(feed.id)
    assert library.following().feeds() == ([], [])
