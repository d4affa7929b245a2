"""ASCII slugs for reports. Pelican's slugify turns Thai into noise, so a
report's slug is built from its date, first province and a short hash of its
title: readable, stable, never empty and never percent-encoded."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata


def short_hash(text: str, length: int = 6) -> str:
    return hashlib.sha1(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:length]


def report_slug(date: dt.date | None, provinces: list[str] | tuple[str, ...], title: str) -> str:
    parts = [date.isoformat() if date else "undated"]
    if provinces:
        parts.append(provinces[0])
    parts.append(short_hash(title or "untitled"))
    slug = "-".join(parts)
    assert re.fullmatch(r"[a-z0-9-]+", slug), slug
    return slug


def report_path(date: dt.date | None, slug: str) -> str:
    """Where a report lives below content/reports/."""
    return f"{date.year if date else 'undated'}/{slug}.md"
