"""Hostile reports built into a real site (production settings: feeds,
JSON-LD, open data, minified; and development settings): no page, feed, JSON
or CSV file may carry anything that runs, and the report text still arrives."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import lxml.html
import pytest

from payload_checks import atom_findings, csv_findings, html_findings, json_findings, text_of
from support import build_site

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
SITEURL = "http://127.0.0.1:8765"

pytestmark = pytest.mark.slow


def _content(tmp: Path) -> Path:
    content = tmp / "content"
    shutil.copytree(FIXTURES / "reports", content / "reports")
    shutil.copytree(FIXTURES / "pages", content / "pages")
    (content / "images").mkdir()
    # Deeply nested HTML, Markdown quotes and lists (generated: large and dull).
    nested = ("<div>" * 3000 + "ลึกสุด" + "</div>" * 3000 + "\n\n" + ">" * 300 + " คำพูดซ้อน\n\n"
              + "".join("    " * i + "- ชั้น\n" for i in range(60)))
    (content / "reports" / "2024" / "2024-05-04-phitsanulok-nested.md").write_text(
        "Title: รายงานซ้อนลึก\nDate: 2024-05-04\nProvinces: phitsanulok\nAgencies: nacc\n\n"
        + nested + "\n\nย่อหน้าหลังส่วนซ้อน\n", encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def hostile_sites(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    content = _content(tmp)
    published = tmp / "published"
    proc = build_site(content, published, settings="publishconf.py", env={"SITEURL": SITEURL})
    dev = tmp / "dev"
    build_site(content, dev)
    return {"content": content, "published": published, "dev": dev, "log": proc.stdout}


def _files(root: Path, *suffixes):
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in suffixes)


@pytest.mark.parametrize("which", ["published", "dev"])
def test_no_page_carries_executable_content(hostile_sites, which):
    root = hostile_sites[which]
    pages = _files(root, ".html")
    assert len(pages) > 20
    findings = []
    for page in pages:
        findings += html_findings(page.read_text(encoding="utf-8"), str(page.relative_to(root)),
                                  SITEURL if which == "published" else "")
    assert not findings, "\n".join(findings[:40])


def test_every_hostile_report_is_published(hostile_sites):
    """Sanitizing removes code, never a report."""
    root = hostile_sites["published"]
    sources = sorted((hostile_sites["content"] / "reports").rglob("*.md"))
    for src in sources:
        assert (root / "reports" / "2024" / src.stem / "index.html").exists(), src.name


def _report(root: Path, stem: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(
        (root / "reports" / "2024" / stem / "index.html").read_text(encoding="utf-8"))


def _report_text(root: Path, stem: str) -> str:
    return text_of((root / "reports" / "2024" / stem / "index.html").read_text(encoding="utf-8"))


def test_title_is_plain_text_everywhere_it_is_shown(hostile_sites):
    doc = _report(hostile_sites["published"], "2024-03-01-phitsanulok-title-xss")
    h1 = doc.xpath("//h1")[0].text_content()
    assert "ประชุม ป.ป.ช." in h1
    assert "<" not in h1 and "alert" not in h1
    assert "alert" not in doc.xpath("//title")[0].text_content()
    for meta in doc.xpath("//meta[@content]"):
        assert "alert" not in meta.get("content")


def test_body_text_survives_and_header_lines_in_the_body_stay_body(hostile_sites):
    doc = _report(hostile_sites["published"], "2024-03-02-phitsanulok-body-xss")
    text = doc.text_content()
    assert "ย่อหน้าแรกของรายงาน" in text and "ย่อหน้าสุดท้ายที่ต้องยังอยู่" in text
    assert "รายงานที่มีโค้ดอันตรายในเนื้อหา" in doc.xpath("//h1")[0].text_content()
    # The body's own "Date: 1999-01-01 / Provinces: bangkok" lines are text, not metadata.
    assert doc.xpath("//time[@datetime='2024-03-02']")
    assert not doc.xpath("//time[@datetime='1999-01-01']")
    assert not doc.xpath("//a[contains(@href, '/province/bangkok/')][ancestor::article]"
                         "[not(ancestor::div[contains(@class,'body')])][ancestor::section]")
    body = doc.xpath("//div[contains(@class,'body')]")[0]
    assert "Date: 1999-01-01" in body.text_content()
    # A plain link keeps its target; the sanitizer adds rel=noopener.
    ok = body.xpath(".//a[@href='https://example.org/']")
    assert ok and "noopener" in ok[0].get("rel") and "opener" != ok[0].get("rel")
    # Markup pretending to be the site's own interface loses its class and id.
    assert not body.xpath(".//*[contains(@class,'skip') or @id='main']")


def test_nested_html_report_builds_and_keeps_its_text(hostile_sites):
    # (libxml2 stops at 256 levels; html.parser reads the whole page.)
    text = _report_text(hostile_sites["published"], "2024-05-04-phitsanulok-nested")
    assert "ลึกสุด" in text and "คำพูดซ้อน" in text and "ย่อหน้าหลังส่วนซ้อน" in text


def test_source_with_markup_is_not_linked(hostile_sites):
    doc = _report(hostile_sites["published"], "2024-03-04-phitsanulok-source-xss")
    for a in doc.xpath("//a[@href]"):
        assert "example.org/news?id=" not in a.get("href")
    # (Pelican's log wraps long lines, even inside words; compare without whitespace.)
    log = re.sub(r"\s+", "", re.sub(r"\s[\w.]+\.py:\d+\s", " ", hostile_sites["log"]))
    assert "2024-03-04-phitsanulok-source-xss.md:5:Source" in log and "notaplainhttp(s)URL" in log
    good = _report(hostile_sites["published"], "2024-03-05-phitsanulok-venue-xss")
    assert good.xpath("//a[@href='https://example.org/news/1?a=1&b=%3Cscript%3E']")


def test_venue_and_summary_are_plain_or_clean(hostile_sites):
    root = hostile_sites["published"]
    doc = _report(root, "2024-03-05-phitsanulok-venue-xss")
    facts = " ".join(d.text_content() for d in doc.xpath("//dd"))
    assert "ห้องประชุม \"A\" & 'B'" in facts and "alert" not in facts
    doc = _report(root, "2024-03-06-phitsanulok-summary-xss")
    desc = doc.xpath("//meta[@name='description']")[0].get("content")
    assert desc.startswith("สรุป")
    # What is left of the summary's markup is inert text, never an element.
    summary_html = (root / "reports/2024/2024-03-06-phitsanulok-summary-xss/index.html").read_text()
    assert not html_findings(summary_html, "summary page", SITEURL)


def test_mixed_script_text_arrives_without_bidi_overrides_in_metadata(hostile_sites):
    doc = _report(hostile_sites["published"], "2024-05-01-phitsanulok-mixed-script")
    h1 = doc.xpath("//h1")[0].text_content()
    for word in ("ประชุม", "Integrity Forum", "مرحبا", "Привет", "中文", "ท้าย"):
        assert word in h1
    assert "\u202e" not in h1 and "\u202c" not in h1
    body = doc.text_content()
    assert "中文段落" in body and "๑๒๓" in body


def test_atom_feeds_hold_no_markup_in_titles_and_clean_html(hostile_sites):
    root = hostile_sites["published"]
    feeds = _files(root / "feeds", ".xml")
    assert root / "feeds" / "all.atom.xml" in feeds
    findings = []
    for feed in feeds:
        findings += atom_findings(feed.read_bytes(), str(feed.relative_to(root)), SITEURL)
    assert not findings, "\n".join(findings[:40])
    all_feed = (root / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "ย่อหน้าแรกของรายงาน" in all_feed  # content is there, only cleaned


def test_json_files_hold_no_markup_or_script_urls(hostile_sites):
    root = hostile_sites["published"]
    files = _files(root, ".json")
    assert any(p.name == "reports.json" for p in files)
    findings = []
    for path in files:
        findings += json_findings(json.loads(path.read_text(encoding="utf-8")), path.name)
    assert not findings, "\n".join(findings[:40])


def test_json_ld_blocks_are_valid_and_cannot_close_their_script(hostile_sites):
    root = hostile_sites["published"]
    seen = 0
    for page in _files(root / "reports", ".html"):
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r'<script type="?application/ld\+json"?>(.*?)</script>', text, re.S):
            seen += 1
            data = json.loads(block)
            assert not json_findings(data, page.name)
    assert seen >= 14


def test_csv_cells_cannot_run_as_formulas(hostile_sites):
    root = hostile_sites["published"]
    csvs = _files(root, ".csv")
    assert csvs
    findings = []
    for path in csvs:
        text = path.read_text(encoding="utf-8-sig")
        findings += csv_findings(text, path.name)
        # The formula-looking values are still there, neutralized, not dropped.
        if path.name == "reports.csv":
            assert "HYPERLINK" in text and "SUM(A1:A9)" in text and "2+3" in text
    assert not findings, "\n".join(findings)


def test_broken_reports_fail_the_build_naming_file_and_line(tmp_path):
    """Wrong encoding, binary, empty, a javascript: Source: the build stops and
    says which file and line; it does not publish a partial site silently."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "broken", content / "reports")
    shutil.copytree(FIXTURES / "reports", content / "reports", dirs_exist_ok=True)
    proc = build_site(content, tmp_path / "out", check=False)
    assert proc.returncode != 0
    for src in (FIXTURES / "broken").rglob("*.md"):
        assert re.search(rf"{re.escape(src.name)}:\d+: ", proc.stdout), (src.name, proc.stdout[-3000:])
    assert "javascript:alert(1)" in proc.stdout and "UTF-8" in proc.stdout


def test_search_client_never_inserts_html():
    """Index text may contain "<" as words; the client must write it as text."""
    from support import ROOT
    scripts = list((ROOT / "theme" / "static").rglob("*.js")) + list((ROOT / "plugins").rglob("*.js"))
    assert scripts
    for js in scripts:
        code = js.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                     "new Function", "setTimeout(\"", "srcdoc"):
            assert sink not in code, f"{js.relative_to(ROOT)} uses {sink}"
