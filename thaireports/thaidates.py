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
