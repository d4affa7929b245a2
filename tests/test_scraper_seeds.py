"""The five seed reports, extracted field by field, and their bodies: no
chrome left, no sentence of the report lost or changed."""
import datetime as dt
import re

import pytest

from scraper.extract import extract
from support import SEEDS

D = dt.date


def seed(n: str):
    (path,) = SEEDS.glob(f"{n}_*.txt")
    text = path.read_text(encoding="utf-8")
    return text, extract(text, str(path))


def test_seed_000_community_charter_forum():
    _, r = seed("000")
    assert r.title == ("จัดเวทีฯ “สานพลังภาคีหนุนเสริมการพัฒนาธรรมนูญตำบลและขับเคลื่อนการสร้างสังคมสุขภาวะ"
                       "พื้นที่ภาคเหนือตอนล่าง 1 ” เพชรบูรณ์ส่งคณะจังหวัดและตำบลร่วมเวที")
    assert (r.date, r.end_date, r.published) == (D(2024, 4, 5), None, D(2024, 4, 6))
    assert set(r.provinces) == {"phitsanulok", "phetchabun"}
    assert set(r.agencies) == {"pacc", "nhco", "codi", "community-council"}
    assert "community-charter" in r.programs
    assert set(r.programs) <= {"community-charter", "white-tambon", "integrity-community"}
    assert r.participants is None            # 2 + 5×3 delegates are quotas, not a stated total
    assert r.venue == "โรงแรมหรรษนันท์ อ.เมือง จ.พิษณุโลก"
    assert r.summary.startswith("เมื่อวันศุกร์ที่ 5 เมษายน 2567 ณ โรงแรมหรรษนันท์")
    assert r.images == ()
    # the trailing teaser for another article is gone, the photo link stays
    assert "แกะดำ" not in r.body and "Music Festival" not in r.body
    assert r.body.rstrip().endswith("https://shorturl.asia/68zhy")


def test_seed_001_moral_province_meeting():
    _, r = seed("001")
    assert r.title == ("จังหวัดหนองคาย ประชุมหารือหน่วยงาน องค์กรความร่วมมือการขับเคลื่อนจังหวัดคุณธรรม "
                       "ปีงบประมาณ 2566")
    assert (r.date, r.end_date, r.published) == (D(2023, 1, 19), None, None)
    assert r.provinces == ("nong-khai",)
    assert set(r.agencies) == {"provincial-office", "culture-office", "moral-center"}
    assert r.programs == ("moral-community",)
    assert r.participants is None            # "6 เครือข่าย" are networks, not people
    assert r.venue.startswith("ห้องประชุม NK1407 ชั้น 4 อาคารบริหาร มหาวิทยาลัยขอนแก่น")
    assert r.body.rstrip().endswith("บรรณาธิการข่าว : ประมุข ไทยเสถียร")   # credits are the report's own


def test_seed_002_codi_governance_seminar():
    _, r = seed("002")
    assert "เหลียวหลังแลหน้า ร่วมพัฒนาระบบธรรมาภิบาล" in r.title   # no headline on the page: built from the first sentence
    assert "ภาษาไทย" not in r.title and "english" not in r.title
    assert (r.date, r.end_date, r.published) == (D(2019, 2, 9), D(2019, 2, 10), None)
    assert r.participants == 136
    assert r.agencies == ("codi",)
    assert r.programs == ("good-governance",)
    assert r.venue == "ชั้น 1 ห้องประชุมไพบูลย์วัฒนศิริธรรม"
    assert r.body.rstrip().endswith("รายงานโดย นางสาวพรรณิดา\xa0 พันธ์พืช")   # the NBSP is the writer's


def test_seed_003_chiang_rai_integrity_plan():
    _, r = seed("003")
    assert "เตรียมผลักดันเชียงรายเป็นจังหวัดต้นแบบการสร้างวัฒนธรรมสุจริต" in r.title
    assert (r.date, r.end_date, r.published) == (D(2023, 2, 14), None, None)
    assert r.provinces == ("chiang-rai",)
    assert set(r.agencies) == {"nacc", "nhco", "codi", "pacc"}
    assert {"integrity-community", "community-charter"} <= set(r.programs)
    assert r.participants is None            # "124 ตำบล" are sub-districts
    # the strategy list stays a Markdown list, the steps stay paragraphs
    assert "\n- สานพลัง หน่วยงาน" in r.body and "\n- การขับเคลื่อน และการสร้างรูปธรรม" in r.body
    assert "โดยใช้ กลยุทธ์" in r.body


def test_seed_004_phuket_transparent_local_government():
    _, r = seed("004")
    assert r.title == "ประชุมเชิงปฏิบัติการ เครือข่าย อปท.โปร่งใส หัวใจคุณธรรม ปี 2558"
    assert (r.date, r.end_date, r.published) == (D(2015, 5, 25), None, None)
    assert r.provinces == ("phuket",)        # not "nakhon-si-thammarat" from the surname ณ นคร
    assert set(r.agencies) == {"nacc", "local-government"}
    assert r.programs == ("transparent-local-gov",)
    assert r.participants == 250
    assert r.venue == "ห้องแกรนด์บอลรูม โรงแรมรอยัลภูเก็ตซิตี้ อำเภอเมือง จังหวัดภูเก็ต"
    # the subtitle printed twice is kept once; the headline is not repeated
    assert r.body.count("อบจ.ภูเก็ต ร่วมประชุมเชิงปฏิบัติการ “เครือข่าย อปท.โปร่งใส หัวใจคุณธรรม” ปี 2558") == 1
    assert not r.body.startswith(r.title)


CHROME = {
    "000": ["Saturday, April 6, 2024", "แกะดำ Music Festival", "เมื่อว...", "\nบทความ"],
    "001": ["ฟังวิทยุออนไลน์", "image รูปภาพ", "\nimage", "คะแนนโหวต", "บทความที่น่าสนใจ", "บทความยอดนิยม"],
    "002": ["playlists", "faocebook", "icon_tw", "Intranet", "ภาษาไทย english หน้าหลัก", "messageImage",
            "1549794160544", "5031.jpg", "5035.jpg", "แบ่งปัน", "Submit to"],
    "003": ["53 views"],
    "004": ["[fbalbum", "facebook.com/media", "Related Post", "Leave a Reply", "Akismet"],
}
# What the page says besides the report: its chrome (above) and, in seed 000,
# the teaser of another article and the headline it repeats.
NOT_REPORT = {"000": ("แถลงข่าว การจัดเทศกาลดนตรี",)}


@pytest.mark.parametrize("n", sorted(CHROME))
def test_no_chrome_string_survives(n):
    _, r = seed(n)
    for s in CHROME[n]:
        assert s not in "\n" + r.body, f"seed {n}: {s!r} left in the body"


def _sentences(text: str) -> list[str]:
    """Thai sentences: runs separated by line breaks or by the double spaces
    writers put between sentences. Only those with real Thai content."""
    out = []
    for part in re.split(r"\n|\s{2,}", text):
        part = part.strip()
        if sum(1 for ch in part if "\u0e01" <= ch <= "\u0e4e") >= 12:
            out.append(part)
    return out


@pytest.mark.parametrize("n", sorted(CHROME))
def test_every_sentence_of_the_report_is_kept_verbatim(n):
    text, r = seed(n)
    kept = r.title + "\n" + r.body
    for sentence in _sentences(text):
        if any(sentence.startswith(x) for x in NOT_REPORT.get(n, ())):
            continue
        if any(c in sentence for c in CHROME[n]):
            continue
        assert sentence in kept, f"seed {n}: sentence lost or altered: {sentence[:80]!r}"


@pytest.mark.parametrize("n", sorted(CHROME))
def test_body_is_markdown_paragraphs_that_cannot_become_metadata(n):
    _, r = seed(n)
    assert "\n\n\n" not in r.body
    first = r.body.split("\n", 1)[0]
    assert not re.match(r"^[A-Za-z][A-Za-z0-9_-]*:", first)
