"""Which of the dates a page shows is the event date, which the publication
date, and which are neither (widgets, announcements, fiscal years, teasers).

Decided from the words around each date: `เมื่อ…`, `วันนี้ (…)`, `ระหว่างวันที่`
mark the event; `Last updated`, `โพสต์`, `date`, a clock time or a line holding
nothing but the date mark the page's own date; `…นี้`, `กำหนดจัด`, `จะจัด`
mark something still to come."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from thaireports.thaidates import DateMention, find_dates, to_arabic_digits

from .chrome import THAI

# Words right before a date that make it the day the event happened.
_STRONG_CUE = re.compile(
    r"(?:เมื่อ|วันนี้|ระหว่าง|ตั้งแต่|ช่วง|ได้จัด|จัดขึ้น|จัดงาน)[^\n]{0,28}$"
)
# A form field naming the event's day: `วัน เดือน ปี ที่จัดกิจกรรม: พุธ, …`.
_LABEL_CUE = re.compile(
    r"(?:วัน\s*(?:เดือน\s*ปี\s*)?(?:ที่\s*)?(?:จัด|ดำเนินการ)(?:กิจกรรม|งาน|โครงการ|ประชุม)?|"
    r"วันที่(?:จัด)?(?:กิจกรรม|ดำเนินการ|ประชุม)|event\s+date)\s*[:：][^\n:：]{0,20}$",
    re.IGNORECASE,
)
# `วันนี้ (…)`: the day of the report itself.
_TODAY_CUE = re.compile(r"วันนี้[^\n]{0,6}$")
# A date cited as background: a resolution, an order, a founding, a letter.
_REFERENCE_CUE = re.compile(
    r"(?:ตามที่|มติ|คำสั่ง|หนังสือ|ลงวันที่|ฉบับ|ประกาศ(?!เจตนารมณ์)|ก่อตั้ง|จัดตั้ง|ประกาศใช้|ตั้งแต่ปี|เมื่อปี)[^\n]{0,40}$"
)
_DAY_CUE = re.compile(r"(?:วันที่|(?:วัน\S{2,10}\s*)?ที่|วัน\S{2,10})\s*\(?\s*$")
# The page's own date: posted/updated stamps, `date 2025-08-14`.
PUB_WORDS = (
    r"(?:last\s+updated|updated|update|published|posted(?:\s+on)?|post|date|โพสต์(?:เมื่อ)?|"
    r"อัปเดต|อัพเดท|อัพเดต|ปรับปรุง(?:ล่าสุด)?|แก้ไขล่าสุด|เผยแพร่(?:เมื่อ)?|วันที่เผยแพร่|วันที่โพสต์|ลงข่าว|"
    r"ประกาศเมื่อ|เขียนเมื่อ|บันทึกเมื่อ|ข่าววันที่)"
)
PUB_CUE = re.compile(PUB_WORDS + r"\s*(?:วันที่)?\s*[:：]?\s*\[?\s*$", re.IGNORECASE)
_CLOCK_AFTER = re.compile(r"^\s*(?:,|เวลา|-|\|)?\s*\d{1,2}:\d{2}")
# Something still to come, or a date that recurs every year.
_FUTURE_AFTER = re.compile(r"^\s*(?:นี้|ที่จะถึง|ที่จะมาถึง|เป็นต้นไป)")
# `6 กันยายนของทุกปี`: an annual day; this year's event when nothing better.
_RECURRING_AFTER = re.compile(r"^\s*(?:ของ)?ทุกปี")
_FUTURE_BEFORE = re.compile(r"(?:กำหนด(?:จัด|การ)?|จะ(?:จัด|มี|เริ่ม)|เตรียม(?:จัด)?|ภายใน|ก่อน|หมดเขต|ถึงวันที่|ภายในวันที่)[^\n]{0,25}$")
# An announcement names its date a clause or two after the verb
# (`กำหนดจัดกิจกรรม… ( ประเทศไทย ) ในวันที่ 7 ธันวาคม`); nothing in between
# may say it already happened.
_ANNOUNCED_BEFORE = re.compile(r"(?:กำหนดจัด|จะจัด|เตรียมจัด|เตรียมการจัด|มีกำหนด)([^\n]{0,90})$")
_HAPPENED = re.compile(r"เมื่อ|ได้จัด|ได้มี|ที่ผ่านมา|แล้ว")
# `เวลา 09.00 น.`: a time of day written the way reporters write it makes
# the date's line the event's; CMS stamps write `12:00` and `27/02/2024`.
_TIME_OF_DAY = re.compile(r"\d{1,2}\.\d{2}\s*น\.?")
_WORDED_MONTH = re.compile(r"[^\d\s/.\-:,]{2}")
_WEEKDAYS = re.compile(
    r"(?:วัน)?(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัสฯ?|ศุกร์|เสาร์|อาทิตย์)(?:ที่)?|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun",
    re.IGNORECASE,
)
_LEFTOVER = re.compile(
    r"\d{1,2}[:.]\d{2}(?::\d{2})?|น\.|นาฬิกา|เวลา|วันที่|ที่|พ\.ศ\.|ค\.ศ\.|[\s,|:/\-–\[\]()]+",
)
_YEAR_WORD = re.compile(r"(?:ปี|ประจำปี|พ\.ศ\.?)\s*(25\d\d)")


@dataclass(frozen=True)
class Candidate:
    mention: DateMention
    line: int
    rank: int          # 4 `วันนี้`, 3 `เมื่อ…`/`ระหว่าง…`, 2 `วันที่`/weekday, 1 bare or cited, 0 headline
    published: bool    # the page's own date, not the event's
    future: bool


def is_date_only(line: str, mentions: list[DateMention]) -> bool:
    """A line that holds nothing but a date (and a weekday, a time, a
    posted/updated word): a page stamp, never body text."""
    rest = to_arabic_digits(line)
    for m in reversed(mentions):
        rest = rest[: m.pos] + " " + rest[m.stop:]
    rest = _WEEKDAYS.sub(" ", rest)
    rest = re.sub(PUB_WORDS, " ", rest, flags=re.IGNORECASE)
    rest = _LEFTOVER.sub("", rest)
    return len(rest) <= 2


def classify(lines: list[str], headline_index: int | None = None) -> list[Candidate]:
    """Every date in `lines` with its role."""
    out: list[Candidate] = []
    for i, line in enumerate(lines):
        if not line or not any(ch.isdigit() for ch in line):
            continue
        mentions = find_dates(line)
        if not mentions:
            continue
        date_only = is_date_only(line, mentions)
        for m in mentions:
            before = line[max(0, m.pos - 40): m.pos]
            after = line[m.stop: m.stop + 30]
            published = bool(
                date_only
                or PUB_CUE.search(before)
                or _CLOCK_AFTER.match(after)
                or (m.text[:1].isalpha() and m.text[:1].isascii())   # `April 6, 2024`: page stamps
            )
            recurring = bool(_RECURRING_AFTER.match(after))
            announced = _ANNOUNCED_BEFORE.search(line[max(0, m.pos - 100): m.pos])
            future = not recurring and bool(
                _FUTURE_AFTER.match(after) or _FUTURE_BEFORE.search(before)
                or (announced and not _HAPPENED.search(announced.group(1))))
            if i == headline_index or recurring:
                rank = 0
            elif _LABEL_CUE.search(before):
                rank, published = 5, False
            elif _REFERENCE_CUE.search(before):
                rank = 1
            elif _TODAY_CUE.search(before):
                rank = 4
            elif _STRONG_CUE.search(before):
                rank = 3
            elif _DAY_CUE.search(before) or not THAI.search(before):
                rank = 2
            else:
                rank = 1
            if not published and rank < 3 and not after.strip() and len(line) < 120 and THAI.search(before):
                # A short line ending in an uncued date is a byline stamp
                # (`สำนักข่าว… : กรมประชาสัมพันธ์ วันที่ 11 มิถุนายน พ.ศ. 2557`).
                published = rank == 1 or ":" in before
            out.append(Candidate(m, i, rank, published, future))
    return out


def _fill_year(m: DateMention, published: dt.date | None, years: list[int]) -> DateMention | None:
    if m.has_year:
        return m
    if published:
        placed = m.with_year(published.year)
        if placed.start and placed.start > published + dt.timedelta(days=7):
            placed = m.with_year(published.year - 1)
        return placed if placed.start else None
    if years:
        placed = m.with_year(years[0])
        return placed if placed.start else None
    return None


def stamp_lines(cands: list[Candidate], lines: list[str]) -> set[int]:
    """Lines whose every date is the page's own: bylines and posted/updated
    stamps (`โพสต์10 ธ.ค. 2560 16:36โดย…`), not body text."""
    by_line: dict[int, list[Candidate]] = {}
    for c in cands:
        by_line.setdefault(c.line, []).append(c)
    return {i for i, cs in by_line.items()
            if all(c.published for c in cs) and len(lines[i]) < 150}


def choose(lines: list[str], headline_index: int | None = None,
           published_hint: dt.date | None = None,
           cands: list[Candidate] | None = None) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    """(event date, end date, publication date) for a report's lines."""
    if cands is None:
        cands = classify(lines, headline_index)
    pubs = [c.mention.start for c in cands if c.published and c.mention.start]
    published = published_hint or (pubs[0] if pubs else None)
    years = [int(y) - 543 for y in _YEAR_WORD.findall(to_arabic_digits("\n".join(lines)))]
    years += [c.mention.start.year for c in cands if c.mention.start]
    options: list[tuple] = []
    for c in cands:
        if c.published or c.future:
            continue
        m = _fill_year(c.mention, published, years)
        if m is None or m.start is None:
            continue
        if published and m.start > published + dt.timedelta(days=3):
            continue   # announced ahead of the page's date: not what happened
        options.append(((-c.rank, c.line, m.pos), m))
    if published:
        # A date years before the page's own is history the report retells
        # (a founding, an earlier campaign) when a recent one is there too.
        recent = [o for o in options if o[1].start >= published - _HISTORY]
        options = recent or options
    if not options:
        m = _stamp_as_event(cands, lines, published)
        return (m.start, m.end, published) if m else (None, None, published)
    m = min(options, key=lambda o: o[0])[1]
    return m.start, m.end, published


_HISTORY = dt.timedelta(days=730)


def _stamp_as_event(cands: list[Candidate], lines: list[str], published: dt.date | None) -> DateMention | None:
    """With no cued event date, the date standing on its own line under the
    headline is the event's when it carries a time of day, is the page's only
    date, or repeats in the body — not when it is labelled posted/updated."""
    stamps = [c for c in cands if c.published and not c.future and c.mention.start
              and not re.search(PUB_WORDS, lines[c.line], re.IGNORECASE)]
    if not stamps:
        return None
    dated = {c.mention.start for c in cands if c.mention.start and not c.future}
    for c in stamps:
        if _TIME_OF_DAY.search(to_arabic_digits(lines[c.line])):
            return c.mention
    for c in stamps:
        if not _WORDED_MONTH.search(c.mention.text):
            continue
        if len(dated) == 1 or any(o.mention.start == c.mention.start and o.line != c.line for o in cands):
            return c.mention
    return None
