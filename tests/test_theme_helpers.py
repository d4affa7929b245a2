"""The theme plugin's pure parts: the province grid's checks, the message
catalogue's checks, English date ranges, map colour levels and the timeline's
geometry."""
from __future__ import annotations

import datetime as dt
import sys
from types import SimpleNamespace

import pytest
import yaml

from support import ROOT

sys.path.insert(0, str(ROOT / "plugins"))
from sitetheme import charts, i18n  # noqa: E402

GRID = ROOT / "theme" / "provincegrid.yaml"


def _grid_file(tmp_path, change):
    data = yaml.safe_load(GRID.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "grid.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    charts.load_grid.cache_clear()
    return str(path)


def test_the_committed_grid_places_77_provinces_on_distinct_squares():
    grid = charts.load_grid(str(GRID))
    assert len(grid) == 77 and len(set(grid.values())) == 77
    # North at the top, the deep south at the bottom.
    assert grid["chiang-rai"][1] == 0 and grid["narathiwat"][1] == max(r for _, r in grid.values())
    assert grid["bangkok"][1] < grid["songkhla"][1]


@pytest.mark.parametrize("change,message", [
    (lambda d: d.pop("yala"), "missing ['yala']"),
    (lambda d: d.update({"atlantis": [9, 20]}), "unknown province slug(s) ['atlantis']"),
    (lambda d: d.update({"yala": list(d["pattani"])}), "share column 3, row 15"),
    (lambda d: d.update({"yala": "3,16"}), "yala: expected [column, row]"),
])
def test_a_broken_grid_fails_saying_what_is_wrong(tmp_path, change, message):
    with pytest.raises(charts.GridError) as err:
        charts.load_grid(_grid_file(tmp_path, change))
    assert message in str(err.value)


def test_a_message_without_english_fails(tmp_path):
    path = tmp_path / "messages.yaml"
    path.write_text("site_name: {th: คลัง, en: Archive}\nnav_home: {th: หน้าแรก}\n", encoding="utf-8")
    with pytest.raises(i18n.CatalogueError, match="'nav_home' needs both a th and an en text"):
        i18n.load_catalogue(str(path))


def test_a_message_defined_twice_fails_with_its_line(tmp_path):
    path = tmp_path / "messages.yaml"
    path.write_text("site_name: {th: คลัง, en: Archive}\nnav_home: {th: หน้าแรก, en: Home}\n"
                    "site_name: {th: คลังข่าว, en: News archive}\n", encoding="utf-8")
    with pytest.raises(i18n.CatalogueError, match=r"messages.yaml:3: message 'site_name' is defined twice"):
        i18n.load_catalogue(str(path))


@pytest.mark.parametrize("start,end,text", [
    ((2024, 4, 5), None, "5 April 2024"),
    ((2024, 4, 5), (2024, 4, 5), "5 April 2024"),
    ((2024, 6, 20), (2024, 6, 21), "20–21 June 2024"),
    ((2025, 6, 30), (2025, 7, 1), "30 June – 1 July 2025"),
    ((2023, 12, 31), (2024, 1, 2), "31 December 2023 – 2 January 2024"),
])
def test_english_date_ranges(start, end, text):
    assert i18n.format_en_range(dt.date(*start), end and dt.date(*end)) == text


def _article(date, provinces="", end=None):
    return SimpleNamespace(date=dt.datetime(*date), metadata={"provinces": provinces, "end_date": end})


def test_map_counts_and_colour_levels():
    articles = [_article((2024, 1, 1), "chiang-rai")] * 8 + [_article((2024, 1, 2), "เชียงใหม่, nan")]
    ctx = {"PROVINCE_GRID": charts.load_grid(str(GRID))}
    pm = charts.province_map(ctx, articles)
    tiles = {t["entry"].key: t for t in pm["tiles"]}
    assert tiles["chiang-rai"]["count"] == 8 and tiles["chiang-rai"]["level"] == 4
    assert tiles["chiang-mai"]["count"] == 1 and tiles["chiang-mai"]["level"] == 1
    assert tiles["yala"]["level"] == 0
    assert pm["with_reports"] == 3 and pm["total"] == 10
    assert [(lv["level"], lv["low"], lv["high"]) for lv in pm["legend"]] == [(0, 0, 0), (1, 1, 1), (4, 8, 8)]


def test_timeline_geometry():
    articles = [_article((2023, 11, 5)), _article((2024, 2, 1)), _article((2024, 2, 9))]
    tl = charts.timeline({"LANG": "th"}, articles)
    assert tl["total"] == 3 and tl["top"] == 2 and tl["years"] == [(2023, 1), (2024, 2)]
    assert [b["month"] for b in tl["bars"]] == ["พ.ย. 2566", "ก.พ. 2567"]
    tall = tl["bars"][1]
    assert tall["y"] + tall["h"] == tl["baseline"] and tall["y"] == 14  # full height
    assert tl["bars"][0]["h"] == tall["h"] / 2
    assert [t["label"] for t in tl["ticks"]] == ["2566", "2567"]
    assert all(0 <= b["x"] and b["x"] + b["w"] <= tl["width"] for b in tl["bars"])
    assert charts.timeline({"LANG": "en"}, articles)["ticks"][0]["label"] == "2023"
    assert charts.timeline({"LANG": "th"}, []) is None
