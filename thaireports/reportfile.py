"""The archive's Markdown report format: a Pelican metadata header, a blank
line, the body. Reading keeps line numbers so every error can point at one.

Field order and names are fixed here so that the scraper, `invoke new` and the
tests all write the same files."""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

# The order fields are written in; Pelican lower-cases the names when reading.
FIELDS = (
    "Title", "Date", "End_date", "Published", "Provinces", "Agencies", "Programs",
    "Participants", "Venue", "Source", "Summary", "Images", "Lang", "Slug", "Status",
    "Fingerprint",
)
LIST_FIELDS = {"provinces", "agencies", "programs", "images"}
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):[ \t]*(.*)$")


@dataclass(frozen=True)
class Field:
    name: str        # lower-case, as Pelican sees it
    value: str
    line: int        # 1-based line number in the file


@dataclass(frozen=True)
class ReportFile:
    fields: dict[str, Field]
    body: str
    body_line: int   # 1-based line where the body starts

    def get(self, name: str, default: str | None = None) -> str | None:
        f = self.fields.get(name.lower())
        return f.value if f else default

    def line_of(self, name: str) -> int:
        f = self.fields.get(name.lower())
        return f.line if f else 1


def split_list(value: str | None) -> list[str]:
    """Metadata lists are comma-separated; Thai and full-width commas count too."""
    if not value:
        return []
    return [v.strip() for v in re.split(r"[,،，、;]", value) if v.strip()]


def parse_report(text: str) -> ReportFile:
    """Split a report into its header fields (with line numbers) and body, the
    way Python-Markdown's meta extension does: the header is every `Key: value`
    line from the top up to the first blank line, and indented lines continue
    the previous value."""
    lines = text.splitlines()
    fields: dict[str, Field] = {}
    last: str | None = None
    i = 0
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            break
        m = _HEADER_LINE.match(line)
        if m:
            last = m.group(1).lower()
            fields[last] = Field(last, m.group(2).strip(), i + 1)
        elif last and line[:1] in (" ", "\t"):
            prev = fields[last]
            fields[last] = Field(last, (prev.value + " " + line.strip()).strip(), prev.line)
        else:
            break
        i += 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    return ReportFile(fields=fields, body="\n".join(lines[i:]).strip("\n"), body_line=i + 1)


def _one_line(value) -> str:
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    return re.sub(r"\s+", " ", str(value)).strip()


def fingerprint(text: str) -> str:
    """Hash of a report's text without its own Fingerprint line: a file whose
    text no longer matches its fingerprint was edited by hand."""
    kept = [ln for ln in text.splitlines() if not ln.startswith("Fingerprint:")]
    return hashlib.sha256("\n".join(kept).encode("utf-8")).hexdigest()[:16]


def render_report(meta: dict, body: str, *, with_fingerprint: bool = False) -> str:
    """Markdown text for a report. Empty values are left out; the body is
    separated from the header by a blank line, so nothing in the body can be
    read as metadata."""
    out = []
    for name in FIELDS:
        if name == "Fingerprint":
            continue
        value = meta.get(name, meta.get(name.lower()))
        if value is None or value == "" or value == []:
            continue
        out.append(f"{name}: {_one_line(value)}")
    text = "\n".join(out) + "\n\n" + body.strip("\n") + "\n"
    if with_fingerprint:
        head, rest = text.split("\n\n", 1)
        text = f"{head}\nFingerprint: {fingerprint(text)}\n\n{rest}"
    return text


def was_edited_by_hand(text: str) -> bool:
    """True when a generated report no longer matches the fingerprint it was
    written with (or carries none, i.e. a person wrote it)."""
    m = re.search(r"^Fingerprint:\s*(\S+)", text, re.M)
    return not m or m.group(1) != fingerprint(text)


def atomic_write(path: Path | str, text: str, *, fsync: bool = True) -> None:
    """Write via a temporary file in the same folder and rename over the
    target, so a crash leaves either the old file or the new one, never half."""
    atomic_write_bytes(path, text.encode("utf-8"), fsync=fsync)


def atomic_write_bytes(path: Path | str, data: bytes, *, fsync: bool = True) -> None:
    """atomic_write for bytes. The temporary name starts with "." and ends in
    ".tmp", so Pelican and the scraper never take a leftover for a report.
    Build outputs and caches that can be regenerated pass fsync=False: the
    rename alone keeps them whole, and thousands of fsyncs would slow builds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
