"""rendercache: a rebuild renders only the pages whose inputs changed, and
the result is byte for byte what a build without it writes."""
from __future__ import annotations

import sys

import pytest

from support import ROOT, build_site
from thaireports.reportfile import parse_report, render_report

sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402

pytestmark = pytest.mark.slow


def _html(out):
    return {p.relative_to(out).as_posix(): p for p in out.rglob("*.html")}


def _stamps(out):
    return {k: p.stat().st_mtime_ns for k, p in _html(out).items()}


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    base = tmp_path_factory.mktemp("rendercache")
    content = base / "content"
    paths = corpus.generate(12, content, images_every=0)
    out = base / "incremental"
    build_site(content, out)
    first = _stamps(out)
    build_site(content, out)
    unchanged = _stamps(out)

    edited = paths[5]
    rep = parse_report(edited.read_text(encoding="utf-8"))
    meta = {f.name.capitalize() if f.name != "end_date" else "End_date": f.value
            for f in rep.fields.values()}
    meta["Title"] = "หัวข้อใหม่ทดสอบการสร้างซ้ำ " + meta["Title"]
    edited.write_text(render_report(meta, rep.body), encoding="utf-8")
    build_site(content, out)
    after_edit = _stamps(out)

    # The fresh build also renders in two worker processes (the incremental
    # builds are too small to fork), so equal output covers that path too.
    fresh = base / "fresh"
    proc = build_site(content, fresh, args=("-v",), extra={
        "RENDER_CACHE": False, "BUILD_WORKERS": 2, "RENDER_PARALLEL_MIN": 1})
    return {"out": out, "fresh": fresh, "fresh_log": proc.stdout, "first": first, "unchanged": unchanged,
            "after_edit": after_edit, "edited": edited}


def test_nothing_is_rewritten_when_nothing_changed(sites):
    assert sites["first"] and sites["unchanged"] == sites["first"]


def test_one_edited_report_rerenders_few_pages(sites):
    before, after = sites["unchanged"], sites["after_edit"]
    changed = {k for k in after if before.get(k) != after[k]}
    slug = sites["edited"].stem
    own = [k for k in changed if f"/{slug}/" in f"/{k}"]
    assert own, "the edited report's own page was not rendered again"
    report_pages = [k for k in after if k.startswith("reports/")]
    changed_reports = [k for k in changed if k.startswith("reports/")]
    assert len(changed_reports) < len(report_pages) / 2, changed_reports
    page = (sites["out"] / own[0]).read_text(encoding="utf-8")
    assert "หัวข้อใหม่ทดสอบการสร้างซ้ำ" in page


def test_fresh_build_rendered_in_two_processes(sites):
    assert "rendered by 2 processes" in " ".join(sites["fresh_log"].split())


def test_incremental_output_equals_a_fresh_build(sites):
    out, fresh = _html(sites["out"]), _html(sites["fresh"])
    assert set(out) == set(fresh)
    differ = [k for k in out if out[k].read_bytes() != fresh[k].read_bytes()]
    assert not differ, differ[:10]

