"""Build-time data for the home page: the tile-grid map of Thailand's 77
provinces with report counts, and the reports-per-month timeline drawn as SVG.

Tile positions come from `theme/provincegrid.yaml` (positions only); names and
regions come from the vocabulary, so nothing about a province is written twice."""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import pass_context

from thaireports import yamltext
from thaireports.reportfile import split_list
from thaireports.vocabulary import load_vocabulary

from . import memo
from .i18n import EN_MONTHS, event_dates, lang_of

TH_MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                   "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
LEVELS = 4  # colour steps for provinces with reports (0 = none)


class GridError(ValueError):
    pass


@lru_cache(maxsize=None)
def load_grid(path: str) -> dict[str, tuple[int, int]]:
    """slug → (column, row), checked against the vocabulary: every province
    placed once, no unknown slug, no two on one square."""
    raw = yamltext.load(Path(path).read_text(encoding="utf-8")) or {}
    provinces = load_vocabulary().provinces
    unknown = sorted(set(raw) - set(provinces))
    missing = sorted(set(provinces) - set(raw))
    if unknown or missing:
        raise GridError(f"{path}: unknown province slug(s) {unknown}; missing {missing}")
    grid, seen = {}, {}
    for slug, pos in raw.items():
        if not (isinstance(pos, list) and len(pos) == 2 and all(isinstance(v, int) and v >= 0 for v in pos)):
            raise GridError(f"{path}: {slug}: expected [column, row], got {pos!r}")
        col, row = pos
        if (col, row) in seen:
            raise GridError(f"{path}: {slug} and {seen[col, row]} share column {col}, row {row}")
        seen[col, row] = slug
        grid[slug] = (col, row)
    return grid


def facet_keys(article, kind: str) -> list[str]:
    """Vocabulary keys of an article's provinces/agencies/programs, whether the
    facets plugin has already turned them into facet objects or they are still
    the metadata text."""
    attr = {"province": "provinces", "agency": "agencies", "program": "programs"}[kind]
    values = getattr(article, attr, None)
    if values is None:
        values = article.metadata.get(attr)
    if isinstance(values, str):
        values = split_list(values)
    vocab = load_vocabulary()
    keys = []
    for v in values or ():
        entry = getattr(v, "entry", None)
        key = entry.key if entry is not None else vocab.resolve(kind, str(getattr(v, "slug", v)))
        if key and key not in keys:
            keys.append(key)
    return keys


def facets(article, kind: str) -> list[dict]:
    """[{entry, url}] for chips; the facet object's own URL when there is one."""
    attr = {"province": "provinces", "agency": "agencies", "program": "programs"}[kind]
    by_key = {}
    for v in getattr(article, attr, None) or ():
        entry = getattr(v, "entry", None)
        if entry is not None and getattr(v, "url", None):
            by_key[entry.key] = v.url
    entries = load_vocabulary().entries(kind)
    return [{"entry": entries[k], "url": by_key.get(k, f"{kind}/{k}/")} for k in facet_keys(article, kind)]


@dataclass(frozen=True)
class Fact:
    """What the map and the timeline need of one report. Pages that chart the
    whole archive use these instead of the reports themselves, so editing a
    report's text does not make the render cache redraw every such page."""
    start: dt.date | None
    provinces: tuple[str, ...]


def facts(articles) -> list[Fact]:
    return [Fact(event_dates(a)[0], tuple(facet_keys(a, "province"))) for a in articles]


def _provinces_of(a) -> list[str] | tuple[str, ...]:
    return a.provinces if isinstance(a, Fact) else facet_keys(a, "province")


def _start_of(a):
    return a.start if isinstance(a, Fact) else event_dates(a)[0]


@pass_context
def province_map(ctx, articles) -> dict:
    """Tiles for the map: entry, column/row (1-based for CSS grid), count and
    colour level; plus the legend's ranges."""
    grid = ctx["PROVINCE_GRID"]
    counts = Counter(k for a in articles for k in _provinces_of(a))
    top = max(counts.values(), default=0)
    provinces = load_vocabulary().provinces

    def level(n):
        return 0 if n == 0 else min(LEVELS, math.ceil(LEVELS * n / top))

    tiles = []
    for slug, (col, row) in sorted(grid.items(), key=lambda kv: (kv[1][1], kv[1][0])):
        n = counts.get(slug, 0)
        tiles.append({"entry": provinces[slug], "col": col + 1, "row": row + 1,
                      "count": n, "level": level(n)})
    legend = [{"level": 0, "low": 0, "high": 0}]
    for lv in range(1, LEVELS + 1):
        members = [n for n in counts.values() if level(n) == lv]
        if members:
            legend.append({"level": lv, "low": min(members), "high": max(members)})
    return {"tiles": tiles, "legend": legend,
            "columns": max(c for c, _ in grid.values()) + 1,
            "rows": max(r for _, r in grid.values()) + 1,
            "with_reports": len(counts), "total": sum(counts.values())}


@pass_context
def timeline(ctx, articles, width: int = 400, height: int = 140) -> dict | None:
    """Reports per month from the first to the last month with a report, as
    SVG geometry (x, y, w, h per bar in a width×height viewBox), with year
    ticks and per-year totals for the table that accompanies the chart."""
    months = Counter()
    for a in articles:
        start = _start_of(a)
        if start:
            months[(start.year, start.month)] += 1
    if not months:
        return None
    (y0, m0), (y1, m1) = min(months), max(months)
    span = [(y, m) for y in range(y0, y1 + 1) for m in range(1, 13)
            if (y, m) >= (y0, 1) and (y, m) <= (y1, 12)]
    pad_top, pad_bottom, pad_left = 14, 22, 4
    plot_h = height - pad_top - pad_bottom
    slot = (width - pad_left) / len(span)
    top = max(months.values())
    en = lang_of(ctx) == "en"
    bars, ticks = [], []
    for i, (y, m) in enumerate(span):
        n = months.get((y, m), 0)
        h = round(plot_h * n / top, 1)
        x = round(pad_left + i * slot, 2)
        if m == 1:
            ticks.append({"x": x, "label": str(y if en else y + 543)})
        if n:
            month = f"{EN_MONTHS[m - 1]} {y}" if en else f"{TH_MONTHS_SHORT[m - 1]} {y + 543}"
            bars.append({"x": round(x + slot * 0.1, 2), "w": round(max(slot * 0.8, 1), 2),
                         "y": round(pad_top + plot_h - h, 1), "h": h, "count": n, "month": month})
    years = Counter()
    for (y, _m), n in months.items():
        years[y] += n
    return {"width": width, "height": height, "baseline": pad_top + plot_h, "bars": bars,
            "ticks": ticks, "top": top, "total": sum(months.values()),
            "years": sorted(years.items()), "first": span[0], "last": span[-1]}


GLOBALS = {"province_map": province_map, "timeline": timeline,
           "facet_links": memo.per_object(facets)}
FILTERS = {}
