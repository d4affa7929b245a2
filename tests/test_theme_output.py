"""The theme's built HTML, read without a browser: one message catalogue and
no interface text in templates, the English mirror, the CSP and no inline
styles or scripts, pagination in both languages, minified output that keeps
JSON-LD intact."""
from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from support import FIXTURES, ROOT, build_site

THEME = ROOT / "theme"
TEMPLATES = THEME / "templates"
OWN_TEMPLATES = sorted(TEMPLATES.glob("*.html"))
THAI = re.compile(r"[\u0E00-\u0E7F]")
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")

sys.path.insert(0, str(ROOT / "plugins"))
from minify import minify_css, minify_page  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Development build of the theme fixtures, two reports per page so that
    every list paginates."""
    tmp = tmp_path_factory.mktemp("theme-output")
    content = tmp / "content"
    shutil.copytree(FIXTURES / "theme", content)
    shutil.copytree(ROOT / "content" / "pages", content / "pages", dirs_exist_ok=True)
    out = tmp / "output"
    build_site(content, out, extra={"DEFAULT_PAGINATION": 2,
                                    "PAGINATED_TEMPLATES": {"index": None, "period_archives": 2}})
    return out


def _html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_catalogue_has_thai_and_english_for_every_key_used():
    catalogue = yaml.safe_load((THEME / "messages.yaml").read_text(encoding="utf-8"))
    used = set()
    for tpl in OWN_TEMPLATES:
        used |= set(re.findall(r"""_\(\s*['"]([a-z0-9_]+)['"]\s*[,)]""", tpl.read_text(encoding="utf-8")))
    # nav keys are listed as data in base.html and built as 'nav_' ~ plural in facet.html
    used |= {f"nav_{k}" for k in ("provinces", "agencies", "programs", "about")}
    # facet_list.html builds page_name ~ '_heading' / '_intro'
    used |= {f"{k}_{part}" for k in ("agencies", "programs") for part in ("heading", "intro")}
    missing = sorted(used - set(catalogue))
    assert missing == []
    for key, forms in catalogue.items():
        assert forms["th"].strip() and forms["en"].strip(), key
        # The language switch names the other language in that language.
        assert THAI.search(forms["th"]) or key == "lang_switch_text", f"{key}: th text has no Thai"
    unused = sorted(k for k in set(catalogue) - used
                    if not k.endswith("_one") and k not in ("feed_for",))
    assert unused == [], "messages nobody uses"


def test_templates_hold_no_interface_text_of_their_own():
    """Every visible word comes from messages.yaml: no Thai in templates, and
    no English words between tags outside Jinja expressions."""
    for tpl in OWN_TEMPLATES:
        text = tpl.read_text(encoding="utf-8")
        code = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", " ", text, flags=re.S)
        assert not THAI.search(code), f"{tpl.name}: Thai text outside the catalogue"
        between = re.findall(r">([^<>]*)<", code)
        words = [w for chunk in between for w in re.findall(r"[A-Za-z]{3,}", chunk)]
        assert words == [], f"{tpl.name}: literal text {words}"


def test_every_page_has_an_english_mirror_with_english_interface(site):
    thai_pages = [p for p in site.rglob("*.html") if not p.relative_to(site).parts[0] == "en"]
    assert len(thai_pages) > 100
    for page in thai_pages:
        rel = page.relative_to(site)
        en = site / "en" / rel
        assert en.exists(), f"no English page for {rel}"
    doc = _html(site / "en" / "provinces" / "index.html")
    assert doc.html["lang"] == "en"
    nav = [a.get_text() for a in doc.select("nav.wrap a")]
    assert nav == ["Provinces", "Agencies", "Programs", "Archive", "About", "Search"]
    assert not THAI.search(doc.select_one("header.site nav").get_text())
    assert doc.select_one("h1").get_text() == "Provinces"
    # Links inside the English site stay English; the switch leads back to Thai.
    hrefs = [a["href"] for a in doc.select("main a[href]")]
    assert hrefs and all("en/" in h for h in hrefs), hrefs
    assert doc.select_one("a.lang")["href"] == "../../provinces/"
    th = _html(site / "provinces" / "index.html")
    assert th.html["lang"] == "th"
    assert th.select_one("a.lang")["href"].endswith("en/provinces/")


def test_every_page_carries_the_csp_and_no_inline_styles_or_scripts(site):
    for page in site.rglob("*.html"):
        doc = _html(page)
        meta = doc.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None and meta["content"] == CSP, page
        assert doc.select("[style]") == [] and doc.select("style") == [], page
        for script in doc.select("script"):
            is_data = script.get("type") == "application/ld+json"
            assert is_data or (script.get("src") and not script.string), f"{page}: inline script"
        for attr in ("src", "href"):
            for el in doc.select(f"[{attr}]"):
                url = el[attr]
                external = url.startswith(("http:", "https:", "//"))
                # Only a report's source link may leave the site.
                assert not external or "source" in (el.find_parent("p") or {}).get("class", []), \
                    f"{page}: {attr}={url}"


def test_home_province_and_year_pages_paginate_in_both_languages(site):
    home2 = _html(site / "page" / "2" / "index.html")
    assert [a.get_text(strip=True) for a in home2.select(".pager a")][0].endswith("ก่อนหน้า")
    assert "หน้า 2 จาก 3" in home2.select_one(".pager").get_text()
    en2 = _html(site / "en" / "page" / "2" / "index.html")
    links = [a["href"] for a in en2.select(".pager a")]
    assert links[0].rstrip("/").endswith("en") and links[1].endswith("en/page/3/"), links
    assert "Page 2 of 3" in en2.select_one(".pager").get_text()
    assert len(en2.select(".cards .card")) == 2
    # The map and timeline are only on the first page.
    assert not home2.select(".tilemap") and _html(site / "index.html").select(".tilemap")


def test_year_archive_lists_that_years_reports(site):
    doc = _html(site / "archive" / "2024" / "index.html")
    assert doc.select_one("h1").get_text() == "รายงานปี 2567 (2024)"
    titles = [a.get_text() for a in doc.select(".cards h3 a")]
    assert len(titles) == 2 and titles[0].startswith("เครือข่ายจังหวัดคุณธรรม")
    assert "หน้า 1 จาก 2" in doc.select_one(".pager").get_text()
    page2 = _html(site / "archive" / "2024" / "page" / "2" / "index.html")
    assert [a.get_text() for a in page2.select(".cards h3 a")] == \
        ["สานพลังภาคีหนุนเสริมการพัฒนาธรรมนูญตำบล ภาคเหนือตอนล่าง 1"]
    other = [a.get_text() for a in doc.select(".years a")]
    assert other == ["2566 (2023)", "2562 (2019)"]
    index = _html(site / "archive" / "index.html")
    years = [li.get_text(" ", strip=True) for li in index.select(".yearlist li")]
    assert years == ["2567 (2024) · 3 รายงาน", "2566 (2023) · 2 รายงาน", "2562 (2019) · 1 รายงาน"]
    assert len(index.select(".timeline rect")) == 6


def test_minify_shrinks_pages_and_keeps_json_ld_identical(site):
    report = next((site / "reports" / "2024").glob("*/index.html"))
    html = report.read_text(encoding="utf-8")
    small = minify_page(html)
    assert len(small) < len(html) * 0.97
    blocks = [json.loads(b.string) for b in _html(report).select("script[type='application/ld+json']")]
    assert blocks, "the report page keeps the facets plugin's JSON-LD"
    assert [json.loads(b.string) for b in BeautifulSoup(small, "html.parser")
            .select("script[type='application/ld+json']")] == blocks
    assert _html(report).select_one("h1").get_text() == BeautifulSoup(small, "html.parser").select_one("h1").get_text()
    css = (THEME / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert len(minify_css(css)) < len(css) and "@font-face" in minify_css(css)


def test_minify_leaves_a_page_alone_when_json_ld_would_change(monkeypatch):
    import minify

    html = ('<!doctype html><html><head><script type="application/ld+json">'
            '{"a": "x  y", "b": [1, 2]}</script></head><body><p>  a  </p></body></html>')
    assert minify.minify_page(html) != html
    monkeypatch.setattr(minify.minify_html, "minify", lambda text, **kw: text.replace('"b"', "b"))
    assert minify.minify_page(html) is html
