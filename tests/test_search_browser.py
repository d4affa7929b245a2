"""The search page in headless Chromium on a site built from
tests/fixtures/search (six reports with known words, places and dates).

Each test also checks that no request left 127.0.0.1 and that the console
stayed free of errors."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from support import FIXTURES, build_site, serve_dir
from thaireports.reportfile import parse_report, split_list

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CONTENT = FIXTURES / "search"
TITLES = {
    "a1": "อบรมการป้องกันการทุจริตตำบลสีขาว อำเภอเมืองพิษณุโลก",
    "b2": "เวทีจังหวัดคุณธรรมเชียงราย ปี 2566",
    "c3": "สานพลังพัฒนาธรรมนูญตำบลภาคเหนือตอนล่าง",
    "d4": "ชุมชนสุจริตสงขลาร่วมใจ",
    "e5": "สภาองค์กรชุมชนตำบลแม่ยาว Community Organizations Council",
    "f6": "ชมรม STRONG จิตพอเพียงต้านทุจริต กรุงเทพมหานคร",
}


def fixture_facets() -> dict[str, dict[str, set[str]]]:
    """kind → value → report ids, read from the fixture files' metadata."""
    out: dict[str, dict[str, set[str]]] = {"province": {}, "agency": {}, "program": {}, "year": {}}
    for path in CONTENT.glob("reports/*.md"):
        rep = parse_report(path.read_text(encoding="utf-8"))
        rid = path.stem.rsplit("-", 1)[-1]
        for kind, field in (("province", "provinces"), ("agency", "agencies"), ("program", "programs")):
            for key in split_list(rep.get(field)):
                out[kind].setdefault(key, set()).add(rid)
        out["year"].setdefault(rep.get("date")[:4], set()).add(rid)
    return out


FACETS = fixture_facets()


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    out = tmp_path_factory.mktemp("search-site") / "output"
    build_site(CONTENT, out)
    with serve_dir(out) as url:
        yield url


@pytest.fixture
def search(page, site_url):
    """Opens /search/ with an optional query string; returns the page once
    results (or the empty message) are shown."""
    def open_(qs: str = ""):
        page.goto(f"{site_url}/search/{qs}")
        wait(page)
        return page
    yield open_
    hosts = {urlsplit(u).hostname for u in page.requested_urls if not u.startswith("data:")}
    assert hosts <= {"127.0.0.1"}, hosts
    assert page.console_errors == []


def wait(page):
    page.wait_for_function(
        "() => { const a = document.querySelector('#search');"
        " return a.dataset.count !== undefined && !a.hasAttribute('aria-busy')"
        " && document.querySelectorAll('.search-result').length == Math.min(20, +a.dataset.count); }")


def shown(page) -> set[str]:
    titles = page.locator(".search-result h2").all_inner_texts()
    by_title = {t: rid for rid, t in TITLES.items()}
    return {by_title[t] for t in titles}


def state(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def test_typing_a_word_inside_longer_runs_shows_its_reports(search):
    page = search()
    assert shown(page) == set(TITLES)              # browsing: everything, newest first
    assert page.locator(".search-result h2").first.inner_text() == TITLES["f6"]
    page.fill("#search-q", "")
    page.type("#search-q", "ทุจริต", delay=20)
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'ทุจริต'")
    wait(page)
    # In การป้องกันการทุจริต, ต้านทุจริต, and the agencies' full names.
    assert shown(page) == {"a1", "d4", "f6"}
    assert page.locator(".search-status").inner_text() == "พบ 3 รายงาน"
    marks = page.locator(".search-result mark").all_inner_texts()
    assert marks and set(marks) == {"ทุจริต"}


@pytest.mark.parametrize("query, expected", [
    ("ธรรมนูญตำบล", {"c3"}),                  # two words typed as one run
    ("จังหวัดคุณธรรม", {"b2"}),
    ("เครือข่าย", {"b2"}),
    ("ต่อต้าน", {"a1", "d4"}),
    ("ป.ป.ช.", {"a1", "f6"}),
    ("ตำบลสีขาว", {"a1"}),
    ("Chiang Rai", {"b2", "e5"}),               # English facet names
    ("community organizations", {"e5"}),
    ("สภาองค์กรชุมชน CODI", {"e5"}),             # mixed Thai and English, narrowed
    ("ทุจริต ชุมชน", {"d4"}),
    ("ฉ้อโกง", set()),
])
def test_queries_find_exactly_the_reports_that_contain_them(search, query, expected):
    page = search("?q=" + query)
    assert shown(page) == expected
    if not expected:
        assert "ไม่พบรายงาน" in page.locator(".search-status").inner_text()


@pytest.mark.parametrize("query, expected", [
    ("๒๕๖๗", {"a1"}), ("2567", {"a1"}),          # the report writes ๒๕๖๗
    ("2566", {"b2"}), ("๒๕๖๖", {"b2"}),          # the report writes 2566
    ("๒๕๖๔", {"e5"}), ("2564", {"e5"}),
])
def test_thai_and_arabic_digits_match_each_other(search, query, expected):
    assert shown(search("?q=" + query)) == expected


def option_counts(page, kind: str) -> dict[str, int]:
    opts = page.locator(f"select[data-kind={kind}] option[data-count]")
    return {opts.nth(i).get_attribute("value"): int(opts.nth(i).get_attribute("data-count"))
            for i in range(opts.count())}


@pytest.mark.parametrize("kind", ["province", "agency", "program", "year"])
def test_each_filter_narrows_and_counts_are_right(search, kind):
    page = search()
    counts = option_counts(page, kind)
    assert counts == {v: len(ids) for v, ids in FACETS[kind].items()}
    for value, ids in FACETS[kind].items():
        page.select_option(f"select[data-kind={kind}]", value)
        wait(page)
        assert shown(page) == ids, value
        assert state(page) == {kind: value}


def test_filters_combine_with_each_other_and_with_the_query(search):
    page = search("?q=ทุจริต")
    assert option_counts(page, "province") == {"phitsanulok": 1, "songkhla": 1, "bangkok": 1}
    assert option_counts(page, "year") == {"2024": 3}
    page.select_option("select[data-kind=agency]", "nacc")
    wait(page)
    assert shown(page) == {"a1", "f6"}
    assert option_counts(page, "province") == {"phitsanulok": 1, "bangkok": 1}
    page.select_option("select[data-kind=province]", "phitsanulok")
    wait(page)
    assert shown(page) == {"a1"}
    assert state(page) == {"q": "ทุจริต", "agency": "nacc", "province": "phitsanulok"}

    page = search("?province=chiang-rai&year=2021")
    assert shown(page) == {"e5"}
    assert page.locator("select[data-kind=province]").input_value() == "chiang-rai"


def back_to_first_search(page):
    """Back from the second search to the first: its word and province filter."""
    page.go_back()
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'คุณธรรม'")
    wait(page)
    assert page.input_value("#search-q") == "คุณธรรม"
    assert page.locator("select[data-kind=province]").input_value() == "chiang-rai"
    assert shown(page) == {"b2"}


def test_a_pause_while_typing_keeps_the_previous_search_in_history(search):
    page = search("?q=คุณธรรม")
    page.select_option("select[data-kind=province]", "chiang-rai")
    wait(page)
    page.fill("#search-q", "ชุมชน")
    # The pause after typing updates the address before Enter is pressed.
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'ชุมชน'")
    wait(page)
    page.press("#search-q", "Enter")
    wait(page)
    back_to_first_search(page)


def test_url_state_survives_reload_and_back_forward(search):
    page = search("?q=คุณธรรม")
    assert shown(page) == {"b2"}
    page.select_option("select[data-kind=province]", "chiang-rai")
    wait(page)
    page.fill("#search-q", "ชุมชน")
    page.press("#search-q", "Enter")
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'ชุมชน'")
    wait(page)
    assert shown(page) == {"b2", "e5"}
    assert state(page) == {"q": "ชุมชน", "province": "chiang-rai"}

    page.reload()
    wait(page)
    assert page.input_value("#search-q") == "ชุมชน"
    assert page.locator("select[data-kind=province]").input_value() == "chiang-rai"
    assert shown(page) == {"b2", "e5"}

    back_to_first_search(page)
    page.go_back()
    page.wait_for_function("() => !new URL(location.href).searchParams.has('province')")
    wait(page)
    assert page.locator("select[data-kind=province]").input_value() == ""
    page.go_forward()
    page.wait_for_function("() => new URL(location.href).searchParams.get('province') === 'chiang-rai'")
    wait(page)
    assert page.locator("select[data-kind=province]").input_value() == "chiang-rai"


def test_results_show_title_link_date_provinces_and_excerpt(search, site_url):
    page = search("?q=ธรรมนูญตำบล")
    item = page.locator(".search-result").first
    link = item.locator("h2 a")
    assert link.get_attribute("href") == f"{site_url}/reports/2022/2022-01-20-phetchabun-c3/"
    assert item.locator(".search-date").inner_text() == "20 มกราคม 2565"
    assert item.locator(".search-provinces").inner_text() == "เพชรบูรณ์, พิษณุโลก"
    assert "ธรรมนูญตำบล" in item.locator(".search-excerpt mark").all_inner_texts()
    link.click()
    page.wait_for_url(re.compile(r".*/reports/2022/2022-01-20-phetchabun-c3/$"))


def test_report_text_is_shown_as_text_never_as_markup(search):
    dialogs = []
    page = search("?q=onerror")
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    assert shown(page) == {"f6"}
    assert "<img src=x onerror=alert(1)>" in page.locator(".search-excerpt").first.inner_text()
    assert page.locator(".search-results img").count() == 0
    assert dialogs == []


def test_header_search_box_leads_to_results(page, site_url):
    page.goto(f"{site_url}/")
    page.fill("header form[role=search] input[name=q]", "ตำบลสีขาว")
    page.press("header form[role=search] input[name=q]", "Enter")
    page.wait_for_url(re.compile(r".*/search/\?q="))
    wait(page)
    assert shown(page) == {"a1"}
    assert page.console_errors == []


def test_english_page_links_to_english_report_pages(page, site_url):
    page.goto(f"{site_url}/en/search/?q=CODI")
    wait(page)
    assert page.locator(".search-status").inner_text() == "1 report found"
    href = page.locator(".search-result h2 a").first.get_attribute("href")
    assert href.endswith("/en/reports/2021/2021-03-03-chiang-rai-e5/")
    assert page.console_errors == []


def test_without_javascript_the_page_offers_browsing(browser, site_url):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(f"{site_url}/search/?q=ทุจริต")
    assert page.locator("#search").is_hidden()
    note = page.locator("#search-nojs")
    assert "JavaScript" in note.inner_text()
    links = note.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert any("archive/" in h for h in hrefs)
    assert any("/province/" in h or "/provinces/" in h for h in hrefs), hrefs
    ctx.close()


def test_real_archive_queries_find_every_report_that_contains_them(page, dev_server, dev_site):
    """On the archive's own content/: for words from its reports, the page
    shows exactly the reports whose text (title, body, facet names) holds them."""
    import json

    from thaireports.thaitext import search_form

    index = dev_site / "search" / "index"
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in (index / "d").glob("*.json")]
    if not docs:
        pytest.skip("content/ has no reports yet")
    texts = {d["u"]: search_form("\n".join([d["t"], d["x"], *d["n"]])) for d in docs}
    page.goto(f"{dev_server}/search/")
    for query in ["ทุจริต", "คุณธรรม", "ธรรมนูญตำบล", "เครือข่าย", "ป.ป.ช.", "๒๕๖๗", "2566", "NACC"]:
        want = {u for u, t in texts.items() if all(term in t for term in search_form(query).split(" "))}
        page.fill("#search-q", query)
        page.press("#search-q", "Enter")
        page.wait_for_function("q => new URL(location.href).searchParams.get('q') === q", arg=query)
        wait(page)
        hrefs = page.locator(".search-result h2 a").evaluate_all("els => els.map(a => a.href)")
        got = {h.split(dev_server + "/", 1)[1] for h in hrefs}
        assert got == want, query
    hosts = {urlsplit(u).hostname for u in page.requested_urls}
    assert hosts <= {"127.0.0.1"}, hosts
    assert page.console_errors == []
