"""The facets plugin on a real Pelican build of tests/fixtures/facets:
province, agency and program pages, index pages, year archives, feeds,
inferred tags, aliases and Thai file names."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from facet_support import SITEURL, expected_reports, published_fixture_site, read  # noqa: F401

from thaireports.vocabulary import load_vocabulary

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(published_fixture_site):
    return published_fixture_site


@pytest.fixture(scope="module")
def reports():
    return expected_reports()


def soup(path):
    return BeautifulSoup(read(path), "html.parser")


def report_links(page) -> list[str]:
    """Report URLs linked from a page's main content, in page order, once each."""
    main = page.find("main") or page
    seen = []
    for a in main.find_all("a", href=True):
        href = a["href"]
        if "/reports/" in href and href not in seen:
            seen.append(href)
    return seen


def members(out, kind, key) -> list[str]:
    """Report URLs listed on every page of a paginated facet page."""
    urls = []
    folder = out / kind / key
    pages = [folder / "index.html"] + sorted((folder / "page").glob("*/index.html"),
                                             key=lambda p: int(p.parent.name))
    for p in pages:
        urls += report_links(soup(p))
    return urls


def newest_first(reports, predicate):
    chosen = [r for r in reports.values() if predicate(r)]
    return [r["url"] for r in sorted(chosen, key=lambda r: r["date"], reverse=True)]


@pytest.mark.parametrize("kind,field", [("province", "provinces"), ("agency", "agencies"),
                                        ("program", "programs")])
def test_every_facet_page_lists_exactly_its_reports_newest_first(site, reports, kind, field):
    out, _ = site
    vocab = load_vocabulary()
    for key in vocab.entries(kind):
        expected = newest_first(reports, lambda r: key in r[field])
        assert members(out, kind, key) == expected, (kind, key)


def test_facet_page_shows_thai_and_english_names_region_and_count(site):
    out, _ = site
    text = soup(out / "province" / "phitsanulok" / "index.html").get_text(" ")
    assert "พิษณุโลก" in text and "Phitsanulok" in text
    assert "ภาคกลาง" in text          # its region
    assert "3" in text


def test_facet_pages_are_paginated_with_pelicans_paginator(site):
    out, _ = site
    first = out / "province" / "phitsanulok" / "index.html"
    second = out / "province" / "phitsanulok" / "page" / "2" / "index.html"
    assert second.exists()
    assert len(report_links(soup(first))) == 2
    assert len(report_links(soup(second))) == 1
    assert not (out / "province" / "phitsanulok" / "page" / "3").exists()


def test_thai_names_and_aliases_in_metadata_are_normalized_to_keys(site, reports):
    out, _ = site
    nk = next(r for r in reports.values() if r["slug"].startswith("2023-01-19"))
    assert nk["provinces"] == ["nong-khai"]
    assert nk["agencies"] == ["moral-center", "culture-office", "provincial-office"]
    assert nk["programs"] == ["moral-community"]
    for kind, key in [("province", "nong-khai"), ("agency", "moral-center"),
                      ("agency", "provincial-office"), ("program", "moral-community")]:
        listed = members(out, kind, key)
        assert nk["url"] in listed
        field = {"province": "provinces", "agency": "agencies", "program": "programs"}[kind]
        assert listed == newest_first(reports, lambda r: key in r[field])


def test_thai_file_name_gets_an_ascii_slug(site, reports):
    out, _ = site
    r = next(r for r in reports.values() if r["path"].endswith("รายงานอบรมพิษณุโลก.md"))
    assert r["slug"].startswith("2024-07-15-phitsanulok-") and r["slug"].isascii()
    assert (out / "reports" / "2024" / r["slug"] / "index.html").exists()


def test_left_out_facets_are_inferred_from_the_text_and_marked(site, reports):
    out, _ = site
    r = next(r for r in reports.values() if r["slug"] == "2024-09-01-untagged")
    # The fixture names เชียงราย, ป.ป.ช. and ชมรม STRONG in its text.
    assert r["provinces"] == ["chiang-rai"]
    assert "nacc" in r["agencies"]
    assert "strong-club" in r["programs"]
    assert r["inferred"] == ["agency", "program", "province"]
    page = soup(out / "province" / "chiang-rai" / "index.html")
    item = page.find("a", href=lambda h: h and r["slug"] in h).find_parent(["li", "article"])
    assert item.select("[data-inferred]"), "inferred membership is not marked"
    # A declared membership is not marked as inferred.
    page = soup(out / "province" / "nong-khai" / "index.html")
    item = page.find("a", href=lambda h: h and "2023-01-19" in h).find_parent(["li", "article"])
    assert not item.select("[data-inferred]")


def test_provinces_index_groups_all_77_by_region_with_counts(site, reports):
    out, _ = site
    vocab = load_vocabulary()
    page = soup(out / "provinces" / "index.html")
    text = page.get_text(" ")
    for region in vocab.regions.values():
        assert region.th in text
    for p in vocab.provinces.values():
        assert p.th in text, p.key
    counts = {}
    for r in reports.values():
        for key in r["provinces"]:
            counts[key] = counts.get(key, 0) + 1
    for key, n in counts.items():
        link = page.find("a", href=lambda h: h and h.rstrip("/").endswith(f"province/{key}"))
        assert link is not None, key
        assert str(n) in link.find_parent("li").get_text(" ")
    # Provinces without reports are listed, not linked.
    assert page.find("a", href=lambda h: h and h.rstrip("/").endswith("province/chiang-mai")) is None
    assert "ยังไม่มีรายงาน" in text


@pytest.mark.parametrize("name,kind", [("agencies", "agency"), ("programs", "program")])
def test_agency_and_program_indexes_link_every_facet_with_reports(site, reports, name, kind):
    out, _ = site
    page = soup(out / name / "index.html")
    used = {k for r in reports.values() for k in r[f"{name}"]}
    for key in used:
        assert page.find("a", href=lambda h: h and h.rstrip("/").endswith(f"{kind}/{key}")), key


def test_year_archives_exist_and_are_linked_from_the_archive(site, reports):
    out, _ = site
    years = {r["date"][:4] for r in reports.values()}
    archive = soup(out / "archive" / "index.html")
    for year in years:
        page = out / "archive" / year / "index.html"
        assert page.exists()
        expected = newest_first(reports, lambda r: r["date"].startswith(year))
        assert sorted(report_links(soup(page))) == sorted(expected)
        assert archive.find("a", href=lambda h: h and h.rstrip("/").endswith(f"archive/{year}"))


def parse_feed(path):
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    entries = root.findall(f"{ATOM}entry")
    for e in entries:
        for required in ("id", "title", "updated"):
            assert e.find(f"{ATOM}{required}") is not None
    return root, [e.find(f"{ATOM}link").get("href") for e in entries]


@pytest.mark.parametrize("kind,field", [("province", "provinces"), ("agency", "agencies"),
                                        ("program", "programs")])
def test_each_facet_has_a_valid_atom_feed_of_its_reports(site, reports, kind, field):
    out, _ = site
    ids = set()
    for key in load_vocabulary().entries(kind):
        root, links = parse_feed(out / "feeds" / kind / f"{key}.atom.xml")
        assert links == newest_first(reports, lambda r: key in r[field]), (kind, key)
        feed_id = root.find(f"{ATOM}id").text
        assert feed_id == f"{SITEURL}/feeds/{kind}/{key}.atom.xml"
        ids.add(feed_id)
        alternate = root.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert alternate == f"{SITEURL}/{kind}/{key}/"


def test_whole_archive_feed_lists_every_report(site, reports):
    out, _ = site
    _, links = parse_feed(out / "feeds" / "all.atom.xml")
    assert links == newest_first(reports, lambda r: True)


def test_report_pages_show_related_reports_sharing_province_or_program(site, reports):
    out, _ = site
    r = next(r for r in reports.values() if r["slug"] == "2024-04-05-phitsanulok-1afdb7")
    page = soup(out / "reports" / "2024" / r["slug"] / "index.html")
    related = page.select_one(".related")
    assert related is not None
    expected = newest_first(reports, lambda o: o is not r and (
        set(o["provinces"]) & set(r["provinces"]) or set(o["programs"]) & set(r["programs"])))
    tail = lambda u: u.rsplit("/reports/", 1)[1]  # noqa: E731
    assert [tail(u) for u in report_links(related)] == [tail(u) for u in expected]


def test_report_page_shows_buddhist_era_date_and_range(site, reports):
    out, _ = site
    text = soup(out / "reports" / "2024" / "2024-06-20-phitsanulok-c0ffee" / "index.html").get_text(" ")
    assert "20–21 มิถุนายน 2567" in text


def test_the_build_reports_files_in_equal_pages_out(site, reports):
    out, log = site
    pages = list((out / "reports").glob("*/*/index.html"))
    assert len(pages) == len(reports)


def test_category_and_author_lists_are_dropped_only_when_nothing_is_written_from_them():
    import sys
    from types import SimpleNamespace

    from support import ROOT

    sys.path.insert(0, str(ROOT / "plugins"))
    from facets import skip_unwritten_listings

    listing = [("reports", ["r1", "r2"])]
    off = SimpleNamespace(settings={"CATEGORY_SAVE_AS": "", "AUTHOR_SAVE_AS": ""},
                          categories=list(listing), authors=list(listing))
    skip_unwritten_listings(off)
    assert off.categories == [] and off.authors == []
    # A feed (or page) that needs them keeps them.
    feeds = SimpleNamespace(settings={"CATEGORY_SAVE_AS": "", "AUTHOR_FEED_ATOM": "a/{slug}.xml"},
                            categories=list(listing), authors=list(listing))
    skip_unwritten_listings(feeds)
    assert feeds.categories == [] and feeds.authors == listing
