"""`python -m scraper normalize INPUT... --out content/reports`: one Markdown
report per input, written atomically, never over a report someone edited by
hand, never twice for the same event.

Idempotent: a report carries a fingerprint of its own text; re-running with
the same input (or a better tagger) rewrites generated files in place and
leaves identical ones untouched. A report keeps its path once written, found
again through its Source line, so its URL does not move."""
from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from thaireports.reportfile import atomic_write, parse_report, render_report, was_edited_by_hand
from thaireports.slugs import report_path, report_slug
from thaireports.thaidates import parse_date_value

from .dedupe import DuplicateIndex, signature
from .load import is_url, load_record
from .record import Record, ScraperError


@dataclass
class Outcome:
    source: str
    status: str          # written | updated | unchanged | skipped | failed
    path: str | None = None
    reason: str = ""
    notes: list[str] = field(default_factory=list)   # e.g. images left out


@dataclass
class Result:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def counts(self) -> Counter:
        return Counter(o.status for o in self.outcomes)

    def summary_line(self) -> str:
        c = self.counts()
        reasons = Counter(o.reason.split(":")[0] for o in self.outcomes if o.status in ("skipped", "failed"))
        why = ", ".join(f"{n} {r}" for r, n in reasons.most_common())
        return (f"written {c['written'] + c['updated']} (new {c['written']}, updated {c['updated']}), "
                f"unchanged {c['unchanged']}, skipped {c['skipped'] + c['failed']}"
                + (f" ({why})" if why else ""))

    def detail_lines(self) -> list[str]:
        lines = [f"{o.source}: {o.status}: {o.reason}" for o in self.outcomes
                 if o.status in ("skipped", "failed")]
        return lines + [f"{o.source}: note: {n}" for o in self.outcomes for n in o.notes]


def report_meta(rec: Record, images: list[str] | None = None) -> dict:
    """The report header for a record (reportfile.FIELDS names)."""
    date = rec.date or rec.published
    slug = report_slug(date, rec.provinces, rec.title)
    return {
        "Title": rec.title,
        "Date": date.isoformat() if date else None,
        "End_date": rec.end_date.isoformat() if rec.end_date else None,
        "Published": rec.published.isoformat() if rec.published and rec.published != date else None,
        "Provinces": list(rec.provinces),
        "Agencies": list(rec.agencies),
        "Programs": list(rec.programs),
        "Participants": rec.participants,
        "Venue": rec.venue,
        "Source": rec.source,
        "Summary": rec.summary,
        "Images": images or [],
        "Lang": rec.lang,
        "Slug": slug,
    }


def _existing(out_dir: Path) -> tuple[dict[str, Path], DuplicateIndex]:
    """Reports already in the archive: by Source, and their signatures."""
    by_source: dict[str, Path] = {}
    index = DuplicateIndex()
    for path in sorted(out_dir.rglob("*.md")):
        try:
            rf = parse_report(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        src = rf.get("source")
        if src:
            by_source.setdefault(src, path)
        index.add(str(path), signature(rf.get("title") or "", parse_date_value(rf.get("date")), rf.body))
    return by_source, index


def _store_images(rec: Record, slug: str, content_dir: Path, *, cache_dir=None,
                  allow_loopback: bool = False, problems: list[str]) -> list[str]:
    """The record's photos copied under content/images/<slug>/ (by
    scraper/images.py); what it leaves out is reported, not fatal."""
    if not rec.images:
        return []
    try:
        from .images import store_images
    except ImportError:
        return []
    base = rec.source if is_url(rec.source) else str(Path(rec.source).parent)
    return list(store_images(list(rec.images), slug, content_dir, base=base, cache_dir=cache_dir,
                             allow_loopback=allow_loopback, problems=problems))


def _failure_types():
    try:
        from .fetch import FetchError
    except ImportError:
        return (ScraperError,)
    return (ScraperError, FetchError)


def normalize(inputs: list[str], out_dir: Path | str, *, cache_dir=None, allow_loopback: bool = False,
              progress: bool = True) -> Result:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    by_source, index = _existing(out_dir)
    result = Result()
    failures = _failure_types()
    bar = None
    items = inputs
    if progress and len(inputs) > 1:
        from tqdm import tqdm
        bar = tqdm(inputs, desc="normalize", unit="report", file=sys.stderr, leave=False)
        items = bar
    for spec in items:
        try:
            rec = load_record(spec, cache_dir=cache_dir, allow_loopback=allow_loopback)
        except failures as exc:
            result.outcomes.append(Outcome(spec, "failed", reason=getattr(exc, "reason", None) or str(exc)))
            continue
        source = rec.source
        existing = by_source.get(source)
        sig = signature(rec.title, rec.date or rec.published, rec.body)
        dup = index.find(sig, ignore=str(existing) if existing else None)
        if dup:
            result.outcomes.append(Outcome(spec, "skipped", reason=f"near-duplicate of {dup}"))
            continue
        meta = report_meta(rec)
        path = existing or out_dir / report_path(rec.date or rec.published, meta["Slug"])
        meta["Slug"] = path.stem
        notes: list[str] = []
        meta["Images"] = _store_images(rec, path.stem, out_dir.parent, cache_dir=cache_dir,
                                       allow_loopback=allow_loopback, problems=notes)
        text = render_report(meta, rec.body, with_fingerprint=True)
        status = "written"
        if path.exists():
            old = path.read_text(encoding="utf-8")
            if old == text:
                result.outcomes.append(Outcome(spec, "unchanged", str(path), notes=notes))
                index.add(str(path), sig)
                continue
            if was_edited_by_hand(old):
                result.outcomes.append(Outcome(spec, "skipped", str(path),
                                               f"edited by hand: {path} was changed since it was generated; "
                                               f"left as it is"))
                continue
            status = "updated"
        atomic_write(path, text)
        by_source[source] = path
        index.add(str(path), sig)
        result.outcomes.append(Outcome(spec, status, str(path), notes=notes))
    if bar is not None:
        bar.close()
    return result
