"""`python -m scraper score CASES_DIR`: how well `extract` reads a folder of
`NNN.txt` + `NNN.json` gold pairs (the format of the shared corpus).

- provinces, agencies, programs: precision / recall / F1 over the sets,
  micro-averaged over all cases;
- date, participants: accuracy over all cases (null must be predicted null);
- title: match rate. Both titles are normalized (NFC, quotes unified,
  whitespace collapsed, case folded) and compared with rapidfuzz's
  `fuzz.ratio`; a title matches when the similarity is at least 80 (of 100).
  Pages without a headline have a headline written by the annotator, so the
  extracted title is compared both whole and as its best-matching stretch
  (`fuzz.partial_ratio`, counted only when the shorter title is at least
  three fifths of the longer, so a fragment cannot match a headline).
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from .extract import extract
from .record import ScraperError

SET_FIELDS = ("provinces", "agencies", "programs")
TITLE_THRESHOLD = 80.0
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def normalize_title(text: str | None) -> str:
    text = unicodedata.normalize("NFC", text or "").translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip().casefold()


def title_similarity(a: str | None, b: str | None) -> float:
    a, b = normalize_title(a), normalize_title(b)
    if not a or not b:
        return 0.0
    score = fuzz.ratio(a, b)
    short, long_ = sorted((a, b), key=len)
    if len(short) * 5 >= len(long_) * 3:
        score = max(score, fuzz.partial_ratio(short, long_))
    return float(score)


@dataclass
class SetScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, pred, gold):
        p, g = set(pred or ()), set(gold or ())
        self.tp += len(p & g)
        self.fp += len(p - g)
        self.fn += len(g - p)

    @property
    def precision(self):
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self):
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self):
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Case:
    name: str
    errors: list[str] = field(default_factory=list)


@dataclass
class Report:
    cases: int = 0
    sets: dict = field(default_factory=lambda: {k: SetScore() for k in SET_FIELDS})
    date_ok: int = 0
    participants_ok: int = 0
    title_ok: int = 0
    title_sim_total: float = 0.0
    failures: list[Case] = field(default_factory=list)

    @property
    def date_accuracy(self):
        return self.date_ok / self.cases if self.cases else 0.0

    @property
    def participants_accuracy(self):
        return self.participants_ok / self.cases if self.cases else 0.0

    @property
    def title_match(self):
        return self.title_ok / self.cases if self.cases else 0.0

    def table(self) -> str:
        rows = ["| field | precision | recall | F1 / accuracy |", "|---|---|---|---|"]
        for k in SET_FIELDS:
            s = self.sets[k]
            rows.append(f"| {k} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |")
        rows.append(f"| date | | | {self.date_accuracy:.3f} ({self.date_ok}/{self.cases}) |")
        rows.append(f"| participants | | | {self.participants_accuracy:.3f} ({self.participants_ok}/{self.cases}) |")
        rows.append(f"| title (match ≥ {TITLE_THRESHOLD:.0f}) | | | {self.title_match:.3f} ({self.title_ok}/{self.cases}), "
                    f"mean similarity {self.title_sim_total / max(self.cases, 1):.1f} |")
        return "\n".join(rows)


def score_dir(folder: Path | str) -> Report:
    folder = Path(folder)
    report = Report()
    for gold_path in sorted(folder.glob("*.json")):
        txt = gold_path.with_suffix(".txt")
        if not txt.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        case = Case(gold_path.stem)
        report.cases += 1
        try:
            rec = extract(txt.read_text(encoding="utf-8"), str(txt), require_date=False).to_json()
        except ScraperError as exc:
            rec = {"title": None, "date": None, "participants": None}
            case.errors.append(f"not extracted: {exc}")
        for k in SET_FIELDS:
            report.sets[k].add(rec.get(k), gold.get(k))
            missing = set(gold.get(k) or ()) - set(rec.get(k) or ())
            extra = set(rec.get(k) or ()) - set(gold.get(k) or ())
            if missing or extra:
                case.errors.append(f"{k}: missing {sorted(missing)} extra {sorted(extra)}")
        if rec.get("date") == gold.get("date"):
            report.date_ok += 1
        else:
            case.errors.append(f"date: got {rec.get('date')} want {gold.get('date')}")
        if rec.get("participants") == gold.get("participants"):
            report.participants_ok += 1
        else:
            case.errors.append(f"participants: got {rec.get('participants')} want {gold.get('participants')}")
        sim = title_similarity(rec.get("title"), gold.get("title"))
        report.title_sim_total += sim
        if sim >= TITLE_THRESHOLD:
            report.title_ok += 1
        else:
            case.errors.append(f"title ({sim:.0f}): got {rec.get('title')!r} want {gold.get('title')!r}")
        if case.errors:
            report.failures.append(case)
    return report


def main(folder: str, worst: int = 10) -> int:
    report = score_dir(folder)
    if not report.cases:
        print(f"{folder}: no NNN.txt + NNN.json pairs found")
        return 2
    print(f"{report.cases} cases in {folder}\n")
    print(report.table())
    if report.failures:
        print(f"\nworst cases ({min(worst, len(report.failures))} of {len(report.failures)} with errors):")
        for case in sorted(report.failures, key=lambda c: -len(c.errors))[:worst]:
            print(f"  {case.name}:")
            for e in case.errors:
                print(f"    - {e}")
    return 0
