"""A real HTTP server on 127.0.0.1 for the feed tests: feeds, pages, and misbehaviour.

Routes map a path to a function of the request that returns a `Reply`; every
request is recorded (path, headers, start and end time) so tests assert on
what briefing asked for and when. Nothing here reaches the internet.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml

ARTICLES_FILE = Path(__file__).parent / "data" / "feeds" / "articles.yaml"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    gzip: bool = False
    trickle: float = 0.0
    """Seconds between chunks of 64 bytes (a slow server)."""


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    started: float
    ended: float = 0.0


Route = Callable[[dict[str, str]], Reply]


class FeedServer:
    """`routes` by path; `url(path)` is the full URL; `seen` every request so far."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                record = Seen(
                    self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic()
                )
                with server._lock:
                    server.seen.append(record)
                route = server.routes.get(self.path)
                reply = route(record.headers) if route else Reply(404, b"not here")
                body = gzip.compress(reply.body) if reply.gzip else reply.body
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.gzip:
                        self.send_header("Content-Encoding", "gzip")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if reply.trickle:
                        for start in range(0, len(body), 64):
                            self.wfile.write(body[start : start + 64])
                            self.wfile.flush()
                            time.sleep(reply.trickle)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                record.ended = time.monotonic()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # Handler threads are joined when the server closes (a slow reply still
        # trickling cannot outlive its test), and it polls for shutdown every 50 ms:
        # at socketserver's 0.5 s, stopping the server was most of a feed test's time.
        self.httpd.daemon_threads = False
        self.httpd.block_on_close = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def requests(self, path: str) -> list[Seen]:
        with self._lock:
            return [seen for seen in self.seen if seen.path == path]

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def articles() -> list[dict[str, Any]]:
    return yaml.safe_load(ARTICLES_FILE.read_text(encoding="utf-8"))


def page_html(article: dict[str, Any]) -> bytes:
    """An article page with the clutter of a real site around the text."""
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in article["paragraphs"])
    return f"""<!doctype html><html><head><title>{escape(article["title"])} | Test News</title>
<link rel="alternate" type="application/rss+xml" title="Test News" href="/rss.xml">
</head><body><nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/economy">
Economy</a></nav><main><article><h1>{escape(article["title"])}</h1>
<p class="byline">By Test Reporter, {article["date"]}</p>
{paragraphs}
</article></main><footer>Copyright Test News. All rights reserved. Subscribe to our newsletter
for more.</footer></body></html>""".encode()


def rss(server: FeedServer, items: list[dict[str, Any]], full: bool = False) -> bytes:
    """An RSS 2.0 feed of `items`: summaries only, or (`full`) their whole text."""
    entries = []
    for article in items:
        text = "".join(f"<p>{escape(p)}</p>" for p in article["paragraphs"])
        description = escape(text if full else article["summary"])
        date = email.utils.format_datetime(_date(str(article["date"])))
        entries.append(
            f"<item><title>{escape(article['title'])}</title>"
            f"<link>{server.url('/news/' + article['slug'])}</link>"
            f"<guid>{article['slug']}</guid><pubDate>{date}</pubDate>"
            f"<description>{description}</description></item>"
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Test News</title><link>{server.url('/')}</link><language>en</language>"
        f"{''.join(entries)}</channel></rss>"
    ).encode()


def _date(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T09:00:00+00:00")


def serve_site(server: FeedServer) -> None:
    """Pages for every article at /news/<slug>, and a home page naming the feed."""
    for article in articles():
        html = Reply(200, page_html(article), {"Content-Type": "text/html; charset=utf-8"})
        server.routes["/news/" + article["slug"]] = fixed(html)
    home = articles()[0]
    server.routes["/"] = lambda _h: Reply(200, page_html(home), {"Content-Type": "text/html"})


def fixed(reply: Reply) -> Route:
    """A route that always gives `reply`."""
    return lambda _headers: reply


def conditional(
    body: bytes, etag: str = '"v1"', modified: str = "Tue, 01 Dec 2026 08:00:00 GMT"
) -> Route:
    """A feed that answers 304 when asked with the validators it gave."""

    def route(headers: dict[str, str]) -> Reply:
        validators = {
            "ETag": etag,
            "Last-Modified": modified,
            "Content-Type": "application/rss+xml",
        }
        if headers.get("if-none-match") == etag or headers.get("if-modified-since") == modified:
            return Reply(304, b"", {"ETag": etag, "Last-Modified": modified})
        return Reply(200, body, validators)

    return route
