"""Provinces, agencies and programs as first-class parts of the site.

- Before any report is read, every file under the reports folder is validated
  with thaireports.validation (the same code as `invoke check`); any problem
  stops the build with `path:line:` messages in English and Thai.
- Each report gets its facets (vocabulary entries; inferred from the text by
  thaireports.tagging when a field is left out), dates, participants, venue,
  source and related reports as attributes for the templates.
- FacetsGenerator writes a paginated page and an Atom feed per province, agency
  and program, and the three index pages.
- After writing, the number of report files must equal the number of report
  pages written; a report Pelican dropped fails the build by name.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from pathlib import Path

from pelican import readers, signals
from pelican.contents import Article
from pelican.urlwrappers import Category

from thaireports.checking import (check_file, check_tree, display_path, forget_real_paths, real_path,
                                  relative_path)
from thaireports.problems import Problem
from thaireports.thaidates import format_be_range
from thaireports.validation import as_date, infer_facets, parse_date
from thaireports.vocabulary import load_vocabulary

from .generator import FacetsGenerator
from .taxonomy import CLASSES, DEFAULTS

logger = logging.getLogger(__name__)


class BuildStopped(Exception):
    """Reports that cannot be published; the problems are printed above."""

    exitcode = 1


class _State:
    """What one build learns about its reports (reset for every build, so
    `pelican -r` starts clean each time)."""

    def __init__(self):
        self.checked = {}          # absolute source path → CheckedReport
        self.sources = []          # every file under the reports folder
        self.problems: list[Problem] = []
        self.facets = {}           # (kind, key) → Facet
        self.written: set[str] = set()
        self.real: dict[str, str] = {}   # Pelican's source path → real path
        self.kept: set[str] = set()      # real paths of reports Pelican kept unchanged
        self.article_generator = None
        self.facet_generator = None


STATE = _State()


def report_problems(problems: list[Problem], what: str) -> BaseException:
    """Print problems plainly (no log formatting, so paths are never wrapped)
    and return the exception that stops the build."""
    out = sys.stderr
    out.write("\n")
    for p in problems:
        out.write(f"{p}\n")
    n = len(problems)
    out.write(f"\n{n} problem(s) {what}; fix them and build again.\n"
              f"พบปัญหา {n} รายการ — แก้ไขตามข้อความด้านบนแล้วสร้างเว็บไซต์ใหม่\n\n")
    out.flush()
    if not {"-r", "--autoreload"} & set(sys.argv):
        # A one-off build ends here with exit code 1: the problems above are
        # all a contributor needs, not a Python traceback after them.
        return SystemExit(1)
    # Under `pelican -r` the build must fail without ending the reloader.
    return BuildStopped(f"{n} problem(s) {what} (listed above)")


def facet_for(kind: str, key: str, settings):
    facet = STATE.facets.get((kind, key))
    if facet is None:
        vocab = load_vocabulary()
        entry = vocab.entries(kind)[key]
        region = vocab.regions.get(entry.region) if entry.region else None
        facet = CLASSES[kind](entry, settings, region)
        STATE.facets[(kind, key)] = facet
    return facet


# --- signal handlers ---------------------------------------------------------

def initialized(pelican):
    settings = pelican.settings
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)
    paginated = settings.setdefault("PAGINATED_TEMPLATES", {})
    for template in ("province", "agency", "program"):
        paginated.setdefault(template, None)
    settings.setdefault("JINJA_GLOBALS", {})["vocabulary"] = load_vocabulary()


def validate_all(generator):
    """article_generator_init: validate every report before Pelican reads
    any, so problems come out with their line numbers instead of as a
    Pelican traceback or a silently skipped file."""
    global STATE
    STATE = _State()
    forget_real_paths()
    settings = generator.settings
    folders = [os.path.join(generator.path, p) for p in settings["ARTICLE_PATHS"]]

    def known(path):
        # A report Pelican kept from an earlier build (same file, same code
        # and settings: see the prefetch plugin) passed this check then.
        kept = generator.get_cached_data(relative_path(path, generator.path), None)
        seen = getattr(kept, "_facets_check", None)
        if seen is not None:
            STATE.kept.add(real_path(path))
        return seen

    result = check_tree(folders, exclude=tuple(settings.get("ARTICLE_EXCLUDES") or ()),
                        known=known)
    STATE.sources = result.sources
    STATE.checked = result.by_path
    STATE.problems = result.problems
    if result.problems:
        raise report_problems(result.problems, "in the reports")


def content_init(content):
    """content_object_init: turn a report's metadata into the attributes
    templates and other plugins use: provinces/agencies/programs (facet
    objects), inferred, start_date, end_date, published, participants,
    venue, source, source_label, date_be, date_iso; `related` is filled in
    by FacetsGenerator once every report is read."""
    if not isinstance(content, Article):
        return
    path = STATE.real[content.source_path] = real_path(content.source_path)
    checked = STATE.checked.get(path)
    if checked is None and path in STATE.kept:
        _attach(content)
        return
    if checked is None:
        # A report Pelican reads that the pre-build pass did not see (a
        # plugin-added path): validate it now and fail at the end if bad.
        checked, problems = check_file(Path(path))
        STATE.problems += problems
        if checked is None:
            return
        STATE.checked[path] = checked
    if checked.problems:
        return
    meta = checked.meta
    settings = content.settings
    if not hasattr(content, "category"):
        # With CATEGORY_SAVE_AS off Pelican gives reports no category, yet its
        # draft writer reads draft.category: one fixed category keeps drafts
        # buildable (no category page is written).
        content.category = Category("reports", settings)
        content.category.slug = "reports"

    inferred_keys = infer_facets(checked)
    content.inferred = {kind for kind, keys in inferred_keys.items() if keys}
    for kind, field in (("province", "provinces"), ("agency", "agencies"), ("program", "programs")):
        keys = meta[field] if kind not in checked.missing else inferred_keys.get(kind, [])
        facets = [facet_for(kind, k, settings) for k in keys]
        setattr(content, field, facets)
    content.end_date = as_date(meta["end_date"])
    content.published = as_date(meta["published"])
    content.participants = meta["participants"]
    content.venue = meta["venue"]
    content.source = meta["source"]
    content.source_label = meta["source_label"]
    content.related = []
    start = as_date(content.date) if hasattr(content, "date") else as_date(meta["date"])
    content.start_date = start
    content.date_be = format_be_range(start, content.end_date)
    content.date_iso = start.isoformat() + (
        f" – {content.end_date.isoformat()}" if content.end_date and content.end_date != start else "")
    if not meta.get("slug") and not os.path.splitext(os.path.basename(path))[0].isascii():
        content.slug = checked.slug
    # Kept with the content object, for validate_all's next run.
    content._facets_check = (checked.slug, checked.lines.get("slug", 1))


def _attach(content):
    """A content object kept from an earlier build holds everything
    content_init set, but facet objects of that build: attach this build's."""
    settings = content.settings
    for kind, field in (("province", "provinces"), ("agency", "agencies"), ("program", "programs")):
        setattr(content, field, [facet_for(kind, f.key, settings) for f in getattr(content, field)])
    content.related = []


def remember_generator(generator):
    STATE.article_generator = generator
    if STATE.problems:
        raise report_problems(STATE.problems, "in the reports")
    skip_unwritten_listings(generator)


def skip_unwritten_listings(generator):
    """No category or author page or feed is written (their settings are
    empty), yet Pelican still builds a date-sorted list for each one by
    testing every report against a list: with every report in one category
    and by one author that is quadratic, ~0.5 s each at 5,000 reports and
    ~10 s each at 20,000. The generator's own lists only feed those pages and
    feeds; the context keeps its copy for templates."""
    settings = generator.settings
    for name, keys in (("categories", ("CATEGORY_SAVE_AS", "CATEGORY_FEED_ATOM",
                                       "CATEGORY_FEED_RSS")),
                       ("authors", ("AUTHOR_SAVE_AS", "AUTHOR_FEED_ATOM", "AUTHOR_FEED_RSS"))):
        if not any(settings.get(k) for k in keys):
            setattr(generator, name, [])


def remember_written(path, context=None):
    article = (context or {}).get("article")
    if isinstance(article, Article):
        # By source path: content_init resolved its real path once (STATE.real).
        STATE.written.add(article.source_path)


def count_pages(pelican):
    """finalized: as many report pages out as report files in."""
    gen = STATE.article_generator
    if gen is None:
        return
    settings = pelican.settings

    def real(p):
        return STATE.real.get(p) or real_path(p)

    unpublished = set()
    if not settings.get("DRAFT_SAVE_AS"):
        unpublished |= {real(a.source_path) for a in gen.drafts + gen.drafts_translations}
    expected = [p for p in STATE.sources if not unpublished or real_path(p) not in unpublished]
    written = {real(p) for p in STATE.written}
    # Sources are listed below the real reports folder: most need no lookup.
    lost = [p for p in expected if str(p) not in written and real_path(p) not in written]
    logger.info("facets: %d report files, %d report pages written", len(STATE.sources), len(written))
    if lost:
        problems = [Problem(
            display_path(p), 1,
            "this report was not published: no page was written for it (see Pelican's message above)",
            "รายงานนี้ไม่ได้ถูกเผยแพร่: ไม่มีหน้าเว็บถูกสร้างจากไฟล์นี้ (ดูข้อความของ Pelican ด้านบน)",
        ) for p in lost]
        raise report_problems(problems, f"— {len(lost)} of {len(expected)} reports were lost")


def _date_processor(original):
    def process(value, settings):
        # Thai and "YYYY-MM-DD HH:MM" dates are read the way validation reads them.
        try:
            d = parse_date(value)
        except ValueError:
            return original(value, settings)
        return d if isinstance(d, dt.datetime) else dt.datetime.combine(d, dt.time())
    process.facets_wrapped = True
    return process


def get_generators(pelican):
    return FacetsGenerator


def register():
    if not getattr(readers.METADATA_PROCESSORS["date"], "facets_wrapped", False):
        readers.METADATA_PROCESSORS["date"] = _date_processor(readers.METADATA_PROCESSORS["date"])
    signals.initialized.connect(initialized)
    signals.article_generator_init.connect(validate_all)
    signals.content_object_init.connect(content_init)
    signals.article_generator_finalized.connect(remember_generator)
    signals.get_generators.connect(get_generators)
    signals.content_written.connect(remember_written)
    signals.finalized.connect(count_pages)
