"""The fetcher against a server this test starts on 127.0.0.1: robots.txt,
retries, the cache, the size cap, timeouts, and every way a URL or a redirect
could lead somewhere it must not."""
from __future__ import annotations

import collections
import gzip
import http.server
import socket
import threading
import time

import pytest

from scraper import fetch as F


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        srv = self.server
        path = self.path
        srv.hits[path] += 1
        srv.user_agents.append(self.headers.get("User-Agent"))
        srv.hosts.append(self.headers.get("Host"))
        route = srv.routes.get(path)
        if route is None:
            return self._send(404, b"not found")
        if isinstance(route, list):  # a sequence of answers, the last one repeats
            route = route[min(srv.hits[path] - 1, len(route) - 1)]
        if callable(route):
            return route(self)
        status, headers, body = route
        return self._send(status, body, headers)

    def _send(self, status, body=b"", headers=None):
        self.send_response(status)
        headers = dict(headers or {})
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def _server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.daemon_threads = True
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    srv.base = f"http://127.0.0.1:{srv.server_address[1]}"
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def server(_server):
    """The module's server with fresh routes and counters for each test."""
    _server.routes = {"/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")}
    _server.hits = collections.Counter()
    _server.user_agents = []
    _server.hosts = []
    F.reset_state()
    return _server


@pytest.fixture
def fetcher(tmp_path):
    F.reset_state()
    sleeps = []
    f = F.Fetcher(cache_dir=tmp_path / "fetch-cache", allow_loopback=True, min_interval=0.0,
                  backoff=0.01, max_backoff=0.05, read_timeout=1.0, connect_timeout=1.0,
                  total_timeout=3.0, sleep=lambda s: (sleeps.append(s), time.sleep(min(s, 0.05))))
    f.sleeps = sleeps
    return f


THAI_PAGE = "<html><body><h1>ข่าว ป.ป.ช. พิษณุโลก</h1></body></html>".encode()


def test_fetch_returns_body_type_charset_and_sends_our_user_agent(server, fetcher):
    server.routes["/news"] = (200, {"Content-Type": "text/html; charset=TIS-620"}, THAI_PAGE)
    r = fetcher.fetch(server.base + "/news")
    assert r.status == 200 and r.content == THAI_PAGE
    assert r.content_type == "text/html" and r.encoding_hint == "tis-620"
    assert r.final_url == server.base + "/news" and not r.from_cache
    assert all(ua.startswith("ThaiIntegrityArchiveBot/0.1 (+http") for ua in server.user_agents)
    # The connection went to the checked address, the Host header is the URL's.
    assert server.hosts[-1] == server.base.removeprefix("http://")


def test_robots_txt_disallow_is_obeyed_and_read_once_per_host(server, fetcher):
    server.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"},
                                    b"User-agent: *\nDisallow: /private/\n")
    server.routes["/private/page"] = (200, {}, b"secret")
    server.routes["/public"] = (200, {}, b"ok")
    with pytest.raises(F.RobotsDisallowed) as exc:
        fetcher.fetch(server.base + "/private/page")
    assert "robots.txt" in exc.value.reason
    assert server.hits["/private/page"] == 0
    assert fetcher.fetch(server.base + "/public").content == b"ok"
    assert server.hits["/robots.txt"] == 1


def test_robots_txt_naming_our_agent_is_obeyed(server, fetcher):
    server.routes["/robots.txt"] = (200, {}, b"User-agent: ThaiIntegrityArchiveBot\nDisallow: /\n\n"
                                            b"User-agent: *\nAllow: /\n")
    server.routes["/x"] = (200, {}, b"x")
    with pytest.raises(F.RobotsDisallowed):
        fetcher.fetch(server.base + "/x")


def test_missing_robots_txt_allows_and_forbidden_robots_txt_disallows(server, fetcher):
    del server.routes["/robots.txt"]  # 404
    server.routes["/x"] = (200, {}, b"x")
    assert fetcher.fetch(server.base + "/x").content == b"x"
    F.reset_state()
    server.routes["/robots.txt"] = (403, {}, b"no")
    with pytest.raises(F.RobotsDisallowed):
        fetcher.fetch(server.base + "/x", refresh=True)


@pytest.mark.parametrize("status", [429, 503])
def test_429_and_503_are_retried_with_backoff_then_succeed(server, fetcher, status):
    server.routes["/busy"] = [(status, {"Retry-After": "0"}, b"busy"),
                              (status, {}, b"busy"), (200, {}, b"done")]
    r = fetcher.fetch(server.base + "/busy")
    assert r.content == b"done" and server.hits["/busy"] == 3
    backoffs = [s for s in fetcher.sleeps if s > 0]
    assert len(backoffs) == 2 and backoffs[1] > backoffs[0]  # exponential


def test_retry_after_is_respected_but_capped(server, fetcher):
    server.routes["/slow-down"] = [(429, {"Retry-After": "3600"}, b""), (200, {}, b"ok")]
    assert fetcher.fetch(server.base + "/slow-down").content == b"ok"
    assert max(fetcher.sleeps) == pytest.approx(fetcher.max_backoff)


def test_retries_give_up_with_the_last_status(server, fetcher):
    server.routes["/down"] = (503, {}, b"down")
    with pytest.raises(F.HTTPStatusError) as exc:
        fetcher.fetch(server.base + "/down")
    assert exc.value.status == 503
    assert server.hits["/down"] == fetcher.retries + 1


def test_not_found_is_not_retried(server, fetcher):
    with pytest.raises(F.HTTPStatusError) as exc:
        fetcher.fetch(server.base + "/missing")
    assert exc.value.status == 404 and server.hits["/missing"] == 1


def test_cache_hit_does_not_refetch(server, fetcher, tmp_path):
    server.routes["/cached"] = (200, {}, THAI_PAGE)
    first = fetcher.fetch(server.base + "/cached")
    # A new fetcher (a re-run) with the same cache folder.
    again = F.fetch(server.base + "/cached", cache_dir=fetcher.cache_dir, allow_loopback=True,
                    min_interval=0)
    assert again.content == first.content and again.from_cache
    assert server.hits["/cached"] == 1
    # No temporary files are left behind in the cache.
    assert not [p for p in fetcher.cache_dir.rglob("*") if p.name.endswith(".tmp")]
    fetcher.fetch(server.base + "/cached", refresh=True)
    assert server.hits["/cached"] == 2


def test_torn_cache_entry_is_fetched_again(server, fetcher):
    server.routes["/page"] = (200, {}, b"full body")
    fetcher.fetch(server.base + "/page")
    _, body_path = fetcher._cache_paths(server.base + "/page")
    body_path.write_bytes(b"full")  # half-written body from a crash
    r = fetcher.fetch(server.base + "/page")
    assert r.content == b"full body" and not r.from_cache and server.hits["/page"] == 2


def test_oversize_response_by_content_length_is_refused(server, fetcher):
    fetcher.max_bytes = 1000
    server.routes["/big"] = (200, {}, b"x" * 5000)
    with pytest.raises(F.ResponseTooLarge) as exc:
        fetcher.fetch(server.base + "/big")
    assert "limit" in exc.value.reason


def test_oversize_streamed_response_without_length_is_cut(server, fetcher):
    fetcher.max_bytes = 100_000

    def endless(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Connection", "close")
        handler.end_headers()
        try:
            for _ in range(1000):
                handler.wfile.write(b"y" * 10_000)
        except (BrokenPipeError, ConnectionResetError):
            pass
        handler.close_connection = True

    server.routes["/stream"] = endless
    with pytest.raises(F.ResponseTooLarge):
        fetcher.fetch(server.base + "/stream")


def test_gzip_bomb_is_capped_after_decompression(server, fetcher):
    fetcher.max_bytes = 1_000_000
    bomb = gzip.compress(b"\0" * 20_000_000)
    assert len(bomb) < fetcher.max_bytes
    server.routes["/bomb"] = (200, {"Content-Encoding": "gzip"}, bomb)
    with pytest.raises(F.ResponseTooLarge):
        fetcher.fetch(server.base + "/bomb")


def test_read_timeout(server, fetcher):
    def hang(handler):
        time.sleep(2.5)
        handler._send(200, b"late")

    server.routes["/hang"] = hang
    fetcher.retries = 0
    with pytest.raises(F.FetchTimeout):
        fetcher.fetch(server.base + "/hang")


def test_slow_drip_hits_the_total_deadline(server, fetcher):
    def drip(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        try:
            for _ in range(100):
                handler.wfile.write(b"z")
                handler.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass

    server.routes["/drip"] = drip
    fetcher.retries = 0
    fetcher.total_timeout = 0.5
    with pytest.raises(F.FetchTimeout):
        fetcher.fetch(server.base + "/drip")


def test_connection_refused_is_retried_then_reported(fetcher):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens here now
    with pytest.raises(F.ConnectionFailed):
        fetcher.fetch(f"http://127.0.0.1:{port}/x")
    assert len([x for x in fetcher.sleeps if x > 0]) >= fetcher.retries


def test_redirects_are_followed_and_each_hop_recorded(server, fetcher):
    server.routes["/old"] = (301, {"Location": "/mid"}, b"")
    server.routes["/mid"] = (302, {"Location": server.base + "/new"}, b"")
    server.routes["/new"] = (200, {}, b"new")
    r = fetcher.fetch(server.base + "/old")
    assert r.content == b"new" and r.final_url == server.base + "/new"


@pytest.mark.parametrize("location", [
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "ftp://example.org/x",
    "gopher://127.0.0.1:25/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
])
def test_redirect_to_another_scheme_is_refused(server, fetcher, location):
    server.routes["/go"] = (302, {"Location": location}, b"")
    with pytest.raises(F.SchemeNotAllowed):
        fetcher.fetch(server.base + "/go")


@pytest.mark.parametrize("target", [
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/",
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://172.16.0.1/",
    "http://[fc00::1]/",
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "http://[::ffff:169.254.169.254]/",
])
def test_redirect_to_a_non_public_address_is_refused(server, fetcher, target):
    server.routes["/go"] = (302, {"Location": target}, b"")
    with pytest.raises(F.AddressNotAllowed):
        fetcher.fetch(server.base + "/go")


def test_redirect_chain_through_several_hops_to_metadata_service_is_refused(server, fetcher):
    server.routes["/a"] = (301, {"Location": "/b"}, b"")
    server.routes["/b"] = (307, {"Location": "/c"}, b"")
    server.routes["/c"] = (308, {"Location": "http://169.254.169.254/latest/meta-data/iam"}, b"")
    with pytest.raises(F.AddressNotAllowed) as exc:
        fetcher.fetch(server.base + "/a")
    assert "169.254.169.254" in exc.value.reason and "link-local" in exc.value.reason


def test_redirect_loop_stops_at_max_redirects(server, fetcher):
    server.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(F.TooManyRedirects):
        fetcher.fetch(server.base + "/loop")
    assert server.hits["/loop"] == fetcher.max_redirects + 1


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "ftp://example.org/",
    "gopher://example.org/",
    "javascript:alert(1)",
    "data:text/plain,hi",
    "/relative/path",
    "example.org/no-scheme",
    "http://",
    "http://example.org/\r\nX-Injected: 1",
])
def test_non_http_urls_are_refused(fetcher, url):
    with pytest.raises(F.SchemeNotAllowed):
        fetcher.fetch(url)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://localhost/", "http://[::1]/", "http://2130706433/",
    "http://0x7f.1/", "http://169.254.169.254/latest/meta-data/",
])
def test_loopback_and_link_local_refused_by_default(url, tmp_path):
    F.reset_state()
    with pytest.raises(F.AddressNotAllowed):
        F.fetch(url, cache_dir=tmp_path, min_interval=0, retries=0)


def test_loopback_server_refused_without_the_flag(server, tmp_path):
    server.routes["/x"] = (200, {}, b"x")
    with pytest.raises(F.AddressNotAllowed):
        F.fetch(server.base + "/x", cache_dir=tmp_path, min_interval=0)
    assert sum(server.hits.values()) == 0


def test_per_host_rate_limit_spaces_requests(server, tmp_path):
    F.reset_state()
    sleeps = []
    # A stopped clock: the fake sleep passes no time, however long the
    # requests themselves take on a busy machine.
    f = F.Fetcher(cache_dir=tmp_path, allow_loopback=True, min_interval=5.0, use_cache=False,
                  sleep=sleeps.append, clock=lambda: 1000.0)
    server.routes["/a"] = (200, {}, b"a")
    f.fetch(server.base + "/a")
    f.fetch(server.base + "/a")
    # robots.txt, then /a, then /a again: the second and third requests are
    # booked 5 s and 10 s after the first.
    assert sleeps == [5.0, 10.0]


def test_cli_reports_a_refusal_in_one_line_and_fails(capsys, tmp_path):
    rc = F.main(["file:///etc/passwd", "--cache-dir", str(tmp_path)])
    err = capsys.readouterr().err.strip()
    assert rc == 1 and len(err.splitlines()) == 1 and "only http and https" in err


def test_cli_fetches_with_allow_loopback(server, capsys, tmp_path):
    F.reset_state()
    server.routes["/x"] = (200, {}, b"hello")
    out = tmp_path / "body.html"
    rc = F.main([server.base + "/x", "--allow-loopback", "--cache-dir", str(tmp_path / "c"),
                 "-o", str(out)])
    assert rc == 0 and out.read_bytes() == b"hello"
    assert "200" in capsys.readouterr().out
