"""The small fields of a report: headline, attendance, venue, summary.

Each works on the report's lines (already stripped of site chrome) and reads
Thai sentence structure: a count is an attendance only when the clause around
it is about taking part; a venue starts at `ณ` / `ที่ห้อง…` and runs to the
place's province or the next clause."""
from __future__ import annotations

import re

from thaireports.thaidates import find_dates, to_arabic_digits
from thaireports.vocabulary import load_vocabulary

from .chrome import THAI, squash, thai_count

# --- participants ---------------------------------------------------------

# Anchored on the number (fast: only digits start a match), the cue before
# it read separately.
_COUNT = re.compile(r"(?<![\d,.:/])(\d{1,3}(?:,\d{3})+|\d+)(?![\d:/]|\.\d)\s*(?P<unit>คน|ท่าน|ราย|ชีวิต)?")
_CUE_BEFORE = re.compile(
    r"(?:กว่า|ประมาณ|ราวๆ|ราว|เกือบ|จำนวน|ทั้งสิ้น|ทั้งหมด|รวม|ร่วม|ไม่ต่ำกว่า|มากกว่า|เข้าร่วม|เข้านร่วม|ผู้เข้าร่วม)\s*$"
)
# The clause says people took part.
_ATTEND = re.compile(r"เข้าร่วม|ร่วมงาน|ร่วมกิจกรรม|ร่วมประชุม|ร่วมปั่น|ร่วมเดิน|ร่วมพิธี|ร่วมรับฟัง|ผู้เข้าร่วม|เข้านร่วม|"
                     r"ผู้ร่วม|ร่วม|เข้ารับการ|ผู้เข้าอบรม|ผู้เข้าประชุม|รวมจำนวนทั้งสิ้น|รวมทั้งสิ้น|จำนวนกว่า")
# The clause counts something that is not the audience.
_NOT_AUDIENCE = re.compile(
    r"สมาชิก|เกียรติบัตร|รางวัล|ทุน(?:การศึกษา)?|มอบ|ผู้ได้รับ|ผู้ชนะ|บูธ|ผู้เข้าชม|ยอดวิว|views|ผู้ต้องหา|ผู้เสียชีวิต|"
    r"ผู้ป่วย|ประชากร|ครัวเรือน|เจ้าหน้าที่\s*จำนวน|วิทยากร|คณะกรรมการ\s*จำนวน"
)
_TOTAL = re.compile(r"รวม|ทั้งสิ้น|ทั้งหมด")
_CLAUSE_BREAK = re.compile(r"\s{2,}|[.;]\s|\n")


def participants(text: str) -> int | None:
    """Total attendance stated in the text (`รวมจำนวนทั้งสิ้น 250 คน`,
    `กว่า 500 คน`, `เกือบ 1,000`), or None."""
    norm = to_arabic_digits(text)
    found: list[tuple[bool, int, int]] = []
    for m in _COUNT.finditer(norm):
        n_start = m.start(1)
        cue = _CUE_BEFORE.search(norm, max(0, n_start - 16), n_start)
        if not m.group("unit") and not (cue and not norm[m.end():].strip()):
            continue      # a count of people, or a bare number where a truncated text stops
        value = int(m.group(1).replace(",", ""))
        if value < 2 or value > 1_000_000:
            continue
        window = norm[max(0, n_start - 90): n_start]
        breaks = list(_CLAUSE_BREAK.finditer(window))
        clause = window[breaks[-1].end():] if breaks else window
        if not (cue or _ATTEND.search(clause[-60:])):
            continue
        bad = list(_NOT_AUDIENCE.finditer(clause))
        if bad:
            # `สมาชิก… เข้าร่วมรับฟัง… 90 คน` is an audience of members;
            # `มีจำนวนสมาชิกกว่า 118 คน` is a membership.
            if not _ATTEND.search(clause[bad[-1].end():]):
                continue
        if "ละ" in norm[n_start - 4: n_start]:
            continue      # `ตำบลละ 3 คน`: a per-unit quota
        cue_text = (cue.group(0) if cue else "") + clause[-30:]
        found.append((bool(_TOTAL.search(cue_text)), m.start(), value))
    if not found:
        return None
    totals = [f for f in found if f[0]]
    return (totals or found)[0][2]


# --- venue ----------------------------------------------------------------

_PLACE = (r"(?:ห้อง|โรงแรม|อาคาร|ศาลา|หอประชุม|หอ|ศูนย์|สำนักงาน|สนาม|วัด|โรงเรียน|มหาวิทยาลัย|วิทยาลัย|ชั้น|"
          r"บริเวณ|ลาน|สถาบัน|ที่ทำการ|ที่ว่าการ|อำเภอ|จังหวัด|ตำบล|หมู่บ้าน|บ้าน|ไร่|ชมรม|สวน|อุทยาน|"
          r"โรงพยาบาล|รีสอร์ท|รีสอร์ต|สโมสร|ค่าย|กระทรวง|กรม|ทำเนียบ|รัฐสภา|เมือง|ตลาด|พิพิธภัณฑ์|เทศบาล|องค์การ)")
_VENUE_START = re.compile(r"(?:(?<=\s)|^)(?:ณ|ที่)\s*(?=" + _PLACE + ")")
_VENUE_STOP = re.compile(
    r"(?=เพื่อ|โดยมี|ซึ่ง)|\s+(?=(?:โดย|เพื่อ|ซึ่ง|พร้อม|นาย|นาง|น\.ส\.|ดร\.|ศาสตราจารย์|รองศาสตราจารย์|ผศ\.|รศ\.|นพ\.|พล\S*|พ\.?ต\.|ว่าที่|ได้|มี|เป็น|และ(?!\S*(?:ห้อง|อาคาร))|ภายใต้|ร่วมกับ|"
    r"จัด|เข้าร่วม|สำหรับ|ทั้งนี้|ในการ|ให้|ตั้งแต่|ระหว่าง|เมื่อ|วันที่|เวลา|ภายใน|จาก|ผ่าน|ถ่ายทอด)|\S*\d{1,2}[.:]\d{2})"
)
_PROVINCE_END = re.compile(r"(?:จังหวัด|จ\.)\s?\S+|กรุงเทพมหานคร|กรุงเทพฯ")


def venue_span(text: str) -> tuple[int, int] | None:
    """Where the `ณ …` / `ที่ห้อง…` phrase of the event is, cue included: up
    to its province or the next clause."""
    for m in _VENUE_START.finditer(text):
        rest = text[m.end(): m.end() + 200].split("\n", 1)[0]
        stop = _VENUE_STOP.search(rest)
        phrase = rest[: stop.start()] if stop else rest
        prov = _PROVINCE_END.search(phrase)
        if prov:
            phrase = phrase[: prov.end()]
        if thai_count(phrase) >= 4:
            return m.start(), m.end() + len(phrase)
    return None


def venue(text: str) -> str | None:
    span = venue_span(text)
    if not span:
        return None
    phrase = _VENUE_START.sub("", text[span[0]: span[1]], count=1)
    return phrase.strip(" ,.()")[:160].strip() or None


# --- summary --------------------------------------------------------------

def summary(paragraphs: list[str], limit: int = 280) -> str:
    """The report's opening: its first paragraph, cut at a space (Thai
    sentences end at a space) when it runs long."""
    for p in paragraphs:
        if p.startswith("- ") or thai_count(p) < 20:
            continue
        text = re.sub(r"\s+", " ", p).strip()
        if len(text) <= limit:
            return text
        cut = text.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        return text[:cut].rstrip() + " …"
    return ""


# --- title ----------------------------------------------------------------

_BREADCRUMB = re.compile(r"^.*(?:»|›|>>|\s>\s)\s*")
_QUOTED = re.compile(r"^[\"“'‘](.+)[\"”'’]$")
_LONG_SUBCLAUSE = re.compile(r"\s*(?:ในการ|ตามโครงการ)|\s+(?:เพื่อ|ภายใต้)")
_DATELINE = re.compile(r"^(\S{2,30}?)\s*(?:-|–|:|/)\s*")
# `Headline | Site` always; `Headline - Site` when the tail names a site.
_SITE_SUFFIX = re.compile(
    r"\s+\|\s+[^|]{1,40}$|\s+[-–—]\s+[^-–—]{0,30}(?:ข่าว|news|online|ออนไลน์|\.com|\.net|\.th|tv|ทีวี|สำนัก|เว็บไซต์|website)[^-–—]{0,20}$",
    re.IGNORECASE,
)
_LEADING_DATE_PHRASE = re.compile(
    r"^(?:(?:เมื่อ)?(?:เช้า|บ่าย|เย็น)?(?:วันนี้|วันที่|วัน\S{2,10}ที่|วัน\S{2,10})?\s*\(?\s*)$"
)
_TIME_PHRASE = re.compile(r"^\s*\)?\s*(?:เวลา\s*)?(?:\d{1,2}[.:]\d{2}\s*(?:-\s*\d{1,2}[.:]\d{2})?\s*(?:น\.|นาฬิกา)?)?\s*[-–,:/]?\s*")
_DASH_JOINED = re.compile(r"[\w\u0e01-\u0e4e]+(?:\s[-–]\s[\w\u0e01-\u0e4e]+)+")
_PARENS = re.compile(r"\s*\((?:[^()]{1,30})\)")
_CLAUSE_END = re.compile(r"\s+(?:ณ|ที่|และการ|เพื่อ|โดย|ซึ่ง|ภายใต้|ระหว่างวันที่|ในวันที่|เมื่อวันที่|วันที่)")
# `สถาบันพัฒนาองค์กรชุมชน หรือ พอช. จัด…`: the short name reads better.
_ALSO_KNOWN = re.compile(r"^\S+\s+หรือ\s+(?=\S*[.A-Z])")
# Partners named between the organiser and the verb: `X ร่วมกับ A B C จัด…`,
# `X และองค์กรภาคีร่วมจัด จัด…`.
_PARTNERS = re.compile(r"\s*(?:ร่วมกับ\s.*?(?=(?:ได้)?จัด)|และ\S*ร่วมจัด\s*)")
_QUOTED_NAME = re.compile(r"ภายใต้(?:แนวคิด|หัวข้อ|ชื่อ)\s*(“[^”]{4,80}”|\"[^\"]{4,80}\")")
_VENUE_PROVINCE = re.compile(r"(?:จังหวัด|จ\.)\s?([\u0e01-\u0e4e]+)")


def _strip_dateline(text: str) -> str:
    """`สมุทรปราการ-“วันชัย”…` → `“วันชัย”…`: a province name written as a
    dateline before the headline."""
    m = _DATELINE.match(text)
    if m and load_vocabulary().resolve("province", m.group(1).strip()):
        return text[m.end():]
    return text


# Emoji, pins and bullets social posts put before a headline.
_LEADING_SYMBOLS = re.compile(r"^[^\w\u0e01-\u0e4e\"“‘'(\[]+")


_DATE_LEAD_IN = re.compile(r"(?:\s*[-–|,:/(\[]\s*|\s+)(?:เมื่อ)?(?:วันที่|ประจำวันที่|วัน\S{2,10}ที่)?\s*\(?\s*$")


def _strip_trailing_date(t: str) -> str:
    """`… จัดอบรมเครือข่าย (15 มี.ค. 67)` → `… จัดอบรมเครือข่าย`: the date
    goes to the Date field, not the headline."""
    mentions = find_dates(t)
    if not mentions:
        return t
    last = mentions[-1]
    if last.pos < 15 or t[last.stop:].strip(" )]|-–.,"):
        return t
    head = t[: last.pos]
    lead = _DATE_LEAD_IN.search(head)
    if lead:
        head = head[: lead.start()]
    head = re.sub(r"\s*\d{1,2}:\d{2}\s*$", "", head).rstrip(" -–|,:/(")
    return head if thai_count(head) >= 8 else t


def clean_headline(line: str) -> str:
    t = _LEADING_SYMBOLS.sub("", re.sub(r"\s+", " ", line).strip())
    if _BREADCRUMB.match(t) and len(_BREADCRUMB.sub("", t)) >= 10:
        t = _BREADCRUMB.sub("", t)
    t = _strip_dateline(t)
    m = _SITE_SUFFIX.search(t)
    if m and m.start() >= 20:
        t = t[: m.start()]
    t = _strip_trailing_date(t)
    m = _QUOTED.match(t)
    if m and not re.search(r"[\"“”]", m.group(1)):
        t = m.group(1)
    # A site's own headline is kept whole, purpose clause and all; only one
    # running past about five lines of a phone screen keeps just its main
    # clause, the purpose (`เพื่อ…`) and frame (`ภายใต้…`) going to the body.
    if len(t) > 180:
        m = _LONG_SUBCLAUSE.search(t, 40)
        if m:
            t = t[: m.start()]
    return t.strip(" -–|:")


def extend_truncated(title: str, paragraphs: list[str]) -> str:
    """Pages sometimes cut the headline mid-word where the first paragraph
    repeats it in full: take the full form, up to the next space."""
    key = title.strip()
    if len(key) < 10:
        return title
    for p in paragraphs[:3]:
        if p.startswith(key) and len(p) > len(key) and not p[len(key)].isspace():
            m = re.compile(r"\s").search(p, len(key))
            full = p[: m.start()] if m else p
            if len(full) <= 160:
                return full
    return title


# Where the predicate of a Thai news sentence starts: the organiser (subject)
# comes first, then one of these verbs.
_PREDICATE = re.compile(
    r"(?:(?<=\s)(?:ได้)?(?:จัด|เตรียม|ร่วม(?!กับ)|เปิด|ประชุม|ลงนาม|ผลักดัน|มอบ|แถลง|อบรม|ขับเคลื่อน|รณรงค์|"
    r"ลงพื้นที่|เป็นประธาน|หารือ|นำ|เดินหน้า|ประกาศ|สัมมนา|เสวนา|ตั้ง|ติดตาม)"
    r"|(?<![\sการผู้ร่วมที่])(?:ได้)?จัด(?=งาน|เวที|ประชุม|กิจกรรม|อบรม|สัมมนา|โครงการ))"
)


def headline_from_sentence(paragraph: str, place: str | None = None) -> str:
    """A short headline built from the report's first sentence when the page
    has none: organiser + what it did, without the date phrase, the venue,
    parentheses and partner lists, cut at the first venue/purpose clause."""
    text = re.sub(r"\s+", " ", paragraph).strip()
    mentions = [m for m in find_dates(text) if m.pos < 60]
    if mentions:
        first = mentions[0]
        if _LEADING_DATE_PHRASE.match(text[: first.pos].split("/")[-1].strip() + " ") or first.pos < 40:
            text = text[first.stop:]
            text = _TIME_PHRASE.sub("", text, count=1)
    text = _strip_dateline(text.strip())
    span = venue_span(text)
    if span and span[0] == 0:
        text = text[span[1]:].strip()
    theme = _QUOTED_NAME.search(text)
    text = _PARENS.sub("", text)
    text = _ALSO_KNOWN.sub("", text)
    text = _PARTNERS.sub(" ", text, count=1)
    verb = _PREDICATE.search(text, 4)
    if verb and verb.start() <= 400:
        subject = re.sub(r"\s+โดย.*$", "", text[: verb.start()]).strip()
        if len(subject) > 60:
            # A list of organisers: the one nearest the verb stands for all.
            last = subject.split()[-1] if subject.split() else ""
            subject = last if 4 <= len(last) <= 45 and thai_count(last) >= 4 else ""
        rest = re.sub(r"^ได้(?=\S)", "", text[verb.start():])
        m = _CLAUSE_END.search(rest, 10)
        text = (subject + " " + (rest[: m.start()] if m else rest)).strip()
    else:
        m = _CLAUSE_END.search(text, 20)
        if m:
            text = text[: m.start()]
    if len(text) > 120:
        cut = text.rfind(" ", 40, 120)
        for name in _DASH_JOINED.finditer(text):
            # `โครงการ STRONG - จิตพอเพียงต้านทุจริต` is one name: never cut inside it.
            if name.start() - 1 <= cut < name.end() <= 160:
                cut = name.end()
        text = text[: cut if cut > 0 else 120]
    text = text.strip(" -–,:/.")
    if theme and theme.group(1) not in text:
        text += " " + theme.group(1)
    if place:
        prov = _VENUE_PROVINCE.search(place)
        if prov and prov.group(1) not in text:
            text += " ที่จังหวัด" + prov.group(1)
    return text


def is_headline_like(line: str) -> bool:
    n = len(line.strip())
    return 16 <= n <= 260 and thai_count(line) >= 8


def same_text(a: str, b: str) -> bool:
    return squash(a) == squash(b)


def has_thai(text: str) -> bool:
    return bool(THAI.search(text))
