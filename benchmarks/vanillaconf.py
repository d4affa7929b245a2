"""Vanilla Pelican for the benchmarks: our URLs and content settings, but
Pelican's default theme and no plugins, so the comparison measures what our
plugins and theme add."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pelicanconf import *  # noqa: E402,F401,F403

PLUGINS = []
THEME = "simple"
