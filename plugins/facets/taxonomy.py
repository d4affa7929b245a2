"""Provinces, agencies and programs as Pelican URL wrappers.

The class names make Pelican's URL settings follow the usual pattern:
PROVINCE_URL / PROVINCE_SAVE_AS, AGENCY_URL, PROGRAM_SAVE_AS, ..."""
from __future__ import annotations

from pelican.urlwrappers import URLWrapper

from thaireports.vocabulary import Entry, Region

DEFAULTS = {
    "PROVINCE_URL": "province/{slug}/",
    "PROVINCE_SAVE_AS": "province/{slug}/index.html",
    "PROVINCES_URL": "provinces/",
    "PROVINCES_SAVE_AS": "provinces/index.html",
    "AGENCY_URL": "agency/{slug}/",
    "AGENCY_SAVE_AS": "agency/{slug}/index.html",
    "AGENCIES_URL": "agencies/",
    "AGENCIES_SAVE_AS": "agencies/index.html",
    "PROGRAM_URL": "program/{slug}/",
    "PROGRAM_SAVE_AS": "program/{slug}/index.html",
    "PROGRAMS_URL": "programs/",
    "PROGRAMS_SAVE_AS": "programs/index.html",
    # Feeds are off unless a settings file turns them on (publishconf.py does).
    "PROVINCE_FEED_ATOM": None,
    "AGENCY_FEED_ATOM": None,
    "PROGRAM_FEED_ATOM": None,
    "FACETS_RELATED_COUNT": 5,
}


class Facet(URLWrapper):
    """One vocabulary entry as a page of the site. `name` is the Thai name;
    the slug is the vocabulary key, never a slugified Thai name."""

    kind = ""
    plural = ""

    def __init__(self, entry: Entry, settings, region: Region | None = None):
        super().__init__(entry.th, settings)
        self.slug = entry.key
        self.entry = entry
        self.key = entry.key
        self.name_en = entry.en
        self.label = entry.label_th
        self.label_en = entry.label_en
        self.region = region
        self.articles: list = []          # published reports, newest first
        self.inferred_paths: set[str] = set()   # reports tagged from their text

    @property
    def count(self) -> int:
        return len(self.articles)

    def is_inferred_for(self, article) -> bool:
        return article.source_path in self.inferred_paths

    @property
    def feed_path(self) -> str | None:
        pattern = self.settings.get(f"{type(self).__name__.upper()}_FEED_ATOM")
        return str(pattern).format(slug=self.slug) if pattern else None

    def as_dict(self):
        # Only what URL patterns may use; the article list would be copied into
        # every format() call otherwise.
        return {"slug": self.slug, "name": self.name, "key": self.key}


class Province(Facet):
    kind = "province"
    plural = "provinces"


class Agency(Facet):
    kind = "agency"
    plural = "agencies"


class Program(Facet):
    kind = "program"
    plural = "programs"


CLASSES = {"province": Province, "agency": Agency, "program": Program}
