"""The theme in a real browser: Debian's Chromium through Playwright on sites
built by Pelican and served on 127.0.0.1.

Two sites are driven: the theme's fixture reports (tests/fixtures/theme, which
include a very long unspaced Thai headline) and, once it holds reports, the
archive's real content/. Screenshots land in test-artifacts/."""
from __future__ import annotations

import json
import re
import shutil
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from support import FIXTURES, ROOT, build_site, serve_dir
from thaireports.vocabulary import load_vocabulary

THEME_FIXTURE = FIXTURES / "theme"
LONG_HEADLINE = "reports/2024/2024-06-20-chiang-rai-c0ffee/"
WIDTHS = (360, 1280)
REAL_REPORTS = sorted((ROOT / "content" / "reports").rglob("*.md"))
SITES = ["fixtures"] + (["content"] if REAL_REPORTS else [])
WEIGHT_LIMIT = 150 * 1000  # bytes transferred for a report page on first load


def _content_dir(tmp: Path) -> Path:
    """The fixture reports plus the real pages (about)."""
    content = tmp / "content"
    shutil.copytree(THEME_FIXTURE, content)
    shutil.copytree(ROOT / "content" / "pages", content / "pages", dirs_exist_ok=True)
    return content


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    """The fixture reports built with the production settings (minified,
    feeds on) and root-relative URLs, so that any local port serves it."""
    tmp = tmp_path_factory.mktemp("theme-site")
    out = tmp / "output"
    build_site(_content_dir(tmp), out, settings="publishconf.py", env={"SITEURL": ""})
    return out


@pytest.fixture(scope="module")
def fixture_server(fixture_site):
    with serve_dir(fixture_site) as url:
        yield url


def _rel(href: str) -> str:
    """A link as a site-relative path, whatever the URL style of the build."""
    return re.sub(r"^(?:https?://[^/]+)?(?:\.\./|\./|/)*", "", href)


def _pages_of(output: Path) -> dict[str, str]:
    """home, a report (the long headline when present), a province page with
    reports and the province index, as site-relative URLs."""
    home = BeautifulSoup((output / "index.html").read_text(encoding="utf-8"), "html.parser")
    if (output / LONG_HEADLINE / "index.html").exists():
        report = LONG_HEADLINE
    else:
        report = _rel(home.select_one(".cards a")["href"])
    tile = next(a for a in home.select(".tilemap a") if a.select_one("b"))
    province = _rel(tile["href"])
    return {"home": "", "report": report, "province": province, "provinces": "provinces/"}


@pytest.fixture(scope="module", params=SITES)
def site(request):
    """(name, base URL, output folder) of each site under test."""
    if request.param == "fixtures":
        output = request.getfixturevalue("fixture_site")
        url = request.getfixturevalue("fixture_server")
    else:
        output = request.getfixturevalue("dev_site")
        url = request.getfixturevalue("dev_server")
    return request.param, url, output


def _open(page, url: str, width: int = 1280):
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    page.evaluate("document.fonts.ready.then(() => true)")
    return response


def _only_local(page, base: str) -> None:
    outside = [u for u in page.requested_urls if not (u.startswith(base) or u.startswith("data:"))]
    assert not outside, f"requests left 127.0.0.1: {outside}"


def _overflow(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("width", WIDTHS)
def test_key_pages_screenshots_no_errors_no_outside_requests(site, page, artifacts, width):
    name, base, output = site
    for label, path in _pages_of(output).items():
        _open(page, f"{base}/{path}", width)
        assert page.evaluate("document.documentElement.lang") == "th"
        assert page.evaluate("document.fonts.check('16px Sarabun', 'ก')"), "Sarabun (Thai) not loaded"
        page.screenshot(path=str(artifacts / f"theme-{name}-{label}-{width}.png"), full_page=True)
        scroll, inner = _overflow(page)
        assert scroll <= inner, f"{label} ({path}) overflows at {width}px: {scroll} > {inner}"
    assert page.console_errors == []
    _only_local(page, base)


def _sample_pages(output: Path) -> list[str]:
    """Every kind of page: home, reports, facet pages with reports, the index
    pages, a year archive, about; the main ones in English as well."""
    def some(folder, pattern, n):
        found = sorted((output / folder).glob(pattern), key=lambda p: -p.stat().st_size)[:n]
        return [str(p.parent.relative_to(output)) + "/" for p in found]
    pages = ["", "provinces/", "agencies/", "programs/", "archive/", "about/"]
    pages += some("reports", "*/*/index.html", 4) + some("archive", "*/index.html", 1)
    for kind in ("province", "agency", "program"):
        pages += some(kind, "*/index.html", 1)
    return pages + ["en/" + p for p in pages[:7]]


def test_no_horizontal_overflow_at_360(site, page):
    name, base, output = site
    wide = []
    for path in _sample_pages(output):
        _open(page, f"{base}/{path}", 360)
        scroll, inner = _overflow(page)
        if scroll > inner:
            wide.append((path, scroll))
    assert wide == []
    assert page.console_errors == []
    _only_local(page, base)


def test_long_unspaced_thai_headline_wraps_inside_360(fixture_server, page, artifacts):
    _open(page, f"{fixture_server}/{LONG_HEADLINE}", 360)
    h1 = page.locator("article h1")
    text = h1.inner_text()
    assert len(text) > 150 and " " not in text.strip()[:100]
    box = h1.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    line = float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('article h1')).lineHeight)"))
    assert box["height"] > 4 * line, "the headline should wrap over several lines"
    assert _overflow(page)[0] <= 360
    # Lines break between words (the browser's Thai dictionary), not at any
    # character: with overflow-wrap alone kicking in, lines would be flush
    # to the edge; word breaks leave them ragged.
    widths = page.evaluate("""() => {
        const h = document.querySelector('article h1'), text = h.firstChild, r = document.createRange();
        const lines = new Map();
        for (let i = 0; i < text.length; i++) {
            r.setStart(text, i); r.setEnd(text, i + 1);
            const b = r.getBoundingClientRect();
            if (b.width === 0) continue;
            const top = Math.round(b.top);
            lines.set(top, Math.max(lines.get(top) || 0, b.right));
        }
        return [...lines.values()];
    }""")
    assert len(widths) >= 5 and len({round(w) for w in widths}) > 2
    h1.screenshot(path=str(artifacts / "theme-long-headline-360.png"))


def test_map_has_77_tiles_linking_each_province(site, page):
    name, base, output = site
    vocab = load_vocabulary()
    _open(page, f"{base}/")
    tiles = page.locator(".tilemap a")
    assert tiles.count() == 77
    seen = {}
    for i in range(77):
        a = tiles.nth(i)
        href = a.get_attribute("href")
        m = re.fullmatch(r"province/([a-z-]+)/", _rel(href))
        assert m, href
        slug = m.group(1)
        entry = vocab.provinces[slug]
        label = a.get_attribute("aria-label")
        assert entry.th in label and entry.en in label, label
        seen[slug] = int(re.search(r": ([\d,]+) ", label).group(1))
    assert set(seen) == set(vocab.provinces)
    # Counts agree with the province pages the facets plugin wrote.
    for slug, count in seen.items():
        target = output / "province" / slug / "index.html"
        assert target.exists(), f"map links to a missing page: province/{slug}/"
    if name == "fixtures":
        assert seen["chiang-rai"] == 2 and seen["phitsanulok"] == 1 and seen["bangkok"] == 1
        assert sum(seen.values()) == 9
    # Following a tile really opens that province's page.
    page.locator(".tilemap a[href$='province/chiang-rai/']").click()
    page.wait_for_load_state()
    assert page.url.endswith("/province/chiang-rai/")
    assert "เชียงราย" in page.locator("h1").inner_text()
    with urllib.request.urlopen(f"{base}/province/{next(iter(seen))}/") as r:
        assert r.status == 200


def test_keyboard_reaches_skip_link_then_main_content(site, page):
    name, base, output = site
    _open(page, f"{base}/{_pages_of(output)['report']}")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip", "#main"]
    assert page.locator("a.skip").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    inside = page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert inside, "Tab after the skip link should land inside the main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focused links need a visible focus ring"


def test_axe_no_serious_or_critical_violations(site, page):
    from axe_playwright_python.sync_playwright import Axe

    name, base, output = site
    axe = Axe()
    problems = {}
    key = _pages_of(output)
    targets = {**key, "report-en": "en/" + key["report"], "provinces-en": "en/provinces/"}
    for label, path in targets.items():
        _open(page, f"{base}/{path}")
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        if bad:
            problems[label] = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
    assert problems == {}
    # axe-core comes from the package on disk and is evaluated in the page:
    # nothing was fetched for it.
    _only_local(page, base)
    assert page.console_errors == []


def _weigh(browser, url: str, base: str) -> dict:
    """Bytes transferred (response headers + bodies) on a first visit to
    `url` with an empty cache, by kind of resource."""
    context = browser.new_context(viewport={"width": 360, "height": 800})
    pg = context.new_page()
    finished = []
    pg.on("requestfinished", lambda r: finished.append(r))
    pg.goto(url, wait_until="load")
    pg.evaluate("document.fonts.ready.then(() => true)")
    pg.wait_for_load_state("networkidle")
    kinds = {"total": 0}
    for r in finished:
        assert r.url.startswith(base), r.url
        sizes = r.sizes()
        n = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        kind = ("font" if r.url.endswith(".woff2") else "css" if r.url.endswith(".css")
                else "html" if r.resource_type == "document" else r.resource_type)
        kinds[kind] = kinds.get(kind, 0) + n
        kinds["total"] += n
    context.close()
    return kinds


def test_report_page_weight_under_150kb(fixture_site, browser, artifacts, request):
    """A first visit to a report page of the production build, fonts
    included, stays under 150 KB; home and a province page are measured too.
    With real content, a real report page (development build, not minified)
    is held to the same limit."""
    weights = {}
    with serve_dir(fixture_site) as base:
        for label, path in {"report": LONG_HEADLINE, "home": "",
                            "province": "province/chiang-rai/"}.items():
            weights[label] = _weigh(browser, f"{base}/{path}", base)
    if REAL_REPORTS:
        base = request.getfixturevalue("dev_server")
        output = request.getfixturevalue("dev_site")
        weights["content-report (dev build)"] = _weigh(browser, f"{base}/{_pages_of(output)['report']}", base)
    (artifacts / "theme-page-weight.json").write_text(json.dumps(weights, indent=2))
    for label, w in weights.items():
        if "report" in label:
            assert w["total"] <= WEIGHT_LIMIT, (label, w)
            assert w.get("font", 0) > 0, "the Thai font must be part of the measure"
            assert w.get("css", 0) > 0
    assert weights["home"]["total"] <= WEIGHT_LIMIT, weights


def test_browsing_works_without_javascript(site, browser):
    name, base, output = site
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    pg = context.new_page()
    pg.goto(f"{base}/")
    province = _pages_of(output)["province"]
    pg.locator(f".tilemap a[href$='{province}']").click()
    pg.wait_for_load_state()
    assert pg.url.endswith("/" + province)
    pg.locator("main a[href*='reports/']").first.click()
    pg.wait_for_load_state()
    assert "/reports/" in pg.url
    assert pg.locator("article h1").inner_text().strip()
    pg.locator("header a.lang").click()
    pg.wait_for_load_state()
    assert "/en/reports/" in pg.url
    assert pg.evaluate("document.documentElement.lang") == "en"
    assert pg.locator("nav.wrap").inner_text().split()[:1] == ["Provinces"]
    pg.locator("nav.wrap a", has_text="Archive").click()
    pg.wait_for_load_state()
    assert pg.url.endswith("/en/archive/")
    pg.locator("header a.lang").click()
    pg.wait_for_load_state()
    assert pg.url.endswith("/archive/") and "/en/" not in pg.url
    assert pg.evaluate("document.documentElement.lang") == "th"
    pg.locator("nav.wrap a", has_text="เกี่ยวกับ").click()
    pg.wait_for_load_state()
    assert pg.url.endswith("/about/")
    context.close()


def test_report_page_shows_dates_facets_and_related(fixture_server, page):
    _open(page, f"{fixture_server}/{LONG_HEADLINE}")
    when = page.locator(".when").inner_text()
    assert "20–21 มิถุนายน 2567" in when and "2024-06-20 – 2024-06-21" in when
    assert page.locator(".when time").get_attribute("datetime") == "2024-06-20"
    chips = {_rel(a.get_attribute("href")): a.inner_text()
             for a in page.locator(".chips a").all()}
    assert chips["province/chiang-rai/"] == "เชียงราย"
    assert chips["agency/nacc/"] == "ป.ป.ช."
    assert "program/ita/" in chips and "agency/local-government/" in chips
    facts = page.locator(".facts").inner_text()
    assert "หอประชุมศาลากลางจังหวัดเชียงราย" in facts and "240 คน" in facts
    assert page.locator(".source a").get_attribute("href").startswith("https://example.org/nacc/")
    crumbs = page.locator(".crumbs li").all_inner_texts()
    assert crumbs[:3] == ["หน้าแรก", "คลังตามปี", "2567 (2024)"]
    related = page.locator(".related .card a").all_inner_texts()
    assert related == ["เครือข่ายจังหวัดคุณธรรมเชียงรายมอบรางวัลชุมชนคุณธรรมต้นแบบ"]
    blocks = page.locator("script[type='application/ld+json']").all_inner_texts()
    for block in blocks:
        json.loads(block)
    _open(page, f"{fixture_server}/en/{LONG_HEADLINE}")
    assert "20–21 June 2024" in page.locator(".when").inner_text()
    assert page.locator(".chips a[href$='agency/nacc/']").inner_text() == "NACC"
    assert page.locator(".chips a[href$='agency/nacc/']").get_attribute("href").endswith("en/agency/nacc/")


def test_timeline_is_accessible_svg_with_table(fixture_server, page):
    _open(page, f"{fixture_server}/")
    svg = page.locator(".timeline svg")
    assert svg.get_attribute("role") == "img"
    assert page.locator("#tl-title").text_content() == "จำนวนรายงานต่อเดือน"
    assert "6 รายงาน" in page.locator("#tl-desc").text_content()
    # one bar per month with a report: 2019-02, 2023-01, 2023-12, 2024-04, -06, -11
    titles = page.locator(".timeline rect title").all_text_contents()
    assert len(titles) == 6 and "มิ.ย. 2567: 1 รายงาน" in titles
    rows = page.evaluate("[...document.querySelectorAll('.timeline tbody tr')]"
                         ".map(tr => [...tr.children].map(c => c.textContent.trim()))")
    assert rows == [["2562 (2019)", "1"], ["2566 (2023)", "2"], ["2567 (2024)", "3"]]
