"""Finding and parsing the date forms Thai reports use."""
import datetime as dt

import pytest

from thaireports.thaidates import find_dates, format_be, format_be_range, gregorian_year, parse_date_value

D = dt.date


@pytest.mark.parametrize("text, start, end", [
    ("เมื่อวันศุกร์ที่ 5 เมษายน 2567 ณ โรงแรม", D(2024, 4, 5), None),           # full month, 4-digit BE, weekday
    ("วันนี้ (19 ม.ค.66) เวลา 09.30 น.", D(2023, 1, 19), None),                # abbreviated month, 2-digit BE, parentheses
    ("วันที่ ๒๕ ม.ค.๖๑ นายทนงศักดิ์", D(2018, 1, 25), None),                    # Thai digits
    ("วันที่ ๒๑ เมษายน ๒๕๖๑", D(2018, 4, 21), None),
    ("วันที่ 9 - 10 กุมภาพันธ์ 2562 คณะทำงาน", D(2019, 2, 9), D(2019, 2, 10)),  # range in one month
    ("เมื่อวันที่ 5-6 ก.ย. 63 นาย", D(2020, 9, 5), D(2020, 9, 6)),
    ("วันที่ 21–22 สิงหาคม 2568 ศูนย์คุณธรรม", D(2025, 8, 21), D(2025, 8, 22)),
    ("วันที่ 30 มิถุนายน – 1 กรกฎาคม 2568 ณ", D(2025, 6, 30), D(2025, 7, 1)),  # range across months
    ("31 ธันวาคม 2566 – 2 มกราคม 2567", D(2023, 12, 31), D(2024, 1, 2)),       # across years
    ("วันนี้ (16มิถุนายน2565) จังหวัดพังงา", D(2022, 6, 16), None),             # no spaces
    ("วันที่ 9 ธ.ค.2562 ณ สนาม", D(2019, 12, 9), None),
    ("วันจันทร์ที่ 12 กันยายน พ.ศ. 2559", D(2016, 9, 12), None),               # explicit era
    ("3 พฤศจิกายน 2017", D(2017, 11, 3), None),                                 # Gregorian year
    ("Saturday, April 6, 2024", D(2024, 4, 6), None),                           # English
    ("Last updated: 2022-04-07  |", D(2022, 4, 7), None),                       # ISO
    ("ระหว่างวันที่ 27-28 พ.ย.68 ณ อาคาร", D(2025, 11, 27), D(2025, 11, 28)),
    ("วันที่ 5 เดือนเมษายน พ.ศ. 2567", D(2024, 4, 5), None),                   # formal `เดือน`
    ("15/03/2566", D(2023, 3, 15), None),                                       # numeric d/m/BE
])
def test_each_date_form(text, start, end):
    found = [m for m in find_dates(text) if m.start]
    assert found, text
    assert found[0].start == start
    assert found[0].end == end
    assert text[found[0].pos:found[0].stop] == found[0].text


def test_date_without_year_is_kept_with_day_and_month_and_placed_later():
    (m,) = find_dates("วันนี้ (14 ส.ค.) ณ ห้องแกลเลอเรีย")
    assert m.start is None and not m.has_year and (m.day, m.month) == (14, 8)
    assert m.with_year(2025).start == D(2025, 8, 14)


def test_non_dates_are_not_dates():
    assert find_dates("จำนวน 10 คน มอบทุน 1 ทุน ปี 2558 เวลา 09.00 น.") == []
    assert find_dates("วันที่ 31 กุมภาพันธ์ 2567") == []              # impossible day
    assert find_dates("ตามหลักสูตร มคอ 2562") == []                    # `มค` inside a word is no month


def test_gregorian_year_conversions():
    assert gregorian_year("2567") == 2024
    assert gregorian_year("66") == 2023
    assert gregorian_year("2024") == 2024
    assert gregorian_year("2559", "พ.ศ.") == 2016


@pytest.mark.parametrize("value, expected", [
    ("2024-04-05", D(2024, 4, 5)),
    ("2024-04-05 10:30", D(2024, 4, 5)),
    ("5 เมษายน 2567", D(2024, 4, 5)),
    ("๕ เม.ย. ๖๗", D(2024, 4, 5)),
    ("April 5, 2024", D(2024, 4, 5)),
    (D(2024, 4, 5), D(2024, 4, 5)),
    ("ไม่ใช่วันที่", None),
    ("", None),
    (None, None),
])
def test_parse_date_value(value, expected):
    assert parse_date_value(value) == expected


def test_formatting_round_trips_through_parsing():
    for d in (D(2024, 4, 5), D(2019, 2, 9), D(2025, 12, 31)):
        assert parse_date_value(format_be(d)) == d
    (m,) = find_dates(format_be_range(D(2025, 6, 30), D(2025, 7, 1)))
    assert (m.start, m.end) == (D(2025, 6, 30), D(2025, 7, 1))


@pytest.mark.parametrize("text, expected", [
    ("ประชุมเมื่อวันที่ 14 กรกฏาคม 2566", dt.date(2023, 7, 14)),       # ฏ for ฎ
    ("อบรมวันที่ 3 เมย 2567 ณ ศาลากลาง", dt.date(2024, 4, 3)),
    ("อบรมวันที่ 3 เมย. 67", dt.date(2024, 4, 3)),
    ("ลงพื้นที่ 20 กุมภาพันธ 2565", dt.date(2022, 2, 20)),             # final ์ lost
    ("เดินรณรงค์ 9 ธันวา 2566", dt.date(2023, 12, 9)),                 # spoken short form
    ("พุธ, ธันวาคม 9, 2015", dt.date(2015, 12, 9)),                     # Thai month, Gregorian year
])
def test_misspelled_and_short_month_names(text, expected):
    assert [m.start for m in find_dates(text)] == [expected]


def test_short_month_form_is_not_read_inside_a_longer_word():
    assert find_dates("คณะ 3 ตุลาการศาลปกครอง") == []


def test_a_build_that_parses_no_date_loads_no_pythainlp():
    """Every build imports the report checks; pythainlp and the compiled
    date expressions wait for the first date or Thai digit to read."""
    import subprocess
    import sys

    from support import ROOT

    code = (
        "import sys; sys.path[:0] = ['plugins']\n"
        "import thaireports.checking, thaireports.thaitext, search, facets\n"
        "from thaireports import thaidates\n"
        "assert 'pythainlp' not in sys.modules, 'imported with the plugins'\n"
        "assert thaidates.to_arabic_digits('2567') == '2567'\n"
        "assert 'pythainlp' not in sys.modules, 'imported for text without Thai digits'\n"
        "assert thaidates.to_arabic_digits('๒๕๖๗') == '2567'\n"
        "assert 'pythainlp' in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
