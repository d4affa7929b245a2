"""rendercache: a rebuild renders only the pages whose inputs changed, and
the result is byte for byte what a build without it writes."""
from __future__ import annotations

import sys

import pytest

from support import ROOT, build_site, build_with_render_hook
from thaireports.reportfile import parse_report, render_report

sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "plugins"))
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
    # The archive overview shows years, counts and the timeline: no title.
    assert {"archive/index.html", "en/archive/index.html"} <= set(after)
    assert not changed & {"archive/index.html", "en/archive/index.html"}


def test_fresh_build_rendered_in_two_processes(sites):
    assert "rendered by 2 processes" in " ".join(sites["fresh_log"].split())


def test_incremental_output_equals_a_fresh_build(sites):
    out, fresh = _html(sites["out"]), _html(sites["fresh"])
    assert set(out) == set(fresh)
    differ = [k for k in out if out[k].read_bytes() != fresh[k].read_bytes()]
    assert not differ, differ[:10]



class _Report:
    def __init__(self, n):
        self.n = n


def _counting_fingerprints():
    import hashlib

    from rendercache import Fingerprints

    class Counting(Fingerprints):
        calls = 0

        def own(self, content):
            fp = content.__dict__.get("_rc_fp")
            if fp is None:
                type(self).calls += 1
                fp = content.__dict__["_rc_fp"] = hashlib.sha256(b"%d" % content.n).digest()
            return fp

    return Counting


def _exchange(workers, child_body):
    """Fork workers-1 children that run child_body(fp, contents, w, link) and
    exit with its return value; the parent exchanges as the build does."""
    import os

    from rendercache import _Link

    counting = _counting_fingerprints()
    contents = [_Report(i) for i in range(1001)]
    links, pids = {}, []
    for w in range(1, workers):
        links[w] = _Link()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            for other, link in links.items():
                if other != w:
                    link.close()
            try:
                os._exit(child_body(counting(), contents, w, workers, links[w].keep("worker")))
            finally:
                os._exit(99)
        links[w].keep("parent")
        pids.append(pid)
    fp = counting()
    fp.exchange_parent(contents, workers, links)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    return fp, contents, codes


def test_render_workers_fingerprint_a_share_each_and_swap_digests():
    import hashlib

    def child(fp, contents, w, workers, link):
        fp.exchange_child(contents, w, workers, link)
        share = len(contents[w::workers])
        complete = all(c.__dict__.get("_rc_fp") == hashlib.sha256(b"%d" % c.n).digest()
                       for c in contents)
        return 0 if complete and type(fp).calls == share else 1

    fp, contents, codes = _exchange(3, child)
    assert codes == [0, 0]
    assert type(fp).calls == len(contents[0::3])
    assert [c._rc_fp for c in contents] == [hashlib.sha256(b"%d" % i).digest()
                                            for i in range(len(contents))]


def test_a_render_worker_that_dies_before_its_digests_costs_no_report():
    import hashlib
    import os

    def child(fp, contents, w, workers, link):
        os._exit(7)

    fp, contents, codes = _exchange(2, child)
    assert codes == [7]
    assert type(fp).calls == len(contents)
    assert all(c._rc_fp == hashlib.sha256(b"%d" % c.n).digest() for c in contents)


def test_a_build_process_skips_the_final_full_collection_at_exit():
    """Python's last full collection walked every object of the build
    (~0.4 s at 5,000 reports); the plugin's exit handler freezes them, so
    the collection has nothing to walk."""
    import subprocess

    code = (
        "import atexit, gc, sys\n"
        f"sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'plugins')!r}]\n"
        "import rendercache\n"
        "rendercache.register()\n"
        "site = [[{'report': i}] for i in range(20000)]\n"
        "atexit._run_exitfuncs()\n"
        "print(gc.get_freeze_count() >= len(site))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True", out.stderr


def test_a_facet_counts_its_reports_by_path_and_order_not_by_their_text():
    """A facet page shows its reports through the page's own list; the facet
    object (its name, count, region ...) counts them by path and order."""
    from types import SimpleNamespace

    from facets.taxonomy import Province
    from rendercache import Fingerprints

    from thaireports.vocabulary import load_vocabulary

    entry = load_vocabulary().provinces["phitsanulok"]

    def facet(*reports):
        f = Province(entry, {"PROVINCE_URL": "province/{slug}/"})
        f.articles = list(reports)
        return Fingerprints().value(f)

    a = SimpleNamespace(source_path="/c/a.md", _content="<p>ข้อความเดิม</p>")
    a_edited = SimpleNamespace(source_path="/c/a.md", _content="<p>ข้อความใหม่</p>")
    b = SimpleNamespace(source_path="/c/b.md", _content="<p>อีกรายงาน</p>")
    assert facet(a, b) == facet(a_edited, b)
    assert facet(a, b) != facet(b, a)
    assert facet(a, b) != facet(a)
    other = Province(load_vocabulary().provinces["nan"], {"PROVINCE_URL": "province/{slug}/"})
    other.articles = [a, b]
    assert Fingerprints().value(other) != facet(a, b)


def test_chunks_hand_every_page_to_exactly_one_process():
    import os
    import pickle

    from rendercache import _Chunks

    jobs = list(range(1001))
    chunks = _Chunks(len(jobs))
    assert chunks.size % 2 == 0
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:                                    # pragma: no cover - the other process
        os.close(r)
        with os.fdopen(w, "wb") as fh:
            pickle.dump(list(chunks.take(jobs)), fh)
        os._exit(0)
    os.close(w)
    mine = list(chunks.take(jobs))
    with os.fdopen(r, "rb") as fh:
        theirs = pickle.load(fh)
    os.waitpid(pid, 0)
    chunks.close()
    assert sorted(mine + theirs) == jobs
    # A page and the next one (its English mirror) always go together.
    for taken in (mine, theirs):
        assert all(p + 1 in taken for p in taken if p % 2 == 0 and p + 1 < len(jobs))


_CRASHING_WORKER = r"""
main = os.getpid()

def _process(self, jobs):
    if os.getpid() == main:
        return original(self, jobs)
    original(self, [job for _, job in zip(range(5), jobs)])   # takes pages, then dies
    os._exit(9)
"""


def test_pages_a_crashed_render_worker_took_are_rendered_by_the_build(sites, tmp_path):
    out = tmp_path / "out"
    proc = build_with_render_hook(_CRASHING_WORKER, sites["out"].parent / "content", out,
                                  tmp_path / "cache", "RENDER_CACHE=false", "BUILD_WORKERS=2",
                                  "RENDER_PARALLEL_MIN=1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "a render worker failed" in proc.stdout + proc.stderr
    fresh = _html(sites["fresh"])
    built = _html(out)
    assert set(built) == set(fresh)
    assert all(built[k].read_bytes() == fresh[k].read_bytes() for k in fresh)
