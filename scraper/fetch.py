"""The archive's one way to the network: a polite fetcher that goes nowhere it
should not.

Rules, in the order a request meets them:
  * only http:// and https:// URLs (no file:, ftp:, data:, gopher: …);
  * the host is resolved first and EVERY address it resolves to must be a
    public one: loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7),
    link-local (169.254/16 — cloud metadata — and fe80::/10), multicast,
    reserved and unspecified addresses are refused. The connection then goes to
    the address that was checked, so a DNS answer cannot change between the
    check and the request. `allow_loopback=True` lets 127.0.0.1/::1 through,
    for tests against a server they start themselves;
  * robots.txt is read once per host and obeyed (and its Crawl-delay);
  * one request per host per `min_interval` seconds;
  * redirects are followed by hand, each hop checked by the same rules, at
    most `max_redirects` of them;
  * 429/502/503/504 and connection failures are retried with exponential
    backoff, honouring Retry-After up to `max_backoff` seconds;
  * connect/read timeouts plus a deadline for the whole download, so a server
    that drips a byte a second cannot hold us;
  * the body is streamed and abandoned past `max_bytes` (after decompression,
    so a gzip bomb is capped too);
  * successful responses are cached on disk (`cache/fetch/`, one file per URL
    hash, written atomically) so a re-run does not fetch again.

Every refusal is a `FetchError` subclass with a one-line `reason`."""
from __future__ import annotations

import argparse
import contextlib
import email.utils
import hashlib
import ipaddress
import json
import socket
import sys
import threading
import time
import urllib.robotparser
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from thaireports.reportfile import atomic_write_bytes

USER_AGENT = "ThaiIntegrityArchiveBot/0.1 (+https://github.com/thai-integrity-archive/archive)"
ROBOTS_AGENT = "ThaiIntegrityArchiveBot"
DEFAULT_CACHE_DIR = Path(__file__).resolve().parent.parent / "cache" / "fetch"
ALLOWED_SCHEMES = ("http", "https")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
RETRY_STATUSES = (429, 502, 503, 504)
MAX_BYTES = 10 * 1024 * 1024
ROBOTS_MAX_BYTES = 512 * 1024


# --- errors -----------------------------------------------------------------

class FetchError(Exception):
    """A URL that could not or must not be fetched; `reason` is one line."""

    def __init__(self, reason: str, url: str = ""):
        self.reason = reason
        self.url = url
        super().__init__(f"{url}: {reason}" if url else reason)


class SchemeNotAllowed(FetchError):
    """Not an http(s) URL (or a redirect to one that is not)."""


class AddressNotAllowed(FetchError):
    """The host resolves to a loopback, private, link-local or reserved address."""


class RobotsDisallowed(FetchError):
    """The site's robots.txt does not allow us this path."""


class TooManyRedirects(FetchError):
    """The redirect chain is longer than max_redirects."""


class ResponseTooLarge(FetchError):
    """The body is larger than max_bytes."""


class FetchTimeout(FetchError):
    """The server did not answer (or finish answering) in time."""


class ConnectionFailed(FetchError):
    """DNS failure, refused or reset connection, TLS error."""


class HTTPStatusError(FetchError):
    """A final response that is not 2xx."""

    def __init__(self, reason: str, url: str = "", status: int = 0):
        self.status = status
        super().__init__(reason, url)


# --- result -------------------------------------------------------------------

@dataclass(frozen=True)
class FetchResult:
    url: str                  # what was asked for
    final_url: str            # after redirects
    status: int
    content: bytes
    content_type: str         # e.g. "text/html" (lower case, no parameters)
    encoding_hint: str | None  # charset from the Content-Type header, if any
    from_cache: bool = False


# --- address and URL checks ---------------------------------------------------

def _address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
                     allow_loopback: bool) -> str | None:
    """Why `ip` must not be contacted, or None when it may."""
    if isinstance(ip, ipaddress.IPv6Address):
        # ::ffff:10.0.0.1 and 2002:a00:1:: (6to4) reach IPv4 space: judge that.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None:
            return _address_problem(embedded, allow_loopback)
    if ip.is_loopback:
        return None if allow_loopback else "loopback address"
    if ip.is_link_local:
        return "link-local address"
    if ip.is_multicast:
        return "multicast address"
    if ip.is_unspecified:
        return "unspecified address"
    if ip.is_private:
        return "private address"
    if ip.is_reserved:
        return "reserved address"
    if not ip.is_global:
        return "non-public address"
    return None


def resolve_checked(host: str, port: int, *, allow_loopback: bool = False, url: str = "") -> list[str]:
    """All addresses `host` resolves to, after checking every one of them."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise ConnectionFailed(f"cannot resolve host {host!r} ({exc})", url) from None
    addresses: list[str] = []
    for family, _, _, _, sockaddr in infos:
        addr = sockaddr[0].split("%", 1)[0]  # drop an IPv6 zone id
        ip = ipaddress.ip_address(addr)
        problem = _address_problem(ip, allow_loopback)
        if problem:
            raise AddressNotAllowed(f"host {host!r} resolves to {addr}, a {problem}; refused", url)
        if addr not in addresses:
            addresses.append(addr)
    if not addresses:
        raise ConnectionFailed(f"host {host!r} has no address", url)
    return addresses


def check_url(url: str) -> httpx.URL:
    """Parse `url` and refuse anything but an absolute http(s) URL with a host."""
    if not isinstance(url, str) or any(c in url for c in "\r\n\t\x00"):
        raise SchemeNotAllowed("URL contains control characters", str(url)[:200])
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise SchemeNotAllowed(f"only http and https URLs are fetched, not {scheme or 'no scheme'!r}", url)
    try:
        parsed = httpx.URL(url)
    except Exception as exc:  # httpx.InvalidURL and friends
        raise SchemeNotAllowed(f"not a valid URL ({exc})", url) from None
    if not parsed.host:
        raise SchemeNotAllowed("URL has no host", url)
    return parsed


def _port(u: httpx.URL) -> int:
    return u.port or (443 if u.scheme == "https" else 80)


# --- shared per-host state ----------------------------------------------------
# Kept at module level so separate fetch() calls in one process share the robots
# cache and the rate limit.

_lock = threading.Lock()
_robots: dict[str, urllib.robotparser.RobotFileParser] = {}
_last_request: dict[str, float] = {}


def reset_state() -> None:
    """Forget robots.txt files and request times (tests)."""
    with _lock:
        _robots.clear()
        _last_request.clear()


# --- the fetcher --------------------------------------------------------------

class Fetcher:
    def __init__(self, *, cache_dir: Path | str | None = None, use_cache: bool = True,
                 allow_loopback: bool = False, user_agent: str = USER_AGENT,
                 min_interval: float = 1.0, retries: int = 3, backoff: float = 1.0,
                 max_backoff: float = 30.0, connect_timeout: float = 10.0,
                 read_timeout: float = 20.0, total_timeout: float = 60.0,
                 max_bytes: int = MAX_BYTES, max_redirects: int = 5,
                 respect_robots: bool = True, sleep=time.sleep, clock=time.monotonic):
        self.cache_dir = Path(cache_dir) if cache_dir is not None else DEFAULT_CACHE_DIR
        self.use_cache = use_cache
        self.allow_loopback = allow_loopback
        self.user_agent = user_agent
        self.min_interval = min_interval
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.respect_robots = respect_robots
        # The rate limit reads this clock and waits with `sleep` (both can be
        # replaced together in tests).
        self._sleep = sleep
        self._clock = clock
        self._transport = httpx.HTTPTransport(retries=0)
        self._timeout = httpx.Timeout(connect=connect_timeout, read=read_timeout,
                                      write=read_timeout, pool=connect_timeout)

    # -- public

    def fetch(self, url: str, *, refresh: bool = False) -> FetchResult:
        check_url(url)
        if self.use_cache and not refresh:
            cached = self._cache_get(url)
            if cached is not None:
                return cached
        result = self._fetch_following_redirects(url)
        if self.use_cache:
            self._cache_put(result)
        return result

    # -- redirects

    def _fetch_following_redirects(self, url: str) -> FetchResult:
        current = url
        seen = []
        with httpx.Client(timeout=self._timeout, follow_redirects=False, trust_env=False,
                          headers={"User-Agent": self.user_agent}) as client:
            for _hop in range(self.max_redirects + 1):
                target = check_url(current)
                if self.respect_robots:
                    self._check_robots(client, target, url)
                status, headers, body = self._request_with_retries(client, target, url)
                if status in REDIRECT_STATUSES:
                    location = headers.get("location")
                    if not location:
                        raise HTTPStatusError(f"redirect ({status}) without a Location", url, status)
                    seen.append(current)
                    nxt = urljoin(current, location.strip())
                    if urlsplit(nxt).scheme.lower() not in ALLOWED_SCHEMES:
                        raise SchemeNotAllowed(
                            f"redirect from {current} to a non-http(s) URL {nxt[:100]!r} refused", url)
                    current = nxt
                    continue
                if not 200 <= status < 300:
                    raise HTTPStatusError(f"HTTP {status} from {current}", url, status)
                ctype = headers.get("content-type", "")
                mime = ctype.split(";", 1)[0].strip().lower()
                charset = None
                for part in ctype.split(";")[1:]:
                    k, _, v = part.partition("=")
                    if k.strip().lower() == "charset" and v.strip():
                        charset = v.strip().strip("\"'").lower()
                return FetchResult(url=url, final_url=current, status=status, content=body,
                                   content_type=mime, encoding_hint=charset)
        raise TooManyRedirects(f"more than {self.max_redirects} redirects ({' → '.join(seen[:6])} …)", url)

    # -- one request, retried

    def _request_with_retries(self, client: httpx.Client, target: httpx.URL, url: str,
                              *, max_bytes: int | None = None):
        attempt = 0
        while True:
            try:
                status, headers, body = self._request_once(client, target, url, max_bytes or self.max_bytes)
            except (FetchTimeout, ConnectionFailed):
                if attempt >= self.retries:
                    raise
                delay = self._backoff_delay(attempt, None)
            else:
                if status not in RETRY_STATUSES or attempt >= self.retries:
                    return status, headers, body
                delay = self._backoff_delay(attempt, headers.get("retry-after"))
            attempt += 1
            self._sleep(delay)

    def _backoff_delay(self, attempt: int, retry_after: str | None) -> float:
        delay = self.backoff * (2 ** attempt)
        if retry_after:
            wanted = _parse_retry_after(retry_after)
            if wanted is not None:
                delay = max(delay, wanted)
        return min(delay, self.max_backoff)

    def _request_once(self, client: httpx.Client, target: httpx.URL, url: str, max_bytes: int):
        host = target.host
        port = _port(target)
        addresses = resolve_checked(host, port, allow_loopback=self.allow_loopback, url=url)
        self._wait_for_turn(f"{target.scheme}://{host}:{port}")
        # Connect to the address that was checked; Host header and TLS server
        # name stay those of the URL, so virtual hosts and certificates work.
        pinned = target.copy_with(host=addresses[0])
        headers = {"Host": target.netloc.decode("ascii")}
        extensions = {"sni_hostname": host} if target.scheme == "https" else {}
        deadline = time.monotonic() + self.total_timeout
        try:
            # Straight to the transport: httpx's Client would parse a Location
            # header itself and fail on hostile ones before we could judge them.
            request = client.build_request("GET", pinned, headers=headers, extensions=extensions)
            resp = self._transport.handle_request(request)
            resp.request = request
            with contextlib.closing(resp):
                length = resp.headers.get("content-length")
                if length and length.isdigit() and int(length) > max_bytes:
                    raise ResponseTooLarge(
                        f"response is {int(length):,} bytes, over the {max_bytes:,}-byte limit", url)
                chunks, size = [], 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise ResponseTooLarge(f"response is over the {max_bytes:,}-byte limit", url)
                    if time.monotonic() > deadline:
                        raise FetchTimeout(f"download took longer than {self.total_timeout:g} s", url)
                    chunks.append(chunk)
                return resp.status_code, resp.headers, b"".join(chunks)
        except httpx.TimeoutException:
            raise FetchTimeout(f"no answer from {host} within the timeout", url) from None
        except httpx.DecodingError as exc:
            raise ConnectionFailed(f"undecodable response body ({exc})", url) from None
        except (httpx.TransportError, httpx.InvalidURL) as exc:
            raise ConnectionFailed(f"connection to {host} failed ({type(exc).__name__}: {exc})", url) from None

    def _wait_for_turn(self, host_key: str) -> None:
        with _lock:
            interval = self.min_interval
            rp = _robots.get(host_key)
            if rp is not None:
                delay = rp.crawl_delay(ROBOTS_AGENT)
                if delay:
                    interval = max(interval, min(float(delay), self.max_backoff))
            now = self._clock()
            start = max(now, _last_request.get(host_key, 0.0) + interval)
            _last_request[host_key] = start
        if start > now:
            self._sleep(start - now)

    # -- robots.txt

    def _check_robots(self, client: httpx.Client, target: httpx.URL, url: str) -> None:
        key = f"{target.scheme}://{target.host}:{_port(target)}"
        with _lock:
            rp = _robots.get(key)
        if rp is None:
            rp = self._load_robots(client, target, url)
            with _lock:
                _robots[key] = rp
        path = target.raw_path.decode("ascii") or "/"
        if not rp.can_fetch(ROBOTS_AGENT, f"{key}{path}"):
            raise RobotsDisallowed(f"robots.txt of {target.host} disallows {path}", url)

    def _load_robots(self, client: httpx.Client, target: httpx.URL, url: str):
        rp = urllib.robotparser.RobotFileParser()
        robots_url = target.copy_with(raw_path=b"/robots.txt", query=None, fragment=None)
        try:
            status, _headers, body = self._request_with_retries(
                client, robots_url, url, max_bytes=ROBOTS_MAX_BYTES)
        except ResponseTooLarge:
            status, body = 200, b""
        # Conventions of urllib.robotparser and the robots.txt RFC 9309:
        # 401/403 → everything disallowed; other 4xx → everything allowed;
        # a server error → treat as disallowed for now.
        if status in (401, 403) or status >= 500:
            rp.disallow_all = True
        elif 400 <= status < 500 or status in REDIRECT_STATUSES:
            rp.allow_all = True
        else:
            rp.parse(body.decode("utf-8", "replace").splitlines())
        return rp

    # -- cache

    def _cache_paths(self, url: str) -> tuple[Path, Path]:
        h = hashlib.sha256(url.encode("utf-8")).hexdigest()
        folder = self.cache_dir / h[:2]
        return folder / f"{h}.json", folder / f"{h}.body"

    def _cache_get(self, url: str) -> FetchResult | None:
        meta_path, body_path = self._cache_paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if meta.get("url") != url or hashlib.sha256(body).hexdigest() != meta.get("sha256"):
            return None  # a torn or foreign entry: fetch again
        return FetchResult(url=url, final_url=meta["final_url"], status=meta["status"], content=body,
                           content_type=meta["content_type"], encoding_hint=meta["encoding_hint"],
                           from_cache=True)

    def _cache_put(self, result: FetchResult) -> None:
        meta_path, body_path = self._cache_paths(result.url)
        meta = asdict(result)
        del meta["content"], meta["from_cache"]
        meta["sha256"] = hashlib.sha256(result.content).hexdigest()
        meta["fetched_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        # Body first, then the metadata that vouches for it (with its hash).
        atomic_write_bytes(body_path, result.content)
        atomic_write_bytes(meta_path, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))


def _parse_retry_after(value: str) -> float | None:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def fetch(url: str, *, cache_dir: Path | str | None = None, allow_loopback: bool = False,
          refresh: bool = False, **options) -> FetchResult:
    """Fetch `url` under the rules above; see `Fetcher` for the options
    (use_cache, min_interval, retries, backoff, max_backoff, connect_timeout,
    read_timeout, total_timeout, max_bytes, max_redirects, user_agent).
    `cache_dir=None` means `cache/fetch/` in the repository."""
    return Fetcher(cache_dir=cache_dir, allow_loopback=allow_loopback, **options).fetch(url, refresh=refresh)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scraper.fetch",
                                 description="Fetch URLs politely and safely; print what came back.")
    ap.add_argument("urls", nargs="+", metavar="URL")
    ap.add_argument("--cache-dir", default=None, help="cache folder (default cache/fetch/)")
    ap.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    ap.add_argument("--refresh", action="store_true", help="fetch again even when cached")
    ap.add_argument("--allow-loopback", action="store_true",
                    help="allow 127.0.0.1/::1 (tests against a local server only)")
    ap.add_argument("-o", "--output", help="write the body of the (single) URL to this file")
    args = ap.parse_args(argv)
    failed = 0
    for url in args.urls:
        try:
            r = fetch(url, cache_dir=args.cache_dir, allow_loopback=args.allow_loopback,
                      use_cache=not args.no_cache, refresh=args.refresh)
        except FetchError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
            continue
        if args.output and len(args.urls) == 1:
            Path(args.output).write_bytes(r.content)
        print(f"{r.status} {r.final_url} {r.content_type} {len(r.content)} bytes"
              f"{' (cached)' if r.from_cache else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
