"""The archive's own content/ builds cleanly: no warning, every report file
published, every report in the open data."""
from __future__ import annotations

import json

import pytest

from support import ROOT, build_site

from thaireports.checking import check_tree, report_sources


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    out = tmp_path_factory.mktemp("content") / "output"
    proc = build_site(ROOT / "content", out, settings="publishconf.py",
                      env={"SITEURL": "http://127.0.0.1:8765"})
    return out, proc.stdout


def test_published_content_builds_without_warnings(build):
    _, log = build
    assert "WARNING" not in log, log
    assert "ERROR" not in log, log


def test_every_report_file_has_a_page_and_a_row_in_the_open_data(build):
    out, _ = build
    sources = report_sources(ROOT / "content" / "reports")
    result = check_tree(ROOT / "content" / "reports")
    assert result.ok, "\n".join(map(str, result.problems))
    published = [r for r in result.reports if r.meta["status"] == "published"]
    pages = list((out / "reports").glob("*/*/index.html")) if (out / "reports").exists() else []
    assert len(pages) == len(published) == len(sources) - sum(
        r.meta["status"] == "draft" for r in result.reports)
    data = json.loads((out / "data" / "reports.json").read_text(encoding="utf-8"))
    assert sorted(r["slug"] for r in data["reports"]) == sorted(r.slug for r in published)
