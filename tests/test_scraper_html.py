"""Saved HTML pages: encodings real Thai sites use (UTF-8, TIS-620 /
windows-874 declared or not), and the page furniture around the article."""
import datetime as dt

import pytest

from scraper.load import load_record, record_from_bytes
from scraper.record import NotAReport
from scraper.text_input import decode
from support import FIXTURES, SEEDS

HERE = FIXTURES / "scraper"
MOJIBAKE = ("à¸", "à¹", "Ã", "\ufffd")


@pytest.mark.parametrize("name", ["seed004-windows-874.html", "seed004-tis-620-undeclared.html"])
def test_windows_874_page_is_read_as_thai(name):
    raw = (HERE / name).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")                      # the fixture really is single-byte Thai
    assert decode(raw).encoding == "cp874"
    r = load_record(str(HERE / name))
    for bad in MOJIBAKE:
        assert bad not in r.body and bad not in r.title
    assert r.title == "ประชุมเชิงปฏิบัติการ เครือข่าย อปท.โปร่งใส หัวใจคุณธรรม ปี 2558"
    assert r.date == dt.date(2015, 5, 25)
    assert r.published == dt.date(2015, 5, 26)
    assert r.participants == 250
    assert r.provinces == ("phuket",)
    # same sentences as the seed it was made from, character for character
    seed = next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    first = "การประชุมเชิงปฏิบัติการในครั้งนี้ ใช้เวลา 1 วัน ประกอบด้วย การบรรยายให้ความรู้และฝึกปฏิบัติ"
    assert first in seed and first in r.body
    for chrome in ("หน้าหลัก", "English", "แบ่งปัน", "Facebook", "สงวนลิขสิทธิ์", "076-000-000"):
        assert chrome not in r.body


def test_declared_charset_in_http_header_is_used():
    raw = "<html><body><h1>ทดสอบหัวข่าวการประชุมเครือข่าย</h1><p>เมื่อวันที่ 5 เมษายน 2567 จัดประชุมเครือข่ายต่อต้านการทุจริตในจังหวัดน่าน</p></body></html>".encode("cp874")
    assert decode(raw, declared="TIS-620").encoding == "cp874"
    r = record_from_bytes(raw, "page.html", declared="tis-620")
    assert r.date == dt.date(2024, 4, 5) and "ทดสอบหัวข่าว" in r.title


def test_utf8_news_page_keeps_the_article_and_drops_its_furniture():
    r = load_record(str(HERE / "utf8-news-page.html"))
    assert r.title == "ป.ป.ช.ลำปาง จัดอบรมชมรม STRONG จิตพอเพียงต้านทุจริต"
    assert r.date == dt.date(2023, 3, 15)
    assert r.published == dt.date(2023, 3, 16)
    assert r.participants == 120
    assert r.provinces == ("lampang",)
    assert r.venue.startswith("ห้องประชุมเขลางค์นคร")
    assert r.images == ("https://news.example.org/uploads/2023/03/strong-lampang-1.jpg",)   # not the logo
    paragraphs = r.body.strip().split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("เมื่อวันที่ 15 มีนาคม 2566 เวลา 09.00 น. ณ ห้องประชุมเขลางค์นคร")
    assert paragraphs[2].endswith("เพื่อนำไปขับเคลื่อนในปีงบประมาณ 2566")
    for chrome in ("หน้าแรก", "ติดต่อเรา", "25 C", "Lampang", "views", "แชร์", "Line", "ข่าวที่เกี่ยวข้อง",
                   "เชียงราย", "Leave a Reply", "Akismet", "ข่าวยอดนิยม", "วันเด็ก", "สงวนลิขสิทธิ์", "window.dataLayer",
                   "font-family", "ภาพกิจกรรม", "»"):
        assert chrome not in r.body, chrome


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n\n  ", "empty"),
    (bytes(range(256)) * 8, "binary"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "binary"),
    (b"Just an English page with a date: 5 April 2024.", "no Thai"),
    ("<html><body><h1>ประชุมเครือข่ายต่อต้านการทุจริต</h1><p>ประชุมเครือข่ายต่อต้านการทุจริตในจังหวัดน่าน "
     "ครั้งที่หนึ่งของเครือข่าย มีผู้แทนทุกอำเภอร่วมหารือ</p></body></html>".encode(),
     "no date"),
])
def test_inputs_that_are_not_reports_get_a_reason(data, reason):
    with pytest.raises(NotAReport, match=reason):
        record_from_bytes(data, "input.bin")


def test_headline_inside_the_article_wins_over_a_site_name_h1():
    html = """<html><head><meta charset="utf-8"><title>สำนักงานวัฒนธรรมจังหวัดน่าน</title></head><body>
    <h1 class="site-title">สำนักงานวัฒนธรรมจังหวัดน่าน</h1>
    <div class="menu"><a>หน้าแรก</a> <a>ข่าวกิจกรรม</a></div>
    <div class="content"><h2>วัฒนธรรมจังหวัดน่านจัดเวทีขับเคลื่อนชุมชนคุณธรรม</h2>
    <p>วันที่ 20 มกราคม 2567 สำนักงานวัฒนธรรมจังหวัดน่าน จัดเวทีขับเคลื่อนชุมชนคุณธรรมน้อมนำหลักปรัชญาของเศรษฐกิจพอเพียง
    ณ หอประชุมอำเภอเมืองน่าน จังหวัดน่าน มีผู้นำชุมชนเข้าร่วมประมาณ 80 คน</p>
    <p>ทั้งนี้ เพื่อให้ชุมชนคุณธรรมทุกแห่งในจังหวัดน่านมีแผนการดำเนินงานต่อเนื่อง</p></div></body></html>"""
    r = record_from_bytes(html.encode(), "page.html")
    assert r.title == "วัฒนธรรมจังหวัดน่านจัดเวทีขับเคลื่อนชุมชนคุณธรรม"
    assert r.date == dt.date(2024, 1, 20) and r.participants == 80
    assert "หน้าแรก" not in r.body and r.title not in r.body


def test_wrapper_named_after_its_sidebar_keeps_the_article():
    html = """<html><head><meta charset="utf-8"></head><body><div id="page" class="layout has-sidebar">
    <div class="widget">ข่าวยอดนิยม ผู้ว่าฯ เปิดงานวันเด็ก</div>
    <article><h1>ป.ป.ท. เขต 3 จัดประชุมเครือข่ายเฝ้าระวังการทุจริต</h1>
    <p>วันที่ 24 พฤษภาคม 2565 สำนักงาน ป.ป.ท. เขต 3 จัดประชุมเชิงปฏิบัติการเครือข่ายภาคประชาสังคมในการป้องกันและเฝ้าระวังการทุจริต
    ณ โรงแรมทองธารินทร์ จังหวัดกาญจนบุรี มีผู้เข้าร่วมประมาณ 60 คน</p></article></div></body></html>"""
    r = record_from_bytes(html.encode(), "page.html")
    assert r.title == "ป.ป.ท. เขต 3 จัดประชุมเครือข่ายเฝ้าระวังการทุจริต"
    assert r.date == dt.date(2022, 5, 24) and r.participants == 60
    assert "ยอดนิยม" not in r.body


def test_nesting_depth_counts_wrappers_not_flat_or_void_elements():
    from scraper.html_input import nesting_depth
    assert nesting_depth("<div><section><p>ก<p>ข<br><img src=x></section></div>") == 2
    assert nesting_depth("<div>" * 30 + "x" + "</div>" * 30) == 30
    # end tags close what was left open inside them
    assert nesting_depth("<div><span><b>ก</div>" * 100) == 3
    assert nesting_depth("<!-- <div><div> --><script>'<div>'</script><div></div>") == 1


def test_page_nested_past_the_limit_is_refused_with_a_reason():
    from scraper.html_input import MAX_HTML_DEPTH, html_to_text
    from scraper.record import NotAReport
    depth = MAX_HTML_DEPTH + 10
    page = "<html><body>" + "<div>" * depth + "<p>ชาวบ้านร่วมประชุม</p>" + "</div>" * depth + "</body></html>"
    with pytest.raises(NotAReport, match="nested deeper"):
        html_to_text(page)
    shallow = "<html><body>" + "<div>" * 100 + "<p>ชาวบ้านร่วมประชุม</p>" + "</div>" * 100 + "</body></html>"
    assert "ชาวบ้านร่วมประชุม" in html_to_text(shallow)[0]


@pytest.mark.parametrize("title, parts", [
    ("ลำปางเปิดโครงการ STRONG - จิตพอเพียงต้านทุจริต", ["ลำปางเปิดโครงการ STRONG - จิตพอเพียงต้านทุจริต"]),
    ("ประชุมเครือข่ายต้านทุจริต - ลำปางนิวส์ออนไลน์", ["ประชุมเครือข่ายต้านทุจริต", "ลำปางนิวส์ออนไลน์"]),
    ("ประชุมเครือข่ายต้านทุจริต - Lampang Times", ["ประชุมเครือข่ายต้านทุจริต", "Lampang Times"]),
    ("ประชุมเครือข่าย - ชุมชนคุณธรรม | เว็บข่าวลำปาง", ["ประชุมเครือข่าย - ชุมชนคุณธรรม", "เว็บข่าวลำปาง"]),
])
def test_page_title_splits_at_the_site_name_only(title, parts):
    from scraper.html_input import _title_parts
    assert _title_parts(title) == parts


def test_unclosed_comments_and_scripts_do_not_slow_the_depth_check():
    from scraper.html_input import nesting_depth
    assert nesting_depth("<div><div>" + "<script>" * 50_000) == 2
    assert nesting_depth("<div>" + "<!--" * 50_000 + "<div>") == 1
