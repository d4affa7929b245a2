"""Thai calendar dates: Buddhist-era formatting for display.

Parsing of dates found in report text lives here too (added with the scraper)."""
from __future__ import annotations

import datetime as dt

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)


def format_be(date: dt.date) -> str:
    """`5 เมษายน 2567` for 2024-04-05."""
    return f"{date.day} {THAI_MONTHS[date.month - 1]} {date.year + 543}"


def format_be_range(start: dt.date, end: dt.date | None) -> str:
    """A date or a range in Buddhist-era form: `9–10 กุมภาพันธ์ 2562`,
    `30 มิถุนายน – 1 กรกฎาคม 2568`, `31 ธันวาคม 2566 – 2 มกราคม 2567`."""
    if not end or end == start:
        return format_be(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {THAI_MONTHS[start.month - 1]} {start.year + 543}"
    if start.year == end.year:
        return f"{start.day} {THAI_MONTHS[start.month - 1]} – {format_be(end)}"
    return f"{format_be(start)} – {format_be(end)}"


# --- Finding and parsing dates in Thai text -------------------------------
#
# Reports write dates in many ways: `5 เมษายน 2567`, `19 ม.ค.66`, `๒๕ ม.ค.๖๑`,
# `9 - 10 กุมภาพันธ์ 2562`, `30 มิถุนายน – 1 กรกฎาคม 2568`, `Saturday, April 6,
# 2024`, `2022-04-07`. `find_dates` finds them all with their positions; which
# one is the event date is the scraper's decision (it needs the words around).

import re as _re
from dataclasses import dataclass as _dataclass
from functools import lru_cache as _lru_cache

_EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july",
              "august", "september", "october", "november", "december")


def _abbr_pattern(abbr: str) -> str:
    # `ม.ค.` is also written `ม.ค`, `มค.`, `ม. ค.`: dots and inner spaces optional.
    letters = [ch for ch in abbr if ch != "."]
    # Without its closing dot an abbreviation must not run into a Thai word
    # (`มค` is not a month inside `มคอ`).
    return r"\.?\s?".join(_re.escape(ch) for ch in letters) + r"(?:\.|(?![\u0e01-\u0e4e]))"


# Spellings seen on real pages: `กรกฏาคม` (ฏ for ฎ) is nearly as common as the
# correct one, the final ์ gets lost, and speech drops the `-คม/-ยน/-พันธ์` ending.
_MISSPELLINGS = {"กรกฏาคม": 7, "กรกฎาคม์": 7, "กุมภาพันธ": 2, "กุมภาพันธุ์": 2, "พฤศจิกายน์": 11,
                 "พฤษจิกายน": 11, "พฤศจิการยน": 11, "พฤษภาคม์": 5, "พึษภาคม": 5, "มิถุนาคม": 6,
                 "กันยายม": 9, "ธันวาคม์": 12, "สิงหาคาม": 8, "มกราคาม": 1}
_SPOKEN = ("มกรา", "กุมภา", "มีนา", "เมษา", "พฤษภา", "มิถุนา", "กรกฎา", "สิงหา", "กันยา", "ตุลา",
           "พฤศจิกา", "ธันวา")

_ERA = r"(?:(?P<{n}era>พ\s?\.?\s?ศ\s?\.?|ค\s?\.?\s?ศ\s?\.?|B\.?E\.?|A\.?D\.?)\s*)?"
_YEAR4 = r"(?<!\d)(?P<{n}>\d{{4}})(?!\d)"
_YEAR2 = r"(?<!\d)(?P<{n}>\d{{2}})(?![\d:.,]\d|\s*(?:น\.|นาฬิกา|โมง|คน|ปี|แห่ง|%))"
_DASH = r"\s*(?:-|–|—|ถึง(?:วันที่)?|to)\s*"
_DAY = r"(?<![\d.:/])(?P<{n}>[0-3]?\d)(?![\d:.])"


def _year(n: str) -> str:
    return (_ERA.format(n=n) + "(?:" + _YEAR4.format(n=n) + "|" + _YEAR2.format(n=n + "s") + ")")


class _Patterns:
    """The month names and date expressions, compiled on first use: the
    compiling and pythainlp's import took a tenth of a second of every
    build's start, and most builds parse no date."""

    def __init__(self):
        from pythainlp.util.date import thai_abbr_months, thai_full_months

        forms: list[tuple[str, int]] = []
        for i, (full, abbr) in enumerate(zip(thai_full_months, thai_abbr_months), 1):
            forms.append((_re.escape(full), i))
            forms.append((_abbr_pattern(abbr), i))
        for word, i in _MISSPELLINGS.items():
            forms.append((_re.escape(word), i))
        for i, word in enumerate(_SPOKEN, 1):
            forms.append((_re.escape(word) + r"(?![\u0e01-\u0e4e])", i))
        forms.append((r"กรกฏา(?![\u0e01-\u0e4e])", 7))
        for i, en in enumerate(_EN_MONTHS, 1):
            forms.append((en.capitalize(), i))
            if len(en) > 3:
                forms.append((en[:3].capitalize() + r"\.?(?![a-z])", i))
        # Longest first so `มิถุนายน` is not read as `มิ.ย`-like prefixes of others.
        forms.sort(key=lambda f: -len(f[0]))
        month = "(?:" + "|".join(f for f, _ in forms) + ")"
        self.month_lookup = [(_re.compile(f + r"\Z"), n) for f, n in forms]
        self.thai_date = _re.compile(
            _DAY.format(n="d1")
            + r"(?:\s*(?:เดือน\s*)?(?P<m1>" + month + r")(?:\s*,?\s*" + _year("y1") + r")?)?"
            + r"(?:" + _DASH + _DAY.format(n="d2") + r")?"
            + r"\s*(?:เดือน\s*)?(?P<m2>" + month + r")"
            + r"(?:\s*,?\s*" + _year("y2") + r")?",
            _re.IGNORECASE,
        )
        self.en_date = _re.compile(
            r"(?P<m>" + month + r")\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?!\d)",
            _re.IGNORECASE,
        )


@_lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    return _Patterns()


_ISO_DATE = _re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d])")
_SLASH_DATE = _re.compile(r"(?<![\d/])(?P<d>[0-3]?\d)/(?P<m>[01]?\d)/(?P<y>\d{4})(?![\d/])")


@_dataclass(frozen=True)
class DateMention:
    """A date written in a text. `start`/`end` are Gregorian dates; when the text
    gives no year they are None and `day`/`month` (and `end_day`/`end_month`)
    hold what was written, to be completed by `with_year`."""

    pos: int                 # offset of the first character of the date
    stop: int                # offset just past it
    text: str
    start: dt.date | None
    end: dt.date | None = None
    day: int = 0
    month: int = 0
    end_day: int = 0
    end_month: int = 0
    has_year: bool = True

    def with_year(self, year: int) -> "DateMention":
        """This yearless mention placed in Gregorian `year`."""
        try:
            start = dt.date(year, self.month, self.day)
            end = dt.date(year, self.end_month, self.end_day) if self.end_day else None
        except ValueError:
            return self
        if end and end < start:
            end = dt.date(year + 1, self.end_month, self.end_day)
        return DateMention(self.pos, self.stop, self.text, start, end, self.day, self.month,
                           self.end_day, self.end_month, True)


_ANY_DIGIT = _re.compile(r"[0-9\u0e50-\u0e59]")
_THAI_DIGIT_RUN = _re.compile(r"[\u0e50-\u0e59]+")


def to_arabic_digits(text: str) -> str:
    """Thai digits ๐–๙ as ASCII digits; one character for one, so offsets hold.
    Only the runs of Thai digits go through pythainlp (imported on first
    use): most text has none, and a whole report converted character by
    character was most of the search index's text preparation."""
    return _THAI_DIGIT_RUN.sub(_arabic_run, text)


def _arabic_run(m: _re.Match) -> str:
    from pythainlp.util import thai_digit_to_arabic_digit

    return thai_digit_to_arabic_digit(m.group())


def _month_number(word: str) -> int:
    word = word.strip()
    for rx, n in _patterns().month_lookup:
        if rx.match(word) or rx.match(word.capitalize()):
            return n
    raise ValueError(word)


def gregorian_year(value: str, era: str | None = None) -> int:
    """A written year as Gregorian: 4-digit Buddhist era (2567), Gregorian
    (2024) or 2-digit Buddhist era (67)."""
    y = int(value)
    era = (era or "").replace(" ", "").replace(".", "").upper()
    if len(value) <= 2:
        return 2500 + y - 543 if era not in ("คศ", "AD") else 2000 + y
    if era in ("พศ", "BE") or y >= 2300:
        return y - 543
    return y


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _year_of(m: _re.Match, n: str) -> int | None:
    raw = m.group(n) or m.group(n + "s")
    if not raw:
        return None
    return gregorian_year(raw, m.group(n + "era"))


def find_dates(text: str) -> list[DateMention]:
    """Every date written in `text`, in order of position. Ranges give one
    mention with `start` and `end`. Impossible dates (31 February) are skipped."""
    return list(_find_dates(text))


@_lru_cache(maxsize=4096)
def _find_dates(text: str) -> tuple[DateMention, ...]:
    # Cached: the scraper asks about the same lines at several steps.
    if not _ANY_DIGIT.search(text):
        return ()
    norm = to_arabic_digits(text)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    patterns = _patterns()
    for rx in (_ISO_DATE, patterns.en_date, _SLASH_DATE):
        for m in rx.finditer(norm):
            if not free(*m.span()):
                continue
            try:
                month = int(m["m"]) if m["m"].isdigit() else _month_number(m["m"])
            except ValueError:
                continue
            d = _safe_date(gregorian_year(m["y"]), month, int(m["d"]))
            if d:
                found.append(DateMention(m.start(), m.end(), text[m.start():m.end()], d,
                                         day=d.day, month=d.month))
                taken.append(m.span())
    for m in patterns.thai_date.finditer(norm):
        if not free(*m.span()):
            continue
        mention = _thai_mention(m, text)
        if mention:
            found.append(mention)
    found.sort(key=lambda x: x.pos)
    return tuple(found)


def _thai_mention(m: _re.Match, text: str) -> DateMention | None:
    try:
        m2 = _month_number(m["m2"])
        m1 = _month_number(m["m1"]) if m["m1"] else None
    except ValueError:
        return None
    y2 = _year_of(m, "y2")
    y1 = _year_of(m, "y1") if m1 else None
    d1 = int(m["d1"])
    d2 = int(m["d2"]) if m["d2"] else None
    if m1 is None and d2 is None:            # `5 เมษายน 2567`
        day, month, end_day, end_month = d1, m2, 0, 0
    elif m1 is None:                         # `9 - 10 กุมภาพันธ์ 2562`
        day, month, end_day, end_month = d1, m2, d2, m2
    elif d2 is None:
        # `5 เมษายน 2567 <something> เมษายน`: the regex over-reached; keep the first.
        return None
    else:                                    # `30 มิถุนายน – 1 กรกฎาคม 2568`
        day, month, end_day, end_month = d1, m1, d2, m2
    if not (1 <= day <= 31) or (end_day and not (1 <= end_day <= 31)):
        return None
    span = (m.start(), m.end())
    raw = text[span[0]:span[1]]
    if y2 is None:
        if _safe_date(2000, month, day) is None:    # leap-year-proof check
            return None
        return DateMention(span[0], span[1], raw, None, None, day, month, end_day, end_month, False)
    start_year = y1 if y1 is not None else (y2 - 1 if end_month and end_month < month else y2)
    start = _safe_date(start_year, month, day)
    end = _safe_date(y2, end_month, end_day) if end_day else None
    if start is None or (end_day and end is None):
        return None
    if end is not None and end <= start:
        end = None if end == start else None
    return DateMention(span[0], span[1], raw, start, end, day, month, end_day, end_month, True)


def parse_date_value(value: str | dt.date | None) -> dt.date | None:
    """A metadata date value as a date: ISO (`2024-04-05`, optionally with a
    time), Thai (`5 เมษายน 2567`, `5 เม.ย. 67`, Thai digits) or English
    (`April 5, 2024`). None when the value holds no recognisable date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    mentions = [m for m in find_dates(str(value).strip()) if m.start]
    return mentions[0].start if mentions else None
