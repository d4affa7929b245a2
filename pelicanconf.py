"""Development settings: relative URLs, drafts built, no feeds, content cache on.

publishconf.py starts from these and changes what production needs."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# The plugins import the shared core (thaireports) from the repository root.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SITENAME = "คลังข่าวเครือข่ายสุจริต"
SITENAME_EN = "Thai Integrity Network Archive"
SITESUBTITLE = "จดหมายเหตุกิจกรรมต่อต้านการทุจริต ชุมชนคุณธรรม และธรรมนูญชุมชนทั่วประเทศไทย"
AUTHOR = "Thai Integrity Network Archive"
SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
ARTICLE_PATHS = ["reports"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
EXTRA_PATH_METADATA = {}
THEME = str(ROOT / "theme")
OUTPUT_PATH = "output"

TIMEZONE = "Asia/Bangkok"
DEFAULT_LANG = "th"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
# Reports are named by ASCII file names (date-province-hash); Pelican's own
# slugify would turn a Thai title into noise.
SLUGIFY_SOURCE = "basename"

ARTICLE_URL = "reports/{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "reports/{date:%Y}/{slug}/index.html"
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ARTICLE_SAVE_AS
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
YEAR_ARCHIVE_URL = "archive/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "archive/{date:%Y}/index.html"
ARCHIVES_URL = "archive/"
ARCHIVES_SAVE_AS = "archive/index.html"
INDEX_SAVE_AS = "index.html"

# Provinces, agencies and programs replace Pelican's categories, tags and authors.
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "archives"]

# Slugs are unique (the checks refuse a second report with the same slug), so
# Pelican's pairing of translations by slug never pairs two reports; at 5,000
# reports its search for them took quadratic time (~0.1 s of every build).
ARTICLE_TRANSLATION_ID = None


def newest_first(article):
    """Pelican's "reversed-date" order, with reports of the same date and time
    by slug (the order the translation pairing used to leave them in)."""
    return (-article.date.timestamp(), article.slug)


ARTICLE_ORDER_BY = newest_first

DEFAULT_PAGINATION = 20
# Year archives can hold hundreds of reports: paginated, by a hundred.
PAGINATED_TEMPLATES = {"index": None, "period_archives": 100}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds are off in development (they would point at no real host).
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
CACHE_PATH = "cache"
# The prefetch plugin has Pelican keep whole content objects, not only what
# the reader returned (building them again took ~3 s of every rebuild at
# 5,000 reports), and drops them when our code, data or settings change.
# KEEP_CONTENT_OBJECTS = False goes back to Pelican's reader-level cache.
# Gzipping the content cache took ~4 s of every 5,000-report build (benchmarks/build.py).
GZIP_CACHE = False

PLUGIN_PATHS = [str(ROOT / "plugins")]
# rendercache stays last: it skips re-rendering pages whose inputs did not change.
PLUGINS = ["prefetch", "sanitize", "facets", "opendata", "images", "search", "sitetheme", "rendercache"]

# Templates escape every value unless marked safe (report HTML is sanitized
# by the sanitize plugin and printed with |safe).
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
    "autoescape": True,
}

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}

# Drafts are built (under drafts/) so contributors can preview them.
ARCHIVE_ENV = "development"

# Reports are Markdown; the reStructuredText reader is off (it also warns that
# docutils has no Thai localization).
READERS = {"rst": None}
