"""Open data exports of a real fixture build: they must carry exactly what the
report files say (CSV and JSON parsed back), JSON-LD and the sitemap."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings, strategies as st

from facet_support import PLURAL, SITEURL, expected_reports, published_fixture_site, read  # noqa: F401

from thaireports.vocabulary import load_vocabulary

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FIELDS = ["slug", "url", "title", "date", "end_date", "provinces", "agencies", "programs",
          "participants", "venue", "source", "inferred"]


@pytest.fixture(scope="module")
def out(published_fixture_site):
    return published_fixture_site[0]


@pytest.fixture(scope="module")
def expected():
    return {slug: {k: v for k, v in r.items() if k not in ("path", "published")}
            for slug, r in expected_reports().items()}


def test_reports_json_round_trips_the_report_metadata(out, expected):
    data = json.loads(read(out / "data" / "reports.json"))
    assert data["count"] == len(expected)
    got = {r["slug"]: r for r in data["reports"]}
    assert got == expected
    assert [r["date"] for r in data["reports"]] == sorted((r["date"] for r in data["reports"]), reverse=True)


def unneutralize(cell: str) -> str:
    """The documented way back: drop one leading quote."""
    return cell[1:] if cell.startswith("'") else cell


def test_reports_csv_round_trips_the_report_metadata(out, expected):
    raw = (out / "data" / "reports.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark for Excel"
    rows = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
    assert list(rows[0].keys()) == FIELDS
    got = {}
    for row in rows:
        row = {k: unneutralize(v) for k, v in row.items()}
        for field in ("provinces", "agencies", "programs", "inferred"):
            row[field] = row[field].split(";") if row[field] else []
        row["participants"] = int(row["participants"]) if row["participants"] else None
        for field in ("end_date", "venue", "source"):
            row[field] = row[field] or None
        got[row["slug"]] = row
    assert got == expected


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralized(out):
    text = (out / "data" / "reports.csv").read_bytes()[3:].decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    venue = next(r["venue"] for r in rows if r["slug"].startswith("2023-01-19"))
    assert venue == "'+มหาวิทยาลัยขอนแก่น วิทยาเขตหนองคาย"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("=+-@\t\r ab,\"'ก;\n")), max_size=12))
def test_any_cell_survives_csv_and_never_starts_a_formula(value):
    from plugins.opendata.exports import csv_text

    record = {f: None for f in FIELDS} | {"slug": "s", "title": value, "provinces": []}
    text = csv_text([record])
    row = next(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert not row["title"].startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unneutralize(row["title"]) == value


def test_facets_json_counts_reports_per_facet_and_year(out, expected):
    data = json.loads(read(out / "data" / "facets.json"))
    vocab = load_vocabulary()
    assert data["reports"] == len(expected)
    for kind, field in PLURAL.items():
        assert set(data[field]) == set(vocab.entries(kind))
        for key, n in data[field].items():
            assert n == sum(key in r[field] for r in expected.values()), (kind, key)
    years = {}
    for r in expected.values():
        years[r["date"][:4]] = years.get(r["date"][:4], 0) + 1
    assert data["years"] == years


def jsonld(out, record):
    path = out / record["url"].replace(SITEURL + "/", "") / "index.html"
    html = read(path)
    scripts = BeautifulSoup(html, "html.parser").find_all("script", type="application/ld+json")
    assert len(scripts) == 1, path
    return json.loads(scripts[0].string), html


def test_every_report_page_has_jsonld_with_dates_places_and_organizers(out, expected):
    vocab = load_vocabulary()
    for record in expected.values():
        data, _ = jsonld(out, record)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] in ("NewsArticle", "Report")
        assert data["url"] == record["url"]
        event = data["about"]
        assert event["@type"] == "Event"
        assert event["startDate"][:10] == record["date"]
        assert event["endDate"][:10] == (record["end_date"] or record["date"])
        regions = [p["address"]["addressRegion"] for p in event["location"]]
        assert regions == [vocab.provinces[k].th for k in record["provinces"]]
        assert all(p["address"]["addressCountry"] == "TH" for p in event["location"])
        assert [o["name"] for o in event["organizer"]] == [vocab.agencies[k].th for k in record["agencies"]]
        assert all(o["@type"] == "Organization" for o in event["organizer"])
    nk = next(r for r in expected.values() if r["slug"].startswith("2023-01-19"))
    assert jsonld(out, nk)[0]["about"]["startDate"] == "2023-01-19T09:30+07:00"


def test_jsonld_keeps_the_venue_and_cannot_break_out_of_its_script():
    from plugins.opendata.exports import script_json

    hostile = {"name": "</script><script>alert(1)</script><!-- & \u2028"}
    text = script_json(hostile)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == hostile


def test_sitemap_lists_every_published_page_with_lastmod(out):
    expected = expected_reports()
    root = ET.parse(out / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    entries = {u.find(f"{SITEMAP}loc").text: u.find(f"{SITEMAP}lastmod") for u in root}
    pages = set()
    for path in out.rglob("*.html"):
        rel = path.relative_to(out).as_posix()
        pages.add(f"{SITEURL}/{rel[:-len('index.html')] if rel.endswith('index.html') else rel}")
    assert pages == set(entries)
    for record in expected.values():
        lastmod = entries[record["url"]]
        # The day the report was published, else the day of the event.
        assert lastmod is not None and lastmod.text == record["published"]
    assert entries[f"{SITEURL}/province/phitsanulok/"].text == max(
        r["published"] for r in expected.values() if "phitsanulok" in r["provinces"])
    assert not any("/drafts/" in loc for loc in entries)


@pytest.mark.slow
def test_data_files_are_rewritten_only_when_a_record_changes(tmp_path):
    import sys

    from support import ROOT, build_site
    from thaireports.reportfile import parse_report, render_report

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus

    content = tmp_path / "content"
    paths = corpus.generate(6, content, images_every=0)
    out = tmp_path / "out"
    data = [out / "data" / name for name in ("reports.json", "reports.csv", "facets.json")]

    def stamps():
        return [(p.stat().st_ino, p.stat().st_mtime_ns) for p in data]

    build_site(content, out)
    first = stamps()
    edited = paths[2]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nย่อหน้าเพิ่มเติมในเนื้อหา\n",
                      encoding="utf-8")
    build_site(content, out)
    assert stamps() == first, "a text-only edit rewrote the data files"

    rep = parse_report(edited.read_text(encoding="utf-8"))
    meta = {f.name.capitalize() if f.name != "end_date" else "End_date": f.value
            for f in rep.fields.values()}
    meta["Title"] = "หัวข้อที่แก้ไขแล้ว"
    edited.write_text(render_report(meta, rep.body), encoding="utf-8")
    build_site(content, out)
    assert all(a != b for a, b in zip(stamps(), first))
    assert "หัวข้อที่แก้ไขแล้ว" in data[0].read_text(encoding="utf-8")
    assert "หัวข้อที่แก้ไขแล้ว" in data[1].read_text(encoding="utf-8-sig")

    data[1].unlink()
    build_site(content, out)
    assert "หัวข้อที่แก้ไขแล้ว" in data[1].read_text(encoding="utf-8-sig")
