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

    def render_fingerprint(self) -> dict:
        """What a page can show of this facet, for the render cache: its own
        fields, and its reports by path and order only. Pages show reports
        through the lists they are given (a listing page's reports, related
        reports), which count in full; counting them here in full too made
        a text edit re-render every page of the report's provinces, agencies
        and programs (some 60 pages each at 5,000 reports). A template that
        showed a report's text through `facet.articles` would need them
        counted in full here."""
        state = {k: v for k, v in vars(self).items() if k not in ("articles", "settings")}
        state["articles"] = [str(getattr(a, "source_path", "")) for a in self.articles]
        return state

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
