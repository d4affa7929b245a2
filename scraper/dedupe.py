"""Near-duplicate detection: the same event arriving from two sources (an
agency's page and a newspaper's copy of its press release) is published once.

Two reports are the same event when their dates agree (±1 day) and either
their headlines are nearly the same or most of the shorter body's character
5-grams occur in the other. Character n-grams suit Thai, which has no spaces
between words, and survive the small edits sites make to a press release."""
from __future__ import annotations

import datetime as dt
import re
import zlib
from dataclasses import dataclass

from rapidfuzz import fuzz

_NOISE = re.compile(r"[\s\"'“”‘’.,:;!?()\[\]\-–—…]+")
SHINGLE = 5
TITLE_SIMILAR = 88.0       # rapidfuzz ratio, 0–100
BODY_CONTAINED = 0.6       # share of the shorter body's shingles found in the other
BODY_SAME_ANY_DATE = 0.85  # this much overlap is a copy whatever the dates say


@dataclass(frozen=True)
class Signature:
    date: dt.date | None
    title: str
    shingles: frozenset[int]


def _squash(text: str) -> str:
    return _NOISE.sub("", text).casefold()


def signature(title: str, date: dt.date | None, body: str) -> Signature:
    flat = _squash(body)
    grams = {zlib.crc32(flat[i:i + SHINGLE].encode("utf-8")) for i in range(max(0, len(flat) - SHINGLE + 1))}
    return Signature(date, _squash(title), frozenset(grams))


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & big) / len(small)


def same_event(a: Signature, b: Signature) -> bool:
    body = containment(a.shingles, b.shingles)
    if body >= BODY_SAME_ANY_DATE:
        return True
    if a.date is None or b.date is None or abs((a.date - b.date).days) > 1:
        return False
    return fuzz.ratio(a.title, b.title) >= TITLE_SIMILAR or body >= BODY_CONTAINED


class DuplicateIndex:
    """Signatures seen so far, each with a label (a path or a source)."""

    def __init__(self):
        self._items: list[tuple[str, Signature]] = []

    def add(self, label: str, sig: Signature) -> None:
        self._items.append((label, sig))

    def find(self, sig: Signature, *, ignore: str | None = None) -> str | None:
        for label, other in self._items:
            if label != ignore and same_event(sig, other):
                return label
        return None
