"""`invoke new`: start a report file with every metadata field, from
options or by asking (when a person is at the terminal)."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from .reportfile import FIELDS, atomic_write, render_report, split_list
from .slugs import report_path, report_slug
from .validation import KIND_TH, as_date, parse_date
from .vocabulary import Vocabulary, load_vocabulary

BODY = ("<!-- เขียนเนื้อหารายงานที่นี่: ใคร ทำอะไร ที่ไหน เมื่อไร ผลเป็นอย่างไร\n"
        "     Write the report here: who did what, where, when, and what came of it. -->\n")
# Fields the contributor fills in later are still written, empty, so the
# file shows everything a report can say.
SCAFFOLD_FIELDS = [f for f in FIELDS if f != "Fingerprint"]


class ScaffoldError(ValueError):
    """A value given to `invoke new` that cannot be used (message in English and Thai)."""


def resolve_list(kind: str, value: str, vocab: Vocabulary) -> list[str]:
    keys = []
    for item in split_list(value):
        key = vocab.resolve(kind, item)
        if key is None:
            near = vocab.suggest(kind, item)
            hint_en = f"; did you mean {near.key} ({near.label_th})?" if near else ""
            hint_th = f" — หมายถึง {near.key} ({near.label_th}) ใช่หรือไม่?" if near else ""
            raise ScaffoldError(f"unknown {kind} '{item}'{hint_en}\nไม่รู้จัก{KIND_TH[kind]} '{item}'{hint_th}")
        if key not in keys:
            keys.append(key)
    return keys


def read_date(value: str) -> dt.date:
    try:
        return as_date(parse_date(value))
    except ValueError:
        raise ScaffoldError(f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2024-04-05\n"
                            f"'{value}' ไม่ใช่วันที่ — ให้เขียนเป็น ปี(ค.ศ.)-เดือน-วัน เช่น 2024-04-05") from None


def scaffold_text(title: str, date: dt.date, provinces: list[str], agencies: list[str],
                  programs: list[str]) -> tuple[str, str]:
    """(slug, file text) for a new report."""
    slug = report_slug(date, provinces, title)
    meta = {"Title": title, "Date": date.isoformat(), "Provinces": provinces,
            "Agencies": agencies, "Programs": programs, "Lang": "th", "Slug": slug,
            "Status": "draft"}
    text = render_report(meta, BODY)
    head, body = text.split("\n\n", 1)
    given = {line.split(":", 1)[0]: line for line in head.splitlines()}
    head = "\n".join(given.get(name, f"{name}:") for name in SCAFFOLD_FIELDS)
    return slug, f"{head}\n\n{body}"


def create_report(folder: Path | str, title: str, date: dt.date, provinces: list[str],
                  agencies: list[str], programs: list[str]) -> Path:
    slug, text = scaffold_text(title, date, provinces, agencies, programs)
    path = Path(folder) / report_path(date, slug)
    if path.exists():
        raise ScaffoldError(f"{path} already exists; it was not changed. Use another title or edit that file.\n"
                            f"มีไฟล์ {path} อยู่แล้ว จึงไม่ได้เขียนทับ — ใช้ชื่อเรื่องอื่น หรือแก้ไขไฟล์นั้นแทน")
    atomic_write(path, text)
    return path


def _ask(prompt: str, convert, default: str = "", required: bool = False):
    while True:
        raw = input(f"{prompt}{f' [{default}]' if default else ''}: ").strip() or default
        if not raw and required:
            print("  จำเป็นต้องกรอก / required")
            continue
        try:
            return convert(raw)
        except ScaffoldError as exc:
            print(f"  {exc}")


def new_report(folder: Path | str, title: str = "", date: str = "", province: str = "",
               agencies: str = "", programs: str = "", interactive: bool | None = None,
               out=None) -> int:
    """The `invoke new` task; returns the exit status."""
    out = out or sys.stdout
    vocab = load_vocabulary()
    if interactive is None:
        interactive = sys.stdin.isatty()
    today = dt.datetime.now(ZoneInfo("Asia/Bangkok")).date().isoformat()
    try:
        if interactive:
            title = title or _ask("ชื่อเรื่อง / Title", str, required=True)
            day = read_date(date) if date else _ask("วันที่จัดกิจกรรม / Date (YYYY-MM-DD)", read_date, today)
            provs = resolve_list("province", province, vocab) if province else _ask(
                "จังหวัด / Provinces (e.g. phitsanulok, เพชรบูรณ์)", lambda v: resolve_list("province", v, vocab))
            agcs = resolve_list("agency", agencies, vocab) if agencies else _ask(
                "หน่วยงาน / Agencies (e.g. nacc, พอช.)", lambda v: resolve_list("agency", v, vocab))
            progs = resolve_list("program", programs, vocab) if programs else _ask(
                "โครงการ / Programs (e.g. community-charter)", lambda v: resolve_list("program", v, vocab))
        else:
            if not title.strip():
                raise ScaffoldError("give the report's title: invoke new --title \"...\" --date 2024-04-05\n"
                                    "ต้องระบุชื่อเรื่อง: invoke new --title \"...\" --date 2024-04-05")
            day = read_date(date or today)
            provs = resolve_list("province", province, vocab)
            agcs = resolve_list("agency", agencies, vocab)
            progs = resolve_list("program", programs, vocab)
        path = create_report(folder, title.strip(), day, provs, agcs, progs)
    except ScaffoldError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"Created {path} (Status: draft; set it to published when the report is ready)\n"
          f"สร้างไฟล์ {path} แล้ว (สถานะ draft — เปลี่ยนเป็น published เมื่อพร้อมเผยแพร่)", file=out)
    return 0
