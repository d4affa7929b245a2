"""Open data: data/reports.json, data/reports.csv, data/facets.json,
schema.org JSON-LD on each report (article.jsonld) and sitemap.xml.

Field meanings are documented in the README (## Facets and open data)."""
from __future__ import annotations

import datetime as dt
import json
import os
from functools import lru_cache

from pelican import signals
from pelican.generators import ArticlesGenerator

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
        for article in gen.articles + gen.translations + gen.hidden_articles + gen.drafts:
            article.jsonld = script_json(report_jsonld(article, gen.settings))


def _day(value):
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _changed(item) -> dt.date | None:
    return _day(getattr(item, "modified", None) or getattr(item, "published", None)
                or getattr(item, "date", None))


def _lastmod(context) -> dt.date | None:
    """A report page changes with its report; a list page with the newest
    report it lists."""
    item = context.get("article") or context.get("page")
    if item is not None:
        return _changed(item)
    page = context.get("articles_page")
    listed = page.object_list if page is not None else context.get("articles") or []
    dates = [d for d in map(_changed, listed) if d]
    return max(dates) if dates else None


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


def write_exports(pelican):
    settings = pelican.settings
    siteurl = settings.get("SITEURL", "")
    out = pelican.output_path
    folder = os.path.join(out, settings["OPENDATA_PATH"])
    records = [report_record(a, siteurl) for a in STATE.articles if hasattr(a, "provinces")]
    atomic_write(os.path.join(folder, "reports.json"), json.dumps(
        {"count": len(records), "reports": records}, ensure_ascii=False, indent=1) + "\n")
    atomic_write(os.path.join(folder, "reports.csv"), csv_text(records))
    atomic_write(os.path.join(folder, "facets.json"), json.dumps(
        facet_counts(records, load_vocabulary()), ensure_ascii=False, indent=1) + "\n")
    if settings.get("SITEMAP_SAVE_AS"):
        entries = [(absolute_url(siteurl, url), lastmod) for url, lastmod in STATE.pages.items()]
        atomic_write(os.path.join(out, settings["SITEMAP_SAVE_AS"]), sitemap_xml(entries))


def register():
    signals.initialized.connect(initialized)
    signals.all_generators_finalized.connect(add_jsonld)
    signals.content_written.connect(remember_page)
    signals.finalized.connect(write_exports)
