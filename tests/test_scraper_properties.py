"""Property tests: extract never crashes on arbitrary text; it returns a valid
Record or raises the typed NotAReport."""
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.extract import extract
from scraper.load import record_from_bytes
from scraper.record import NotAReport, Record
from thaireports.thaidates import find_dates, parse_date_value

THAI_WORDS = ["ประชุม", "เครือข่าย", "วันที่", "เมื่อ", "วันนี้", "จังหวัด", "เชียงใหม่", "ป.ป.ช.", "ณ", "ห้อง",
              "โรงแรม", "จำนวน", "กว่า", "คน", "ผู้เข้าร่วม", "ธรรมนูญตำบล", "ม.ค.", "เมษายน", "2567", "66", "๒๕",
              "-", "–", "(", ")", "…", "...", "Last updated:", "date", "image", "แบ่งปัน", "Title:", "\n", "\n\n",
              " ", "  ", "ที่", "ละ", "นี้", "ของทุกปี", "ปีงบประมาณ", "1,000", "9", "31", "0", "12:30"]

thaiish = st.lists(st.sampled_from(THAI_WORDS) | st.text(max_size=8), max_size=80).map("".join)
anything = st.text(max_size=400)


def check(result_or_exc):
    rec = result_or_exc
    assert isinstance(rec, Record)
    assert rec.title.strip() and "\n" not in rec.title
    for d in (rec.date, rec.end_date, rec.published):
        assert d is None or isinstance(d, dt.date)
    if rec.end_date:
        assert rec.date and rec.end_date > rec.date
    assert rec.participants is None or rec.participants > 0
    assert isinstance(rec.body, str) and rec.body.strip()
    assert all(isinstance(t, str) for t in rec.provinces + rec.agencies + rec.programs)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(thaiish, anything))
def test_extract_returns_a_valid_record_or_a_typed_error(text):
    for require_date in (True, False):
        try:
            rec = extract(text, "prop", require_date=require_date)
        except NotAReport as exc:
            assert exc.reason and "\n" not in exc.reason
            continue
        check(rec)
        if require_date:
            assert rec.date or rec.published


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_never_crash_the_reader(data):
    try:
        check(record_from_bytes(data, "prop.bin"))
    except NotAReport as exc:
        assert exc.reason


@settings(max_examples=150, deadline=None)
@given(thaiish)
def test_dates_found_are_real_dates_inside_the_text(text):
    for m in find_dates(text):
        assert 0 <= m.pos < m.stop <= len(text)
        assert text[m.pos:m.stop] == m.text
        if m.start and m.end:
            assert m.end > m.start
    parse_date_value(text)


html_parts = st.sampled_from(["<p>", "</p>", "<div class='share'>", "</div>", "<h1>", "</h1>", "<br>", "<li>",
                              "<img src='a.jpg' width='900'>", "<script>x</script>", "<meta charset='tis-620'>",
                              "<nav>หน้าแรก</nav>", "&nbsp;", "&amp;", "<!-- c -->", "<title>", "</title>"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(html_parts | st.sampled_from(THAI_WORDS), max_size=60).map("".join))
def test_arbitrary_html_never_crashes(markup):
    page = "<html><body>" + markup + "</body></html>"
    try:
        check(record_from_bytes(page.encode("utf-8"), "prop.html"))
    except NotAReport as exc:
        assert exc.reason
