"""Shared by the facets, open data and check tests: the fixture archive and
what its reports say, read independently of the plugins."""
from __future__ import annotations

from pathlib import Path

import pytest

import pelicanconf
from support import FIXTURES, ROOT, build_site

from thaireports.checking import check_tree
from thaireports.validation import as_date, infer_facets

FACET_CONTENT = FIXTURES / "facets"
BROKEN_CONTENT = FIXTURES / "facets-broken"
SITEURL = "http://127.0.0.1:8765"
PLURAL = {"province": "provinces", "agency": "agencies", "program": "programs"}


def build_published(out: Path, **extra):
    """The fixture archive with the production settings (feeds on, absolute
    URLs); pagination at 2 so a province page needs two pages."""
    settings = {"DEFAULT_PAGINATION": 2, **extra}
    return build_site(FACET_CONTENT, out, settings="publishconf.py", extra=settings,
                      env={"SITEURL": SITEURL})


# Tests about validation and counting skip the plugins that make images and
# the search index: they change nothing there and take most of a build.
QUICK_PLUGINS = [p for p in pelicanconf.PLUGINS if p not in ("images", "search")]


def build_quick(content: Path, out: Path, *, check: bool = True, extra: dict | None = None,
                settings: str = "pelicanconf.py", env: dict | None = None):
    return build_site(content, out, check=check, settings=settings, env=env,
                      extra={"PLUGINS": QUICK_PLUGINS, **(extra or {})})


@pytest.fixture(scope="session")
def published_fixture_site(tmp_path_factory):
    """The fixture archive built once per test session, with every plugin;
    (output folder, pelican's output)."""
    out = tmp_path_factory.mktemp("facets-published") / "output"
    proc = build_published(out)
    return out, proc.stdout


def expected_reports() -> dict[str, dict]:
    """slug → what the fixture file says, with left-out facets filled in by
    the tagger, as the exports must show it."""
    result = check_tree(FACET_CONTENT / "reports")
    assert result.ok, result.problems
    out = {}
    for r in result.reports:
        m = r.meta
        inferred = infer_facets(r)
        rec = {
            "slug": r.slug,
            "url": f"{SITEURL}/reports/{as_date(m['date']).year}/{r.slug}/",
            "title": m["title"],
            "date": as_date(m["date"]).isoformat(),
            "end_date": as_date(m["end_date"]).isoformat() if m["end_date"] else None,
            "participants": m["participants"],
            "venue": m["venue"],
            "source": m["source"],
            "inferred": sorted(k for k, v in inferred.items() if v),
            "path": r.path,
            "published": as_date(m["published"] or m["date"]).isoformat(),
        }
        for kind, field in PLURAL.items():
            rec[field] = inferred.get(kind, []) if kind in r.missing else m[field]
        out[r.slug] = rec
    return out


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


__all__ = ["FACET_CONTENT", "BROKEN_CONTENT", "SITEURL", "PLURAL", "ROOT", "QUICK_PLUGINS",
           "build_published", "build_quick", "published_fixture_site", "expected_reports", "read"]
