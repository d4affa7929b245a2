"""Open data: data/reports.json, data/reports.csv, data/facets.json,
schema.org JSON-LD on each report (article.jsonld) and sitemap.xml.

Field meanings are documented in the README (## Facets and open data)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from functools import lru_cache

from pelican import signals
from pelican.generators import ArticlesGenerator

from thaireports.codeversion import code_digest
from thaireports.parallel import SIDE
from thaireports.reportfile import atomic_write
from thaireports.vocabulary import load_vocabulary

from .exports import absolute_url, csv_text, facet_counts, report_jsonld, report_record, \
    script_json, sitemap_xml

DEFAULTS = {
    "OPENDATA_PATH": "data",
    "SITEMAP_SAVE_AS": "sitemap.xml",
}


class _State:
    def __init__(self):
        self.articles = []
        self.pages: dict[str, dt.date | None] = {}
        # id(list) → (list, its newest date): listing pages of one kind share
        # the site's whole report list; a maximum over 5,000 dates per page
        # cost more than the rest of the sitemap.
        self.newest: dict[int, tuple[list, dt.date | None]] = {}
        # id(report) → (report, its date): each report is on a dozen
        # paginated listing pages, each page a list of its own.
        self.changed: dict[int, tuple[object, dt.date | None]] = {}


STATE = _State()


def initialized(pelican):
    for name, value in DEFAULTS.items():
        pelican.settings.setdefault(name, value)


def add_jsonld(generators):
    """all_generators_finalized: facets and related reports are known now."""
    global STATE
    STATE = _State()
    for gen in generators:
        if not isinstance(gen, ArticlesGenerator):
            continue
        STATE.articles = list(gen.articles)
        SIDE.add("data", write_data, gen.settings, gen.output_path)
        for article in gen.articles + gen.translations + gen.hidden_articles + gen.drafts:
            article.jsonld = JsonLd(article, gen.settings)


class JsonLd:
    """`article.jsonld`: the report's JSON-LD script text, made the first
    time a page shows it. A rebuild renders few report pages, and a full
    build renders them in the render workers, so the main process no longer
    spends ~0.6 s per 5,000 reports encoding JSON nobody reads.

    The render cache keys a page on the report's other attributes, the
    settings and the code, which is everything the text is made from: its
    own fingerprint (its repr) is therefore the same in every build."""

    __slots__ = ("_article", "_settings", "_text")

    def __init__(self, article, settings):
        self._article = article
        self._settings = settings
        self._text = None

    def __str__(self) -> str:
        if self._text is None:
            self._text = script_json(report_jsonld(self._article, self._settings))
        return self._text

    # Jinja's |safe and autoescaping take it as markup, like a str marked safe.
    __html__ = __str__

    def __repr__(self) -> str:
        return f"<JSON-LD of {getattr(self._article, 'source_path', '?')}>"


def _day(value):
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _changed(item) -> dt.date | None:
    hit = STATE.changed.get(id(item))
    if hit is None:
        hit = STATE.changed[id(item)] = (item, _day(
            getattr(item, "modified", None) or getattr(item, "published", None)
            or getattr(item, "date", None)))
    return hit[1]


def _lastmod(context) -> dt.date | None:
    """A report page changes with its report; a list page with the newest
    report it lists."""
    item = context.get("article") or context.get("page")
    if item is not None:
        return _changed(item)
    page = context.get("articles_page")
    listed = page.object_list if page is not None else context.get("articles") or []
    hit = STATE.newest.get(id(listed))
    if hit is None or hit[0] is not listed:
        dates = [d for d in map(_changed, listed) if d]
        hit = STATE.newest[id(listed)] = (listed, max(dates) if dates else None)
    return hit[1]


@lru_cache(maxsize=8)
def _folder(path: str) -> str:
    return os.path.join(os.path.abspath(path), "")


def remember_page(path, context=None):
    """content_written: every HTML page the site publishes goes in the sitemap
    (drafts and unlisted reports do not)."""
    context = context or {}
    item = context.get("article") or context.get("page")
    if item is not None and getattr(item, "status", "published") != "published":
        return
    if not str(path).endswith(".html"):
        return
    root = _folder(context.get("OUTPUT_PATH", "."))
    path = str(path)
    # Pelican's writer passes paths joined onto the output folder: a prefix
    # cut is enough (relpath cost a fifth of a no-change build's page writes).
    rel = path[len(root):] if path.startswith(root) else os.path.relpath(path, root)
    rel = rel.replace(os.sep, "/")
    url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
    STATE.pages[url] = _lastmod(context)


DATA_FILES = ("reports.json", "reports.csv", "facets.json")


def write_data(settings, out: str) -> None:
    """The data files, written beside the pages (see SideTasks). Not written
    again when the last build wrote them from the same records with the same
    code and vocabulary, and they are still the files it wrote (same size and
    modification time): most edits change a report's text, not its record."""
    siteurl = settings.get("SITEURL", "")
    folder = os.path.join(out, settings["OPENDATA_PATH"])
    records = [report_record(a, siteurl) for a in STATE.articles if hasattr(a, "provinces")]
    paths = [os.path.join(folder, name) for name in DATA_FILES]
    stamp_path = os.path.join(settings["CACHE_PATH"], "opendata.json") \
        if settings.get("CACHE_PATH") else None
    inputs = hashlib.blake2b(code_digest() + json.dumps(
        records, ensure_ascii=False, separators=(",", ":")).encode(), digest_size=16).hexdigest()
    if stamp_path and _stamp(stamp_path) == {"inputs": inputs, "files": _file_stamps(paths)}:
        return
    # Build outputs, made again by the next build: no fsync (see atomic_write).
    atomic_write(paths[0], json.dumps(
        {"count": len(records), "reports": records}, ensure_ascii=False, indent=1) + "\n",
        fsync=False)
    atomic_write(paths[1], csv_text(records), fsync=False)
    atomic_write(paths[2], json.dumps(
        facet_counts(records, load_vocabulary()), ensure_ascii=False, indent=1) + "\n",
        fsync=False)
    if stamp_path:
        atomic_write(stamp_path, json.dumps({"inputs": inputs, "files": _file_stamps(paths)}),
                     fsync=False)


def _file_stamps(paths) -> list:
    stamps = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            return []
        stamps.append([st.st_size, st.st_mtime_ns])
    return stamps


def _stamp(path: str) -> dict | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def write_exports(pelican):
    settings = pelican.settings
    siteurl = settings.get("SITEURL", "")
    out = pelican.output_path
    SIDE.result("data", lambda: write_data(settings, out))
    # The sitemap lists the pages written, known only now.
    if settings.get("SITEMAP_SAVE_AS"):
        entries = [(absolute_url(siteurl, url), lastmod) for url, lastmod in STATE.pages.items()]
        atomic_write(os.path.join(out, settings["SITEMAP_SAVE_AS"]), sitemap_xml(entries),
                     fsync=False)


def register():
    SIDE.connect()
    signals.initialized.connect(initialized)
    signals.all_generators_finalized.connect(add_jsonld)
    signals.content_written.connect(remember_page)
    signals.finalized.connect(write_exports)
