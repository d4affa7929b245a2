"""Skip re-rendering pages whose inputs have not changed since the last build.

Pelican re-renders and rewrites every page on every build, even when one
report changed: at 5,000 reports that is most of a rebuild. This writer
computes, for each page, a key over everything the page is made from:

- the page's template and every template it extends, includes or imports
  (their source text);
- the value of every variable those templates name (found with Jinja's
  `meta.find_undeclared_variables`): a report is fingerprinted through all of
  its attributes (text, metadata, facets, related reports, ...); lists,
  paginator pages and other objects through what they hold, or through what
  their class's `render_fingerprint(obj)` returns (the facets count their
  reports by path only: see plugins/facets/taxonomy.py);
- every plain setting, the output file name, and the source of our plugins,
  the shared `thaireports` package and `data/`.

When the key equals the one recorded for that file in the last build and the
file on disk is still the one that build wrote (same size and mtime), the
page is not rendered and not written; everything else (signals, Pelican's
bookkeeping of written files) happens as before, so `content_written`
receivers still see a correct file at that path.

Templates that include other templates by a computed name cannot be
analysed and are always rendered. RENDER_CACHE = False turns this off.

Pages are neither keyed nor rendered on the spot. The writer does Pelican's
bookkeeping for each page at once (its context, the rules for writing a file
twice, `content_written`) and keeps the page (template and context); once
every generator has written, BUILD_WORKERS processes (default: the cores
this process may use) each take a share of the pages, key them, render and
write those that changed, and send the keys back. Workers are forked, so
they share the whole site in memory and only keys are pickled. Below
RENDER_PARALLEL_MIN pages (default 200) a build stays in one process:
forking costs more than it saves.
"""
from __future__ import annotations

import atexit
import datetime as dt
import gc
import hashlib
import io
import logging
import operator
import os
import pickle
import re
import struct
from functools import lru_cache
from itertools import compress, repeat
from pathlib import Path

from jinja2 import meta
from pelican import signals
from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import Writer

from thaireports import collector
from thaireports.codeversion import code_digest
from thaireports.parallel import SIDE, fork_call, workers_setting

log = logging.getLogger(__name__)

VERSION = b"rendercache-2"
# Attributes that are not part of what a page shows, or that point back at
# the whole site: the records the sanitize and facets plugins keep on a report
# (copies of its other attributes, the policy it was cleaned with, where its
# slug was checked) and this plugin's own.
SKIP_ATTRS = {"_context", "settings", "_rc_fp", "_plain_values", "_sanitized", "_facets_check"}
_SIMPLE = (str, int, float, bool, type(None), bytes, dt.date, dt.datetime, dt.time,
           dt.timedelta)
MAX_DEPTH = 6
_MISSING = object()


def _code_digest() -> bytes:
    import pelican

    return hashlib.sha256(VERSION + pelican.__version__.encode() + code_digest()).digest()


class Fingerprints:
    """Stable digests of template context values for one build."""

    def __init__(self):
        self._memo: dict[int, tuple[object, bytes]] = {}
        self._by_state: dict[tuple, bytes] = {}

    def own(self, content: Content) -> bytes:
        """A report or page by its own attributes; other reports it points to
        count by their source path only (see `deep`)."""
        fp = content.__dict__.get("_rc_fp")
        if fp is None:
            attrs = content.__dict__
            state = {k: attrs[k] for k in sorted(attrs) if k not in SKIP_ATTRS}
            try:
                data = self._serial(state)
            except (pickle.PicklingError, ValueError, TypeError, RecursionError):
                data = os.urandom(16)  # cannot be fingerprinted: always rendered
            fp = hashlib.sha256(b"content" + data + _linked(content)).digest()
            content.__dict__["_rc_fp"] = fp
        return fp

    def _serial(self, value) -> bytes:
        """`value` as bytes, in one pickling pass: plain strings, numbers and
        containers of them as pickle writes them, every other object (other
        reports, facets, dates, str subclasses) as its digest from `value`.
        A report holds some 140 plain values: fingerprinting each through
        `value` was most of a rebuild's fingerprinting time."""
        buf = io.BytesIO()
        pickler = _Serializer(self, buf)
        pickler.dump(value)
        return buf.getvalue()

    def deep(self, content: Content) -> bytes:
        """Its own digest plus the own digests of the reports it refers to
        (translations, related reports): a page shows their titles and links."""
        hit = self._memo.get(id(content))
        if hit is not None:
            return hit[1]
        h = hashlib.sha256(self.own(content))
        attrs = content.__dict__
        for k in sorted(attrs):
            v = attrs[k]
            # The few attributes that hold reports; a generator per attribute
            # was most of this loop.
            if isinstance(v, Content):
                if k not in SKIP_ATTRS:
                    h.update(self.own(v))
            elif isinstance(v, (list, tuple, set, frozenset)) and k not in SKIP_ATTRS:
                for x in v:
                    if isinstance(x, Content):
                        h.update(self.own(x))
        d = h.digest()
        self._memo[id(content)] = (content, d)
        return d

    def value(self, v, depth: int = 0, shallow: bool = False) -> bytes:
        t = type(v)
        if isinstance(v, str):
            # Subclasses (Markup, ...) render differently: their name counts.
            tag = b"s" if t is str else b"s" + t.__name__.encode() + b":"
            return tag + v.encode("utf-8", "surrogatepass") + b"\0"
        if isinstance(v, _SIMPLE):
            return repr((t.__name__, v)).encode()
        if isinstance(v, Content):
            if shallow:
                return b"ref:" + str(getattr(v, "source_path", "")).encode()
            return self.deep(v)
        if depth > MAX_DEPTH:
            return b"deep:" + type(v).__name__.encode()
        # Facet objects and lists are shared by thousands of pages: digest each
        # once per build (the memo holds the object, so its id stays unique).
        long_lived = isinstance(v, (URLWrapper, Paginator, list, dict))
        if long_lived:
            hit = self._memo.get((id(v), shallow))
            if hit is not None:
                return hit[1]
        own_terms = getattr(type(v), "render_fingerprint", None)
        state = _plain_state(v) if own_terms is None and isinstance(v, URLWrapper) else None
        if state is not None:
            # Pelican makes a category and an author object for each report:
            # equal ones (same class, same plain fields) have equal digests.
            hit = self._by_state.get((state, shallow))
            if hit is not None:
                return hit
        h = hashlib.sha256(type(v).__name__.encode())
        if own_terms is not None:
            # The object says what of it a page can show (see Facet).
            h.update(self.value(own_terms(v), depth + 1, shallow))
        elif isinstance(v, Page):
            for part in (v.number, v.paginator.num_pages, v.paginator.count,
                         v.name, v.url, v.base_name, v.base_url):
                h.update(repr(part).encode())
            h.update(self.value(list(v.object_list), depth + 1, shallow))
        elif isinstance(v, Paginator):
            for part in (v.name, v.url, v.per_page, v.num_pages, v.count):
                h.update(repr(part).encode())
        elif isinstance(v, dict):
            for k in sorted(v, key=repr):
                h.update(repr(k).encode())
                h.update(self.value(v[k], depth + 1, shallow))
        elif isinstance(v, (set, frozenset)):
            for d in sorted(self.value(x, depth + 1, shallow) for x in v):
                h.update(d)
        elif isinstance(v, (list, tuple)):
            for x in v:
                h.update(self.value(x, depth + 1, shallow))
        elif callable(v) or isinstance(v, type):
            h.update(getattr(v, "__qualname__", type(v).__qualname__).encode())
        elif hasattr(v, "__dict__"):
            for k in sorted(vars(v)):
                if k not in SKIP_ATTRS:
                    h.update(k.encode())
                    h.update(self.value(vars(v)[k], depth + 1, shallow))
        else:
            r = repr(v)
            # A repr with an address is no stable representation: such a value
            # makes the key unique, so the page is always rendered.
            h.update(os.urandom(16) if " at 0x" in r else r.encode())
        d = h.digest()
        if long_lived:
            self._memo[(id(v), shallow)] = (v, d)
        if state is not None:
            self._by_state[(state, shallow)] = d
        return d


    # -- sharing the work between render workers ------------------------------
    # Pages reach nearly every report through their related lists and cards,
    # so each render worker fingerprinted almost all reports: at 5,000 reports
    # ~1 s of every worker's time, the same work in each. Instead each worker
    # takes every n-th report, and the digests are swapped before keying.
    def exchange_child(self, contents: list, w: int, workers: int, link: "_Link") -> None:
        try:
            link.send([self.own(c) for c in contents[w::workers]])
            everyone = link.receive()
        except (OSError, EOFError, pickle.UnpicklingError):
            return  # what is missing is computed when a page needs it
        finally:
            link.close()
        if isinstance(everyone, list) and len(everyone) == len(contents):
            _adopt(contents, everyone)

    def exchange_parent(self, contents: list, workers: int, links: dict[int, "_Link"]) -> None:
        digests: list = [None] * len(contents)
        digests[0::workers] = [self.own(c) for c in contents[0::workers]]
        for w, link in links.items():
            try:
                theirs = link.receive()
            except (OSError, EOFError, pickle.UnpicklingError):
                continue  # that worker failed: its reports are done below
            if isinstance(theirs, list) and len(theirs) == len(digests[w::workers]):
                digests[w::workers] = theirs
        digests = [d if d is not None else self.own(c) for c, d in zip(contents, digests)]
        _adopt(contents, digests)
        for link in links.values():
            try:
                link.send(digests)
            except OSError:
                pass
            link.close()


def _same_entries(a: dict, b: dict) -> bool:
    """The same keys in the same order holding the same objects (compared in
    C: a site context has some 250 entries)."""
    return len(a) == len(b) and all(map(operator.is_, a, b)) \
        and all(map(operator.is_, a.values(), b.values()))


def _plain_state(obj) -> tuple | None:
    """An object's class and fields when every field is a scalar
    (`value` digests the object from exactly these), else None."""
    fields = []
    for k, x in vars(obj).items():
        if k in SKIP_ATTRS:
            continue
        if type(x) not in _SCALARS:
            return None
        fields.append((k, type(x), x))
    fields.sort()
    return (type(obj), tuple(fields))




class _Serializer(pickle.Pickler):
    """The pickler of `Fingerprints._serial`. Without its memo (fast mode),
    equal values give equal bytes whether or not they are one object, which
    differs between a report read now and one kept from the last build."""

    def __init__(self, fp: Fingerprints, buf):
        super().__init__(buf, protocol=pickle.HIGHEST_PROTOCOL)
        self.fast = True
        self._fp = fp

    def persistent_id(self, obj):
        if type(obj) in _PICKLED:
            return None
        return self._fp.value(obj, 1, shallow=True)


# Built-in scalar types: equal values have equal reprs and equal pickles.
_SCALARS = frozenset({str, int, float, bool, type(None), bytes})
# Exact types pickle writes out the same way for equal values; subclasses
# (Markup, Pelican's SafeDatetime) may not, and count through `value`.
_PICKLED = _SCALARS | {tuple, list, dict}


def _adopt(contents: list, digests: list) -> None:
    for content, digest in zip(contents, digests):
        content.__dict__.setdefault("_rc_fp", digest)


def _all_contents(context: dict) -> list:
    """The reports and pages of the site context and their translations, once
    each, in the same order in every process."""
    seen: set[int] = set()
    out = []
    for group in ("articles", "drafts", "hidden_articles", "pages", "hidden_pages",
                  "draft_pages"):
        for content in context.get(group) or ():
            for c in (content, *(getattr(content, "translations", None) or ())):
                if isinstance(c, Content) and id(c) not in seen:
                    seen.add(id(c))
                    out.append(c)
    return out


class _Link:
    """Two pipes between the build process and one render worker. Each side
    closes the other's ends right after the fork, so a side that dies is
    seen as the end of its pipe."""

    def __init__(self):
        up_r, up_w = os.pipe()       # worker -> build process
        down_r, down_w = os.pipe()   # build process -> worker
        self._ends = {"worker": (down_r, up_w), "parent": (up_r, down_w)}
        self._open = {up_r, up_w, down_r, down_w}
        self._files: dict[str, object] = {}
        self._mine: tuple[int, int] | None = None

    def keep(self, side: str) -> "_Link":
        """Keep `side`'s ends ("worker" or "parent") and close the others."""
        self._mine = self._ends[side]
        for fd in self._open - set(self._mine):
            os.close(fd)
        self._open &= set(self._mine)
        return self

    def _file(self, mode: str):
        if mode not in self._files:
            fd = self._mine[1] if mode == "wb" else self._mine[0]
            self._open.discard(fd)
            self._files[mode] = os.fdopen(fd, mode)
        return self._files[mode]

    def send(self, obj) -> None:
        fh = self._file("wb")
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        fh.flush()

    def receive(self):
        return pickle.load(self._file("rb"))

    def close(self) -> None:
        """Close every end this process still holds."""
        for fh in self._files.values():
            try:
                fh.close()
            except OSError:
                pass
        for fd in self._open:
            os.close(fd)
        self._files, self._open = {}, set()


@lru_cache(maxsize=64)
def _root_at_depth(depth: int) -> str:
    return path_to_url(get_relative_path("/".join(["d"] * depth + ["f"])))


def _plain_relative(name) -> bool:
    """`name` is a relative path of plain folder and file names
    (`reports/2024/x/index.html`): no `.`, `..`, empty part or backslash."""
    return isinstance(name, str) and _NOT_PLAIN.search(name) is None


# A backslash, or a part (between slashes or the ends) that is empty, `.` or `..`.
_NOT_PLAIN = re.compile(r"\\|(?:^|/)\.{0,2}(?:/|\Z)")


def _relative_root(name) -> str:
    """Pelican's relative SITEURL for output file `name`, which depends only
    on its depth (10,000 calls of Pelican's path splitting per build)."""
    if _plain_relative(name):
        return _root_at_depth(name.count("/"))
    return path_to_url(get_relative_path(name))


def _output_path(root: str, output_path: str, name) -> str:
    """Pelican's `sanitised_join(output_path, name)` (`root` is the output
    folder's absolute path): for a plain relative name that is the folder,
    a slash and the name, without normalizing both paths per page."""
    if os.sep == "/" and _plain_relative(name):
        return os.path.join(root, name)
    return sanitised_join(output_path, name)


def _linked(content: Content) -> bytes:
    """The text with its links to other content ({filename}, {static} ...)
    resolved: the page shows where they point, which changes when the
    linked report moves, though this report's own text does not."""
    out = b""
    for attr in ("_content", "_summary"):
        raw = content.__dict__.get(attr)
        if isinstance(raw, str) and content._get_intrasite_link_regex().search(raw):
            out += content._update_content(raw, "").encode()
    return out


class _Chunks:
    """The pages handed out a chunk at a time: the build process fills a pipe
    with chunk numbers before the render workers fork, and each process
    takes the next number when done with its last chunk. A forked worker
    pays for copying every page of memory it touches and was the last to
    finish with a fixed half of the pages. Chunks hold an even number of
    pages, so a page and its English mirror (the next page) stay together
    and each process draws a report's cards once."""

    SIZE = 32
    # 4 KB of chunk numbers: even a pipe shrunk to one page by the system's
    # pipe limits takes them all before anyone reads.
    MAX_CHUNKS = 1024

    def __init__(self, pages: int):
        size = max(self.SIZE, -(-pages // self.MAX_CHUNKS))
        self.size = size + size % 2
        count = -(-pages // self.size)
        self._read, write = os.pipe()
        try:
            data = memoryview(struct.pack(f"<{count}I", *range(count)))
            while data:
                data = data[os.write(write, data):]
        finally:
            os.close(write)

    def take(self, jobs: list):
        """This process's pages, chunk after chunk, until none are left."""
        while True:
            raw = os.read(self._read, 4)
            if len(raw) < 4:
                return
            i = struct.unpack("<I", raw)[0] * self.size
            yield from jobs[i:i + self.size]

    def close(self) -> None:
        os.close(self._read)


class _Discard:
    """What Pelican's writer writes a kept page's (empty) output into: no
    file opened per page."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def write(self, text: str) -> int:
        return len(text)


_DISCARD = _Discard()


class _Template:
    """Stands in for a Jinja template inside Writer.write_file: renders only
    when the page's key changed."""

    def __init__(self, writer: "RenderCacheMixin", template, call: bytes):
        self._writer = writer
        self._template = template
        self._call = call

    def __getattr__(self, name):
        return getattr(self._template, name)

    def render(self, localcontext):
        return self._writer.render(self._template, localcontext, self._call)


class RenderCacheMixin(Writer):
    """Sits right in front of Pelican's Writer: another plugin's writer (the
    theme's English mirror) comes before it, so each call seen here is one
    page in one language."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self._cache_file = Path(settings["CACHE_PATH"]) / "rendercache.pickle"
        self._root = os.path.abspath(self.output_path)
        try:
            with open(self._cache_file, "rb") as fh:
                self._old, self._templates = pickle.load(fh)
        except (FileNotFoundError, EOFError, pickle.UnpicklingError, OSError, ValueError,
                TypeError):
            self._old, self._templates = {}, {}
        self._new_templates: dict[bytes, tuple[frozenset, tuple]] = {}
        self._new: dict[str, tuple[bytes, int, int] | bytes] = {}
        self._chains: dict[str, tuple[bytes, tuple[str, ...]] | None] = {}
        self._fp = Fingerprints()
        self._globals: tuple[dict | None, bytes] = (None, b"")
        self._upper: dict | None = None
        self._calls: dict[tuple, bytes] = {}
        self._shared: dict[tuple, tuple[dict, bytes]] = {}
        self.rendered = self.skipped = 0
        self._enabled = settings.get("RENDER_CACHE", True)
        self._jobs: dict[str, tuple] = {}
        self._pending: dict[str, tuple] = {}
        self._base: dict | None = None
        self._snapshot_base: dict = {}
        self._workers = workers_setting(settings)
        self._parallel_min = int(settings.get("RENDER_PARALLEL_MIN", 200))
        simple = {k: v for k, v in settings.items() if k.isupper()}
        self._salt = hashlib.sha256(_code_digest() + self._fp.value(simple)).digest()

    def _call_digest(self, context: dict, kwargs: dict) -> bytes:
        """Everything a write_file call passes besides the page's own name:
        its plain keyword arguments (LANG and the like, which template
        helpers read from the context without the template naming them) and
        the context's upper-case entries (settings and values plugins add).
        Reports, lists of reports and facet objects passed as keywords count
        only when a template names them (see `_key`): no helper reads them
        from the context, and counting them here would make every listing
        page depend on every report."""
        # `context` is a snapshot (see _snapshot): a new one whenever the
        # site context changed, so its identity stands for its upper-case
        # entries, and a page's plain keywords (a language, a flag) repeat.
        if context is not self._globals[0]:
            upper = {k: v for k, v in context.items() if k.isupper()}
            if self._upper is not None and _same_entries(upper, self._upper):
                # Pelican changed a lower-case entry (`localsiteurl` while
                # paginating): the upper-case ones keep their digest.
                self._globals = (context, self._globals[1])
            else:
                self._upper = upper  # holds the values, so their ids stay theirs
                self._globals = (context, self._fp.value(upper))
                self._calls = {}
        plain = tuple((k, type(v), v) for k, v in kwargs.items() if isinstance(v, _SIMPLE))
        digest = self._calls.get(plain)
        if digest is None:
            if all(t in _SCALARS for _, t, _ in plain):
                # A report page's URL makes its keywords unique: the repr of
                # built-in strings, numbers and flags says all of them, without
                # `value`'s dispatch per keyword.
                value = b"r" + repr([(k, t.__name__, v) for k, t, v in plain]).encode(
                    "utf-8", "surrogatepass")
            else:
                value = b"v" + self._fp.value({k: v for k, _, v in plain})
            digest = self._calls[plain] = hashlib.sha256(self._globals[1] + value).digest()
        return digest

    # -- keys ---------------------------------------------------------------
    def _chain(self, template) -> tuple[bytes, tuple[str, ...]] | None:
        name = template.name
        if name not in self._chains:
            env = template.environment
            h = hashlib.sha256()
            names: set[str] = set()
            todo, seen = [name], set()
            try:
                while todo:
                    t = todo.pop()
                    if t in seen:
                        continue
                    seen.add(t)
                    src = env.loader.get_source(env, t)[0]
                    h.update(t.encode() + b"\0" + src.encode())
                    found, refs = self._analyse(env, src)
                    names |= found
                    if None in refs:
                        raise LookupError(f"{t} includes a template by a computed name")
                    todo.extend(refs)
                self._chains[name] = (h.digest(), tuple(sorted(names)))
            except Exception as exc:  # noqa: BLE001 - any doubt means: render
                log.info("rendercache: always rendering %s (%s)", name, exc)
                self._chains[name] = None
        return self._chains[name]

    def _analyse(self, env, src: str) -> tuple[frozenset, tuple]:
        """Variables a template names and templates it pulls in; parsing is
        the slow part, so results are kept across builds by source digest."""
        digest = hashlib.sha256(src.encode()).digest()
        hit = self._templates.get(digest)
        if hit is None:
            ast = env.parse(src)
            hit = (frozenset(meta.find_undeclared_variables(ast)),
                   tuple(meta.find_referenced_templates(ast)))
        self._new_templates[digest] = hit
        return hit

    def _key(self, template, base: dict, diff: dict, call: bytes) -> bytes | None:
        """The page's key; its context is `{**base, **diff}`."""
        if not self._enabled:
            return None
        chain = self._chain(template)
        if chain is None:
            return None
        digest, names = chain
        h = hashlib.sha256(self._salt + digest + call)
        h.update(str(diff["output_file"] if "output_file" in diff
                     else base.get("output_file")).encode())
        own = tuple(filter(diff.__contains__, names))
        h.update(self._shared_part(digest, names, base, own))
        for n in own:
            h.update(n.encode() + b"\0")
            h.update(self._fp.value(diff[n]))
        return h.digest()

    def _shared_part(self, chain: bytes, names: tuple, base: dict, own: tuple) -> bytes:
        """The digest of the variables a page takes from its shared base
        context (the names it does not set itself): the same for thousands of
        pages (every report page of a language), so made once per base."""
        memo_key = (chain, id(base), own)
        hit = self._shared.get(memo_key)
        if hit is not None:
            return hit[1]
        h = hashlib.sha256()
        for n in names:  # sorted once, in _chain
            if n in base and n not in own:
                h.update(n.encode() + b"\0")
                h.update(self._fp.value(base[n]))
        d = h.digest()
        self._shared[memo_key] = (base, d)  # holding the base keeps its id unique
        return d

    # -- writing ------------------------------------------------------------
    def render(self, template, localcontext, call: bytes):
        """A paginated page, inside Pelican's writer: kept for flush(); Pelican
        writes an empty string to nowhere for it now (see _open_w)."""
        name = localcontext.get("output_file")
        if not name:
            return template.render(localcontext)
        path = _output_path(self._root, self.output_path, name)
        self._chain(template)  # analysed here, so the result is saved with this process's cache
        self._pending[path] = (template, *self._compact(localcontext), path, name, call)
        return ""

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):
        if not name:  # Pelican writes nothing for False, "" or None
            return None
        base = self._snapshot(context)
        call = self._call_digest(base, kwargs)
        self._context = context
        if self._paginates(paginated, template_name, kwargs):
            if not isinstance(template, _Template):
                template = _Template(self, template, call)
            return super().write_file(name, template, context, relative_urls, paginated,
                                      template_name, override_output, url, **kwargs)
        self._write_single(name, template, context, base, relative_urls, override_output, call,
                           kwargs)
        return None

    def _paginates(self, paginated, template_name, kwargs) -> bool:
        """Pelican's own test for a paginated write."""
        if paginated is None:
            paginated = {k: v for k, v in kwargs.items() if k in {"articles", "dates"}}
        return bool(paginated) and template_name in self.settings["PAGINATED_TEMPLATES"]

    def _write_single(self, name, template, context, base, relative_urls, override, call, kwargs):
        """What Pelican's writer does for a page that is not paginated (the
        same context, overwrite rules and signal), except that rendering and
        writing wait for flush(): at 5,000 reports Pelican's per-page
        directory creation, open and locale switch were seconds of one core
        while the other had nothing to do."""
        own = {"localsiteurl": context.get("localsiteurl", None)}
        if relative_urls:
            own["SITEURL"] = own["localsiteurl"] = _relative_root(name)
        own["output_file"] = name
        own.update(kwargs)
        path = _output_path(self._root, self.output_path, name)
        if self._claim(path, "utf-8", override):
            self._chain(template)
            # A later allowed overwrite replaces the earlier page.
            self._jobs[path] = (template, base, own, path, name, call)
        signals.content_written.send(path, context={**base, **own})

    def _snapshot(self, context: dict) -> dict:
        """A copy of the site context, shared by every page written while
        the context holds the same keys and values (checked by identity, so
        a value replaced by a generator gets a new copy)."""
        base = self._snapshot_base
        # The base holds the values, so an id cannot be reused by another object.
        if not _same_entries(context, base):
            self._snapshot_base = base = dict(context)
        return base

    def _kept(self, name, path, key):
        """The last build's record of the page when its key is the same and
        the file that build wrote is still there (same size and mtime)."""
        old = self._old.get(name)
        if key is None or not old or old[0] != key:
            return None
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return None
        if (st.st_size, st.st_mtime_ns) != tuple(old[1:]):
            return None
        return old

    # -- deferred rendering ------------------------------------------------
    def _compact(self, localcontext: dict) -> tuple[dict, dict]:
        """A kept page's context as (shared base, what differs from it).
        Pelican hands each page a full copy of the site context; kept as is,
        those copies took about 1 GB at 20,000 reports."""
        base = self._base
        if base is not None:
            # A comparison per key, looped in C: a page's context has ~250.
            keys = list(localcontext)
            differ = map(operator.is_not, map(base.get, keys, repeat(_MISSING)),
                         localcontext.values())
            diff = {k: localcontext[k] for k in compress(keys, differ)}
            # Exact only if every key of the base is still there.
            if len(localcontext) - sum(k not in base for k in diff) == len(base) \
                    and len(diff) <= 64:
                return base, diff
        self._base = base = dict(localcontext)
        return base, {}

    def _process(self, jobs) -> dict:
        """Key every page; render and write those whose key or file changed.
        Returns name → the kept record, or the new key (None: not cacheable)."""
        context = getattr(self, "_context", None)
        made: set[str] = set()
        records = {}
        for template, base, diff, path, name, call in jobs:
            key = self._key(template, base, diff, call)
            old = self._kept(name, path, key)
            if old is not None:
                records[name] = old
                continue
            localcontext = {**base, **diff}
            # What Pelican does before rendering: report bodies make their
            # links relative to the page being written through this value.
            if context is not None and localcontext.get("localsiteurl"):
                context["localsiteurl"] = localcontext["localsiteurl"]
            output = template.render(localcontext)
            folder = os.path.dirname(path)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(output)
            records[name] = key
        return records

    def flush(self) -> None:
        """Key, render and write every page kept so far."""
        jobs = list(self._jobs.values())
        self._jobs.clear()
        workers = min(self._workers, max(1, len(jobs) // max(1, self._parallel_min // 2)))
        if len(jobs) < self._parallel_min or workers < 2:
            self._merge(self._process(jobs))
            return
        shared = _all_contents(getattr(self, "_context", None) or {})
        # Not three processes with a copy of the site at once: the workers
        # fork when the side process is done. Until then this process
        # fingerprints reports, which the workers then inherit (in a full
        # build, the side process's last half second did that for all).
        done = 0
        while done < len(shared) and SIDE.busy():
            for content in shared[done:done + 64]:
                self._fp.own(content)
            done += 64
        SIDE.wait()
        # The children only read the site; freezing keeps the collector from
        # touching (and so copying) every object in each of them. No
        # collection first: it found next to nothing to free here and took
        # 0.2-0.3 s of the build process's time.
        gc.freeze()
        children = {}
        links = {}
        chunks = _Chunks(len(jobs))
        done_pages: set[str] = set()

        def render_share(w: int, rfd: int, wfd: int) -> None:
            """In worker w: only its own pipe ends stay open; it sends its
            pages' records back (an error exits non-zero: see below)."""
            os.close(rfd)
            for other, link in links.items():
                if other != w:
                    link.close()
            links[w].keep("worker")
            gc.disable()
            self._fp.exchange_child(shared, w, workers, links[w])
            records = self._process(chunks.take(jobs))
            with os.fdopen(wfd, "wb") as fh:
                pickle.dump(records, fh, protocol=pickle.HIGHEST_PROTOCOL)

        def merge(records: dict) -> None:
            done_pages.update(records)
            self._merge(records)

        try:
            for w in range(1, workers):
                rfd, wfd = os.pipe()
                links[w] = _Link()
                pid = fork_call(lambda w=w, rfd=rfd, wfd=wfd: render_share(w, rfd, wfd))
                os.close(wfd)
                links[w].keep("parent")
                children[pid] = rfd
            self._fp.exchange_parent(shared, workers, links)
            merge(self._process(chunks.take(jobs)))
        finally:
            chunks.close()
            for link in links.values():  # a worker still waiting for digests gives up
                link.close()
            failed = False
            for pid, rfd in children.items():
                with os.fdopen(rfd, "rb") as fh:
                    data = fh.read()
                _, status = os.waitpid(pid, 0)
                if os.waitstatus_to_exitcode(status) != 0 or not data:
                    failed = True
                else:
                    merge(pickle.loads(data))
            gc.unfreeze()
        if failed:
            # Render the pages a failed worker took here, so an error surfaces
            # with its traceback in this process (and a crash loses no page).
            log.warning("rendercache: a render worker failed; rendering its pages again here")
            merge(self._process([job for job in jobs if job[4] not in done_pages]))
        log.info("rendercache: %d pages checked, %d rendered by %d processes", len(jobs),
                 self.rendered, workers)

    def _merge(self, records: dict) -> None:
        for name, rec in records.items():
            if isinstance(rec, tuple):
                self.skipped += 1
            else:
                self.rendered += 1
            if rec is not None and self._enabled:
                self._new[name] = rec

    def _claim(self, filename, encoding, override) -> bool:
        """Pelican's rules for writing one file twice, applied without
        opening the file: False when Pelican would skip this write; its own
        error when it would refuse it."""
        if filename in self._overridden_files:
            if override:
                super()._open_w(filename, encoding, override)  # raises
            return False
        if filename in self._written_files and not override:
            super()._open_w(filename, encoding, override)  # raises
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return True

    def _open_w(self, filename, encoding, override=False):
        job = self._pending.pop(filename, None)
        if job is None:
            return super()._open_w(filename, encoding, override)
        if self._claim(filename, encoding, override):
            # A later allowed overwrite replaces the earlier page.
            self._jobs[filename] = job
        return _DISCARD

    def save(self) -> None:
        """Record the key and the file each rendered page produced."""
        self.flush()
        if not self._enabled:
            return
        for name, rec in list(self._new.items()):
            if isinstance(rec, bytes):
                try:
                    st = os.stat(sanitised_join(self.output_path, name))
                except FileNotFoundError:
                    del self._new[name]
                    continue
                self._new[name] = (rec, st.st_size, st.st_mtime_ns)
        self._cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._cache_file.with_suffix(".tmp")
        with open(tmp, "wb") as fh:
            pickle.dump((self._new, self._new_templates), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self._cache_file)
        log.info("rendercache: %d pages rendered, %d unchanged", self.rendered, self.skipped)


_writers: list[RenderCacheMixin] = []
_other_writers: list = []


def take_over_writers(pelican_obj):
    """Pelican uses the first writer class any plugin offers. Other plugins'
    writers (the theme's English mirror) are asked here instead, and the
    cache goes in front of the one they offer."""
    for receiver in list(signals.get_writer.receivers_for(pelican_obj)):
        if receiver is not get_writer:
            signals.get_writer.disconnect(receiver)
            _other_writers.append(receiver)


def get_writer(pelican_obj):
    # Content is final now: other plugins' side tasks (search index, data
    # files, card files) run beside the page writing from here on.
    SIDE.start(workers_setting(pelican_obj.settings))
    base = Writer
    for receiver in _other_writers:
        offered = receiver(pelican_obj)
        if isinstance(offered, type):
            base = offered
            break
    # Saving must come after every other `finalized` receiver (minify rewrites
    # pages there): connecting now, once all plugins are registered, puts it last.
    signals.finalized.connect(finalized)

    def __init__(self, *a, **kw):
        super(CachingWriter, self).__init__(*a, **kw)
        # The writer is created after get_writer returns; remember it to save at the end.
        _writers.append(self)

    bases = (RenderCacheMixin,) if base is Writer else (base, RenderCacheMixin)
    CachingWriter = type("CachingWriter", bases, {"__init__": __init__})

    CachingWriter.__name__ = f"Caching{base.__name__}"
    return CachingWriter


class FlushPages:
    """The last generator to write: renders the pages every other one left
    with the writer. (Pelican runs plugin generators in plugin order and
    this plugin comes last; its static files come after and are not pages.)"""

    def __init__(self, *args, **kwargs):
        pass

    def generate_output(self, writer):
        flush = getattr(writer, "flush", None)
        if flush is not None:
            flush()


def get_generators(pelican_obj):
    return FlushPages


def finalized(pelican_obj):
    while _writers:
        _writers.pop().save()
    # The last receiver of the build's last signal (see get_writer).
    collector.build_finished()


def register():
    # Registered after logging's own exit handler, so it runs before it.
    atexit.register(collector.skip_final_collection)
    signals.get_generators.connect(collector.build_started)
    signals.initialized.connect(take_over_writers)
    signals.get_writer.connect(get_writer)
    signals.get_generators.connect(get_generators)
