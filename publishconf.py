"""Production settings: absolute SITEURL from the environment, feeds on,
drafts hidden, output minified, caches cleared."""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = os.environ.get("SITEURL", "https://integrity-archive.example.org").rstrip("/")
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_MAX_ITEMS = 50
PROVINCE_FEED_ATOM = "feeds/province/{slug}.atom.xml"
AGENCY_FEED_ATOM = "feeds/agency/{slug}.atom.xml"
PROGRAM_FEED_ATOM = "feeds/program/{slug}.atom.xml"

# Drafts are not published.
DRAFT_SAVE_AS = ""
DRAFT_URL = ""

DELETE_OUTPUT_DIRECTORY = True
LOAD_CONTENT_CACHE = False

PLUGINS = PLUGINS + ["minify"]  # noqa: F405
ARCHIVE_ENV = "production"
