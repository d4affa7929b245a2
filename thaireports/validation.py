"""Validation of one report file's metadata, worded for contributors.

One implementation serves the Pelican facets plugin (which fails the build)
and `invoke check` (which validates without building). Pure: text in, a
normalized record and a list of problems out; nothing is read or written here.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from urllib.parse import urlsplit

from . import thaidates
from .problems import Problem
from .reportfile import FIELDS, ReportFile, parse_report, split_list
from .slugs import report_slug
from .vocabulary import KINDS, Vocabulary, load_vocabulary

# Metadata field of each facet kind, and the words used to talk about it.
FACET_FIELDS = {"province": "provinces", "agency": "agencies", "program": "programs"}
KIND_TH = {"province": "จังหวัด", "agency": "หน่วยงาน", "program": "โครงการ"}
STATUSES = ("published", "draft", "hidden")
# Fields Pelican itself understands; accepted so a maintainer can use them.
PELICAN_FIELDS = {"modified", "template", "save_as", "url", "author", "authors", "tags",
                  "category", "translation"}
KNOWN_FIELDS = {f.lower() for f in FIELDS} | PELICAN_FIELDS
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A Christian-era year this large is a Buddhist-era year written by mistake.
_BE_OFFSET = 543


@dataclass
class CheckedReport:
    """A report after validation: `meta` holds normalized values (keys for
    facets, dates as date/datetime, participants as int)."""

    path: str
    meta: dict
    problems: list[Problem]
    missing: set[str]            # facet kinds the contributor left out
    report: ReportFile
    slug: str = ""
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _problem(path: str, line: int, en: str, th: str) -> Problem:
    return Problem(str(path), line, en, th)


def parse_date(value: str) -> dt.date | dt.datetime:
    """A metadata date: ISO `YYYY-MM-DD` (optionally with `HH:MM`), or the
    Thai forms `thaidates.parse_date_value` understands. Raises ValueError
    with a reason a contributor can act on."""
    text = thaidates.to_arabic_digits(value.strip())
    m = _ISO.match(text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        if y > 2400:
            raise ValueError(f"buddhist-era:{y - _BE_OFFSET:04d}-{mo:02d}-{d:02d}")
        if m[4] is not None:
            return dt.datetime(y, mo, d, int(m[4]), int(m[5]), int(m[6] or 0))
        return dt.date(y, mo, d)
    parse_thai = getattr(thaidates, "parse_date_value", None)
    if parse_thai is not None:
        try:
            found = parse_thai(value)
        except (ValueError, TypeError):
            found = None
        if isinstance(found, (dt.date, dt.datetime)):
            return found
    raise ValueError("unreadable")


def as_date(value: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _date_field(rf: ReportFile, name: str, path: str, problems: list[Problem]):
    raw = rf.get(name)
    if raw is None or not raw.strip():
        return None
    try:
        return parse_date(raw)
    except ValueError as exc:
        line = rf.line_of(name)
        label = name.capitalize()
        reason = str(exc)
        if reason.startswith("buddhist-era:"):
            iso = reason.split(":", 1)[1]
            problems.append(_problem(
                path, line,
                f"{label} '{raw}' has a Buddhist-era year; write it in the Christian era: {label}: {iso}",
                f"{label} '{raw}' ใช้ปี พ.ศ. — ให้เขียนเป็นปี ค.ศ. แบบนี้: {label}: {iso}",
            ))
        else:
            problems.append(_problem(
                path, line,
                f"{label} '{raw}' is not a date; write it as YYYY-MM-DD, e.g. {label}: 2024-04-05",
                f"{label} '{raw}' ไม่ใช่วันที่ที่อ่านได้ — ให้เขียนเป็น ปี(ค.ศ.)-เดือน-วัน เช่น {label}: 2024-04-05",
            ))
        return None


def _facet(kind: str, rf: ReportFile, path: str, vocab: Vocabulary,
           problems: list[Problem]) -> list[str] | None:
    """Keys for one facet field; None when the field is left out."""
    name = FACET_FIELDS[kind]
    raw = rf.get(name)
    if raw is None or not raw.strip():
        return None
    line = rf.line_of(name)
    keys: list[str] = []
    for value in split_list(raw):
        key = vocab.resolve(kind, value)
        if key is None:
            problems.append(unknown_value_problem(kind, value, path, line, vocab))
        elif key not in keys:
            keys.append(key)
    return keys


def unknown_value_problem(kind: str, value: str, path: str, line: int,
                          vocab: Vocabulary | None = None) -> Problem:
    vocab = vocab or load_vocabulary()
    near = vocab.suggest(kind, value)
    kth = KIND_TH[kind]
    if near is not None:
        return _problem(
            path, line,
            f"unknown {kind} '{value}'; did you mean {near.key} ({near.label_th})?",
            f"ไม่รู้จัก{kth} '{value}' — หมายถึง {near.key} ({near.label_th}) ใช่หรือไม่? "
            f"แก้บรรทัดนี้ให้เป็นรหัสที่ถูกต้อง",
        )
    example = next(iter(vocab.entries(kind)))
    return _problem(
        path, line,
        f"unknown {kind} '{value}'; use a key listed in data/vocabulary.yaml, e.g. {example}",
        f"ไม่รู้จัก{kth} '{value}' — ให้ใช้รหัสที่มีใน data/vocabulary.yaml เช่น {example}",
    )


def _participants(rf: ReportFile, path: str, problems: list[Problem]) -> int | None:
    raw = rf.get("participants")
    if raw is None or not raw.strip():
        return None
    text = thaidates.to_arabic_digits(raw.strip())
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", text):
        return int(text.replace(",", ""))
    problems.append(_problem(
        path, rf.line_of("participants"),
        f"Participants '{raw}' is not a whole number; write only the number of people, e.g. Participants: 120",
        f"Participants '{raw}' ไม่ใช่จำนวนเต็ม — ให้เขียนเฉพาะตัวเลขจำนวนคน เช่น Participants: 120",
    ))
    return None


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_FILE_SUFFIX = re.compile(r"\.(txt|html?|pdf|docx?|md|json|xml|csv)$", re.I)


def _source(rf: ReportFile, path: str, problems: list[Problem]) -> tuple[str | None, str | None]:
    """(link, label). A Source is the web address of the original report; a
    local file name (the scraper records the file a report was made from)
    is kept as a label and never linked. Anything that looks like a link but
    is not a usable http(s) one is a problem."""
    raw = rf.get("source")
    if raw is None or not raw.strip():
        return None, None
    value = raw.strip()
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc and not re.search(r"\s", value):
        return value, None
    head = value.split("/", 1)[0]
    drive = re.match(r"^[A-Za-z]:[\\/]", value) is not None   # C:\reports\x.txt
    looks_like_site = head.lower().startswith("www.") or (
        "." in head and not head.startswith(".") and not _FILE_SUFFIX.search(head)
        and re.fullmatch(r"[\w-]+(\.[\w-]+)*\.[A-Za-z]{2,24}", head) is not None)
    if (_SCHEME.match(value) and not drive) or looks_like_site:
        problems.append(_problem(
            path, rf.line_of("source"),
            f"Source '{raw}' is not a web address; write the full link starting with https:// or http://",
            f"Source '{raw}' ไม่ใช่ที่อยู่เว็บ — ให้ใส่ลิงก์เต็มที่ขึ้นต้นด้วย https:// หรือ http://",
        ))
        return None, None
    return None, value


def pelican_slug(text: str) -> str:
    """The slug Pelican itself makes from an ASCII file name."""
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import slugify

    return slugify(text, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def effective_slug(path: str, meta: dict) -> str:
    """The slug a report is published under: its Slug field, else its ASCII
    file name, else (Thai file names) date + first province + title hash."""
    if meta.get("slug"):
        return meta["slug"]
    stem = PurePath(path).stem
    if stem.isascii():
        slug = pelican_slug(stem)
        if slug:
            return slug
    return report_slug(as_date(meta.get("date")), meta.get("provinces") or [], meta.get("title") or "")


def validate_report(text: str, path: str, vocab: Vocabulary | None = None) -> CheckedReport:
    """Check one report file's text. Thai names and aliases are accepted in
    the facet fields and normalized to vocabulary keys."""
    vocab = vocab or load_vocabulary()
    path = str(path)
    rf = parse_report(text)
    problems: list[Problem] = []
    meta: dict = {}

    for name, f in rf.fields.items():
        if name not in KNOWN_FIELDS:
            close = difflib.get_close_matches(name, sorted(KNOWN_FIELDS), n=1, cutoff=0.6)
            hint_en = f"did you mean {close[0].capitalize()}?" if close else \
                f"the fields are {', '.join(FIELDS[:-1])}"
            hint_th = f"หมายถึง {close[0].capitalize()} ใช่หรือไม่?" if close else \
                f"ชื่อช่องที่ใช้ได้คือ {', '.join(FIELDS[:-1])}"
            problems.append(_problem(
                path, f.line,
                f"unknown field '{f.name}' (its value would be ignored); {hint_en}",
                f"ไม่รู้จักช่อง '{f.name}' (ค่าในบรรทัดนี้จะไม่ถูกใช้) — {hint_th}",
            ))

    title = (rf.get("title") or "").strip()
    if not title:
        problems.append(_problem(
            path, rf.line_of("title") if "title" in rf.fields else 1,
            "the report has no title; add a first line like: Title: <the report's headline>",
            "รายงานนี้ไม่มีชื่อเรื่อง — เพิ่มบรรทัดแรกแบบนี้: Title: <หัวข้อข่าว>",
        ))
    meta["title"] = title

    if "date" not in rf.fields or not (rf.get("date") or "").strip():
        problems.append(_problem(
            path, rf.line_of("date") if "date" in rf.fields else 1,
            "the report has no date; add a line like: Date: 2024-04-05 (the day the event took place)",
            "รายงานนี้ไม่มีวันที่ — เพิ่มบรรทัดแบบนี้: Date: 2024-04-05 (วันที่จัดกิจกรรม)",
        ))
    meta["date"] = _date_field(rf, "date", path, problems)
    meta["end_date"] = _date_field(rf, "end_date", path, problems)
    meta["published"] = _date_field(rf, "published", path, problems)
    if meta["date"] and meta["end_date"] and as_date(meta["end_date"]) < as_date(meta["date"]):
        problems.append(_problem(
            path, rf.line_of("end_date"),
            f"End_date {as_date(meta['end_date'])} is before Date {as_date(meta['date'])}; "
            f"End_date is the last day of the event",
            f"End_date {as_date(meta['end_date'])} มาก่อน Date {as_date(meta['date'])} — "
            f"End_date คือวันสุดท้ายของกิจกรรม ต้องไม่ก่อนวันเริ่ม",
        ))

    missing: set[str] = set()
    for kind in KINDS:
        keys = _facet(kind, rf, path, vocab, problems)
        if keys is None:
            missing.add(kind)
        meta[FACET_FIELDS[kind]] = keys or []

    meta["participants"] = _participants(rf, path, problems)
    meta["source"], meta["source_label"] = _source(rf, path, problems)
    meta["venue"] = (rf.get("venue") or "").strip() or None
    meta["summary"] = (rf.get("summary") or "").strip() or None
    meta["images"] = split_list(rf.get("images"))
    meta["lang"] = (rf.get("lang") or "").strip() or None

    status = (rf.get("status") or "").strip().lower()
    if status and status not in STATUSES:
        problems.append(_problem(
            path, rf.line_of("status"),
            f"Status '{rf.get('status')}' is not one of {', '.join(STATUSES)}; "
            f"leave it out to publish the report",
            f"Status '{rf.get('status')}' ใช้ไม่ได้ — ใช้ได้เฉพาะ {', '.join(STATUSES)} "
            f"(ถ้าต้องการเผยแพร่ ให้ลบบรรทัดนี้)",
        ))
    meta["status"] = status or "published"

    slug = (rf.get("slug") or "").strip()
    if slug and not _SLUG.match(slug):
        problems.append(_problem(
            path, rf.line_of("slug"),
            f"Slug '{slug}' must be lower-case English letters, digits and '-', "
            f"e.g. 2024-04-05-phitsanulok-1afdb7; or remove the line",
            f"Slug '{slug}' ต้องเป็นอักษรอังกฤษตัวเล็ก ตัวเลข และ '-' เท่านั้น "
            f"เช่น 2024-04-05-phitsanulok-1afdb7 หรือลบบรรทัดนี้ออก",
        ))
        slug = ""
    meta["slug"] = slug or None

    checked = CheckedReport(path=path, meta=meta, problems=problems, missing=missing, report=rf,
                            lines={n: f.line for n, f in rf.fields.items()})
    checked.slug = effective_slug(path, meta)
    return checked


def duplicate_slug_problems(reports: list[CheckedReport]) -> list[Problem]:
    """Two reports with the same slug would overwrite each other's page."""
    seen: dict[str, CheckedReport] = {}
    problems = []
    for r in sorted(reports, key=lambda r: r.path):
        other = seen.get(r.slug)
        if other is None:
            seen[r.slug] = r
            continue
        line = r.lines.get("slug", 1)
        problems.append(_problem(
            r.path, line,
            f"slug '{r.slug}' is already used by {other.path}; give one of them a different "
            f"Slug: line (or file name)",
            f"slug '{r.slug}' ซ้ำกับ {other.path} — เปลี่ยนบรรทัด Slug: (หรือชื่อไฟล์) ของไฟล์ใดไฟล์หนึ่ง",
        ))
    return problems


def _plain_body(markdown: str) -> str:
    """Body text for tagging: link targets and image paths name no place."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", markdown)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return re.sub(r"https?://\S+", " ", text)


def infer_facets(checked: CheckedReport) -> dict[str, list[str]]:
    """Keys the tagger proposes for each facet the contributor left out.
    Empty when the tagger is not available."""
    if not checked.missing:
        return {}
    try:
        from .tagging import tag_text
    except ImportError:
        return {}
    tags = tag_text(checked.meta.get("title") or "", _plain_body(checked.report.body))
    found = {"province": tags.provinces, "agency": tags.agencies, "program": tags.programs}
    return {kind: list(found[kind]) for kind in KINDS if kind in checked.missing}
