"""The record the scraper extracts from one report, and the errors it raises."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field


class ScraperError(Exception):
    """Base class: an input the scraper could not turn into a report."""


class NotAReport(ScraperError):
    """The input is not an event report (empty, binary, no Thai text, no date).
    `reason` is one short line meant for people."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Record:
    source: str
    title: str
    body: str
    date: dt.date | None = None
    end_date: dt.date | None = None
    published: dt.date | None = None
    provinces: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    participants: int | None = None
    venue: str | None = None
    summary: str = ""
    images: tuple[str, ...] = field(default_factory=tuple)
    lang: str = "th"

    def __post_init__(self):
        # The checks that make "a valid Record" mean something to callers
        # (and to the property tests).
        if not isinstance(self.title, str) or not self.title.strip():
            raise ValueError("record without a title")
        if "\n" in self.title:
            raise ValueError("title spans lines")
        if self.end_date and (not self.date or self.end_date < self.date):
            raise ValueError("end_date before date")
        if self.participants is not None and self.participants <= 0:
            raise ValueError("participants must be positive")

    def to_json(self) -> dict:
        """JSON-ready dict, keys in a reader's order: dates ISO or None,
        lists as lists."""
        d = asdict(self)
        for k in ("date", "end_date", "published"):
            d[k] = d[k].isoformat() if d[k] else None
        for k in ("provinces", "agencies", "programs", "images"):
            d[k] = list(d[k])
        order = ("source", "title", "date", "end_date", "published", "provinces", "agencies", "programs",
                 "participants", "venue", "summary", "images", "lang", "body")
        return {k: d[k] for k in order}
