"""Which date of a page is the event's: event vs publication vs widget vs
announcement, read from the words around each date."""
import datetime as dt

import pytest

from scraper.extract import extract

D = dt.date
BODY = ("นายสมชาย ใจดี ผู้ว่าราชการจังหวัดลำปาง เป็นประธานเปิดการประชุมเครือข่ายเฝ้าระวังการทุจริต "
        "ร่วมกับสำนักงาน ป.ป.ช. ประจำจังหวัดลำปาง เพื่อขยายเครือข่ายในทุกอำเภอ")


def record(text):
    return extract(text, "test", require_date=False)


@pytest.mark.parametrize("text, date, end, published", [
    # publication stamp above, event in the text
    ("Saturday, April 6, 2024\n\nประชุมเครือข่ายเฝ้าระวังการทุจริตจังหวัดลำปาง\n\n"
     f"เมื่อวันศุกร์ที่ 5 เมษายน 2567 {BODY}", D(2024, 4, 5), None, D(2024, 4, 6)),
    ("ประชุมเครือข่ายเฝ้าระวังการทุจริตจังหวัดลำปาง\n\nLast updated: 2022-04-07  |  2662 จำนวนผู้เข้าชม  |\n\n"
     f"เมื่อวันที่ 4 เมษายน 2565 {BODY}", D(2022, 4, 4), None, D(2022, 4, 7)),
    # posted stamp with a clock time, then the event
    ("ร่วมกิจกรรมวันต่อต้านคอร์รัปชันสากล\n\nโพสต์10 ธ.ค. 2560 16:36โดยนางสาวตัวอย่าง ทดสอบ\n"
     f"วันที่ 9 ธันวาคม 2560 เวลา 07.00 น. {BODY}", D(2017, 12, 9), None, D(2017, 12, 10)),
    ("รองผู้ว่าฯ เป็นประธานประกาศเจตนารมณ์ต่อต้านการทุจริต\n10 ธ.ค. 2564, 09:11\n"
     f"วันที่ 9 ธ.ค. 64 {BODY}", D(2021, 12, 9), None, D(2021, 12, 10)),
    # `date YYYY-MM-DD` glued before the headline; the event date has no year
    (f" date 2025-08-14 ศูนย์คุณธรรมแถลงข่าวเตรียมจัดสมัชชาคุณธรรมแห่งชาติ\nวันนี้ (14 ส.ค.) {BODY}",
     D(2025, 8, 14), None, D(2025, 8, 14)),
    # ranges
    (f"เวทีเครือข่ายธรรมาภิบาลภาคกลาง\n\nวันที่ 9 - 10 กุมภาพันธ์ 2562 {BODY}", D(2019, 2, 9), D(2019, 2, 10), None),
    (f"สัมมนาเครือข่าย STRONG ภาค 6\nวันที่ 30 มิถุนายน – 1 กรกฎาคม 2568 ณ โรงแรมฟรายเดย์ {BODY}",
     D(2025, 6, 30), D(2025, 7, 1), None),
    # a headline announcing a future event does not give the date
    (f"จ.ราชบุรี เตรียมจัดงานมหกรรมเมืองน่าอยู่ 28-29 มิถุนายนนี้\n\nวันจันทร์ที่ 29 พฤษภาคม 2560 {BODY}",
     D(2017, 5, 29), None, None),
    # fiscal years and plan periods are not event dates
    (f"ประชุมขับเคลื่อนจังหวัดคุณธรรม ปีงบประมาณ 2566\n\nวันนี้ (19 ม.ค.66) เวลา 09.30 น. {BODY} "
     "ตามแผนปฏิบัติการ ระยะที่ 2 พ.ศ.2566-2570", D(2023, 1, 19), None, None),
    (f"อบรมเครือข่าย PACC Connect ประจำปีงบประมาณ 2565\n\n{BODY} ประจำปีงบประมาณ พ.ศ. 2565", None, None, None),
    # a blog date header above the post, the event further down
    (f"วันจันทร์ที่ 12 กันยายน พ.ศ. 2559\n\nนครปฐมลงนามสัตยาบันสร้างจังหวัดใสสะอาด\n\nเมื่อ 10 กันยายน 2559 {BODY}",
     D(2016, 9, 10), None, D(2016, 9, 12)),
    # "today" in parentheses wins over a byline date
    ("จัดเวทีพลังชุมชน สร้างธรรมนูญสุขภาพตำบล\n\nสำนักข่าวแห่งชาติ : กรมประชาสัมพันธ์ วันที่ 11 มิถุนายน พ.ศ. 2557\n"
     f"วันนี้ (10 มิ.ย. 57) เวลา 10.00 น. {BODY}", D(2014, 6, 10), None, D(2014, 6, 11)),
    # a date later than the page's own date is an announcement, not the event
    ("ประชุมเตรียมงานวันต่อต้านคอร์รัปชัน\n\n3 พฤศจิกายน 2017\n\n"
     f"วันนี้ (3 พ.ย. 60) {BODY} งานจะจัดขึ้นในวันที่ 9 ธันวาคม 2560", D(2017, 11, 3), None, D(2017, 11, 3)),
    # a resolution or a founding cited as background is not the event
    ("ประชุมคณะทำงานขับเคลื่อนจังหวัดคุณธรรม\n\nตามที่คณะรัฐมนตรีมีมติเมื่อวันที่ 5 มีนาคม 2562 ให้ทุกจังหวัดขับเคลื่อน"
     f"จังหวัดคุณธรรม วันนี้ (12 มี.ค. 67) {BODY}", D(2024, 3, 12), None, None),
    ("ชมรม STRONG ลำปาง ประชุมสมาชิก\n\nชมรมซึ่งก่อตั้งเมื่อวันที่ 1 มกราคม 2561 จัดประชุมสมาชิกประจำปี "
     f"เมื่อวันที่ 20 มกราคม 2567 {BODY}", D(2024, 1, 20), None, None),
    ("ประชุมเครือข่าย\n\nแก้ไขล่าสุด 21 ม.ค. 2567\n\n"
     f"เมื่อวันที่ 20 มกราคม 2567 {BODY}", D(2024, 1, 20), None, D(2024, 1, 21)),
    # Gregorian date in a Thai sentence
    (f"ประชุมเครือข่าย\n\n4 กันยายน 2560 - ที่ห้องประชุมทัพพระยา {BODY}", D(2017, 9, 4), None, None),
])
def test_event_and_publication_dates(text, date, end, published):
    r = record(text)
    assert (r.date, r.end_date, r.published) == (date, end, published)


def test_normalize_refuses_a_text_without_any_date():
    from scraper.record import NotAReport
    with pytest.raises(NotAReport, match="no date"):
        extract(f"ประชุมเครือข่ายเฝ้าระวังการทุจริต\n\n{BODY}", "x")


HEAD = "ประชุมเครือข่ายเฝ้าระวังการทุจริตจังหวัดลำปาง"


@pytest.mark.parametrize("text, date", [
    # the only date, on its own line under the headline, with the time of the meeting
    (f"{HEAD}\n\nวันพุธที่ 12 มิถุนายน 2567 เวลา 13.30 น.\n{BODY}", D(2024, 6, 12)),
    # the only date, worded, standing alone
    (f"{HEAD}\n\n8 มีนาคม 2566\n{BODY}", D(2023, 3, 8)),
    # a numeric CMS stamp alone says nothing about the event
    (f"{HEAD}\n\n27/02/2567\n{BODY}", None),
    # a posted stamp is never the event date
    (f"{HEAD}\n\nโพสต์เมื่อ 8 มีนาคม 2566\n{BODY}", None),
])
def test_date_line_under_the_headline_as_event_date(text, date):
    assert record(text).date == date


@pytest.mark.parametrize("sentence", [
    "สำนักงาน ป.ป.ช. ประจำจังหวัดลำปาง กำหนดจัดกิจกรรมเดินรณรงค์ต่อต้านการทุจริต (ภาคประชาชน) ในวันที่ 7 ธันวาคม 2566",
    "เทศบาลเตรียมจัดงานมหกรรมชุมชนคุณธรรมของจังหวัด ประจำปีงบประมาณ 2566 วันที่ 20 กันยายน 2566 ณ ลานหน้าอำเภอ",
])
def test_announced_event_is_not_the_event_date(sentence):
    rec = record(f"{HEAD}\n\n{sentence} {BODY}")
    assert rec.date is None


def test_announcement_after_a_held_meeting_keeps_the_meeting_date():
    text = (f"{HEAD}\n\nเมื่อวันที่ 2 ธันวาคม 2566 {BODY} ที่ประชุมกำหนดจัดกิจกรรมเดินรณรงค์ "
            "ในวันที่ 9 ธันวาคม 2566")
    assert record(text).date == D(2023, 12, 2)


def test_labelled_event_date_field_wins_over_a_history_sentence():
    text = (f"{HEAD}\n\nวัน เดือน ปี ที่จัดกิจกรรม: พุธ, ธันวาคม 9, 2015\n\n"
            "เครือข่ายนี้ก่อเกิดจากการประชุมเมื่อวันที่ 31 ตุลาคม 2546 และยังคงทำงานต่อเนื่อง " + BODY)
    assert record(text).date == D(2015, 12, 9)


def test_date_years_before_the_publication_is_history_when_a_recent_one_exists():
    text = (f"{HEAD}\n\nโพสต์เมื่อ 10 ธันวาคม 2558\n\n"
            "ย้อนไปเมื่อ 31 ตุลาคม 2546 สหประชาชาติรับรองอนุสัญญาต่อต้านการทุจริต "
            f"ปีนี้จังหวัดจัดเดินรณรงค์ วันที่ 9 ธันวาคม {BODY}")
    assert record(text).date == D(2015, 12, 9)
