"""The archive's open data, built from published reports: one record per
report (JSON and CSV), facet counts, schema.org JSON-LD, the sitemap.

Pure functions of the article attributes the facets plugin sets; writing
files is left to the plugin."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from xml.sax.saxutils import escape

from thaireports.vocabulary import KINDS, Vocabulary

CSV_FIELDS = ("slug", "url", "title", "date", "end_date", "provinces", "agencies", "programs",
              "participants", "venue", "source", "inferred")
LIST_SEPARATOR = ";"
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLURAL = {"province": "provinces", "agency": "agencies", "program": "programs"}


def _day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def absolute_url(siteurl: str, path: str) -> str:
    return f"{siteurl.rstrip('/')}/{path.lstrip('/')}" if siteurl else f"/{path.lstrip('/')}"


def report_record(article, siteurl: str) -> dict:
    """One report as plain data; facet lists hold vocabulary keys."""
    end = getattr(article, "end_date", None)
    return {
        "slug": article.slug,
        "url": absolute_url(siteurl, article.url),
        "title": article.title,
        "date": _day(article.date).isoformat(),
        "end_date": end.isoformat() if end else None,
        "provinces": [f.key for f in getattr(article, "provinces", [])],
        "agencies": [f.key for f in getattr(article, "agencies", [])],
        "programs": [f.key for f in getattr(article, "programs", [])],
        "participants": getattr(article, "participants", None),
        "venue": getattr(article, "venue", None),
        "source": getattr(article, "source", None),
        "inferred": sorted(getattr(article, "inferred", ()) or ()),
    }


def neutralize(cell: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (CSV injection):
    prefix a quote, which spreadsheets show as plain text. Cells that already
    start with a quote get one too, so removing one leading quote always
    gives back the original value."""
    return "'" + cell if cell.startswith(FORMULA_START + ("'",)) else cell


def csv_text(records: list[dict]) -> str:
    """CSV with a byte-order mark so Excel reads the Thai as UTF-8."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for r in records:
        row = []
        for name in CSV_FIELDS:
            value = r.get(name)
            if value is None:
                value = ""
            elif isinstance(value, list):
                value = LIST_SEPARATOR.join(value)
            row.append(neutralize(str(value)))
        writer.writerow(row)
    return "\ufeff" + buf.getvalue()


def facet_counts(records: list[dict], vocab: Vocabulary) -> dict:
    """Reports per province, agency, program (every vocabulary key, zero
    included) and per year."""
    out: dict = {"reports": len(records)}
    for kind in KINDS:
        field = PLURAL[kind]
        counts = Counter(k for r in records for k in r[field])
        out[field] = {key: counts.get(key, 0) for key in vocab.entries(kind)}
    years = Counter(r["date"][:4] for r in records)
    out["years"] = {y: years[y] for y in sorted(years)}
    return out


def script_json(data) -> str:
    """JSON that cannot end a <script> element or open a comment inside it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _when(value) -> str:
    """A day, or the moment when the report gives a time of day."""
    if isinstance(value, dt.datetime) and (value.hour or value.minute):
        return value.isoformat(timespec="minutes")
    return _day(value).isoformat()


def report_jsonld(article, settings: dict) -> dict:
    """schema.org NewsArticle about the Event the report describes."""
    siteurl = settings.get("SITEURL", "")
    start = _day(article.date)
    end = getattr(article, "end_date", None)
    venue = getattr(article, "venue", None)
    places = []
    for i, p in enumerate(getattr(article, "provinces", [])):
        places.append({
            "@type": "Place",
            "name": venue if (venue and i == 0) else p.name,
            "address": {"@type": "PostalAddress", "addressRegion": p.name,
                        "addressCountry": "TH"},
            "sameAs": absolute_url(siteurl, p.url),
        })
    if not places and venue:
        places.append({"@type": "Place", "name": venue,
                       "address": {"@type": "PostalAddress", "addressCountry": "TH"}})
    event = {
        "@type": "Event",
        "@id": absolute_url(siteurl, article.url) + "#event",
        "name": article.title,
        "startDate": _when(article.date),
        "endDate": (end or start).isoformat(),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": places,
        "organizer": [{"@type": "Organization", "name": a.name, "alternateName": a.name_en,
                       "url": absolute_url(siteurl, a.url)}
                      for a in getattr(article, "agencies", [])],
    }
    programs = [p.name for p in getattr(article, "programs", [])]
    if programs:
        event["about"] = programs
    published = getattr(article, "published", None) or start
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "name": article.title,
        "url": absolute_url(siteurl, article.url),
        "inLanguage": getattr(article, "lang", None) or settings.get("DEFAULT_LANG", "th"),
        "datePublished": _day(published).isoformat(),
        "publisher": {"@type": "Organization", "name": settings.get("SITENAME", "")},
        "about": event,
        "mainEntity": event,
    }
    source = getattr(article, "source", None)
    if source:
        data["isBasedOn"] = source
    if programs:
        data["keywords"] = programs
    return data


def sitemap_xml(entries: list[tuple[str, dt.date | None]]) -> str:
    """entries: (absolute URL, last modification date)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    newest: dict[str, dt.date | None] = {}
    for url, lastmod in entries:
        old = newest.get(url)
        newest[url] = max(d for d in (old, lastmod) if d) if (old or lastmod) else None
    for url, lastmod in sorted(newest.items()):
        out.append(f"<url><loc>{escape(url)}</loc>"
                   + (f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else "") + "</url>")
    out.append("</urlset>")
    return "\n".join(out) + "\n"
