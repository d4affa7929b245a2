"""The search index's build cache (plugins/search/store.py and the ways
write_index takes): whatever the cache holds, the files written are exactly
the ones build_index makes from scratch for the same reports."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.search import facet_labels, to_doc, write_index
from plugins.search.indexer import build_index, order
from support import FIXTURES, build_site, copy_content
from test_search_index import lookup

WORDS = ["อบรม", "ป้องกันการทุจริต", "ชุมชนคุณธรรม", "ธรรมนูญตำบล", "เครือข่าย", "สภาองค์กรชุมชน",
         "เยาวชน", "โรงเรียน", "Community", "CODI", "2567", "๒๕๖๖", "ปลาทูน่า"]
PROVINCES = ["phitsanulok", "chiang-rai", "nan", "songkhla", "bangkok"]


def article(key: int, body: str, date: str = "2024-01-01", provinces=("phitsanulok",)):
    """What write_index reads of a Pelican article (facets from metadata)."""
    return SimpleNamespace(url=f"reports/{key}/", title=f"รายงาน {key}", date=datetime.fromisoformat(date),
                           content="".join(f"<p>{line}</p>" for line in body.split("\n")),
                           metadata={"provinces": list(provinces), "agencies": [], "programs": []})


def fresh(articles) -> dict[str, str]:
    """The index built from scratch, without any cache."""
    return build_index(order([to_doc(a) for a in articles]), facet_labels())


def written(index: Path) -> dict[str, str]:
    return {p.relative_to(index).as_posix(): p.read_text(encoding="utf-8")
            for p in index.rglob("*") if p.is_file()}


def body(k: int) -> str:
    return f"{WORDS[k % len(WORDS)]} รายงานที่ {k}\n{WORDS[(k * 5 + 1) % len(WORDS)]} ตำบลสีขาว"


def date(k: int) -> str:
    return f"20{10 + k % 15}-0{1 + k % 9}-1{k % 10}"


def archive(count: int = 12):
    return [article(k, body(k), date(k), provinces=[PROVINCES[k % 5]]) for k in range(count)]


@pytest.fixture(scope="module", autouse=True)
def small_shards():
    """Shards of ~150 bytes, so these small archives have many of them."""
    from plugins.search import indexer

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(indexer, "TARGET_SHARD_BYTES", 150)
        yield


@pytest.fixture
def site(tmp_path):
    """write(articles) → how the index was made; .index is the folder."""
    out, cache = tmp_path / "out", tmp_path / "cache"

    def write(articles):
        return write_index(out, "search/index", articles, cache)[1]
    write.index = out / "search" / "index"
    write.cache = cache
    return write


def test_an_edited_report_patches_only_its_n_grams_and_matches_a_fresh_build(site):
    reports = archive()
    assert site(reports) == "built"
    before = written(site.index)
    assert before == fresh(reports)
    assert lookup(before, "ปลาทูน่า") == {i for i, d in enumerate(order([to_doc(a) for a in reports]))
                                          if "ปลาทูน่า" in d.text}

    reports[3] = article(3, body(3).replace(WORDS[3], "ปลาทูน่าแม่กลอง"), date(3), provinces=["songkhla"])
    assert site(reports) == "patched"
    after = written(site.index)
    assert after == fresh(reports)
    docs = [json.loads(after[f"d/{i}.json"]) for i in range(len(reports))]
    edited = next(i for i, d in enumerate(docs) if d["u"] == "reports/3/")
    assert lookup(after, "ปลาทูน่าแม่กลอง") == {edited}
    assert edited not in lookup(after, WORDS[3])        # the word the old text had
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    assert "d/%d.json" % edited in changed and "meta.json" in changed
    assert len([rel for rel in changed if rel.startswith("s/")]) < len([r for r in after if r.startswith("s/")])


def test_unchanged_reports_skip_the_build_and_a_deleted_index_is_linked_back(site):
    reports = archive()
    site(reports)
    before = written(site.index)
    inode = os.stat(site.index / "d" / "0.json").st_ino
    assert site(reports) == "unchanged"
    assert os.stat(site.index / "d" / "0.json").st_ino == inode       # not rewritten
    shutil.rmtree(site.index.parent)
    assert site(reports) == "unchanged"
    assert written(site.index) == before


def test_a_new_report_moves_every_id_and_rebuilds(site):
    reports = archive()
    site(reports)
    reports.append(article(99, "รายงานล่าสุด ปลาทูน่า", date="2026-01-01"))
    assert site(reports) == "built"
    files = written(site.index)
    assert files == fresh(reports)
    assert json.loads(files["d/0.json"])["u"] == "reports/99/"
    reports.pop(0)                         # a report removed: its files go too
    site(reports)
    assert written(site.index) == fresh(reports)


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:20])


@pytest.mark.parametrize("damage", [
    "garbage manifest", "truncated report record", "truncated shard", "missing shard", "empty cache",
])
def test_a_damaged_cache_is_ignored_and_rebuilt(site, damage):
    reports = archive()
    site(reports)
    before = written(site.index)
    cache = site.cache
    if damage == "garbage manifest":
        (cache / "manifest.json").write_text('{"v": 1, "inputs": 3, "files": [', encoding="utf-8")
    elif damage == "truncated report record":
        _truncate(sorted((cache / "docs").iterdir())[0])   # the output file is the same file
    elif damage == "truncated shard":
        _truncate(next(p for p in (cache / "blobs").iterdir() if p.stat().st_size > 100))
    elif damage == "missing shard":
        next((cache / "blobs").iterdir()).unlink()
    else:
        shutil.rmtree(cache)
        cache.mkdir()
    assert site(reports) != "unchanged"
    assert written(site.index) == before == fresh(reports)
    assert site(reports) == "unchanged"


def test_a_same_size_change_to_a_cached_record_is_caught_by_its_hash(site):
    reports = archive()
    site(reports)
    record = next(p for p in (site.cache / "docs").iterdir())
    data = record.read_bytes()
    record.unlink()                        # the output keeps the good copy
    record.write_bytes(data.replace("รายงาน".encode(), "รายการ".encode(), 1))
    reports[5] = article(5, body(5) + " แก้ไขเนื้อหาใหม่", date(5), provinces=[PROVINCES[0]])
    site(reports)                          # a patch reads every record through the cache
    assert written(site.index) == fresh(reports)


EDITS = st.lists(st.tuples(st.sampled_from(["body", "date", "province", "add", "remove"]),
                           st.integers(0, 30), st.sampled_from(WORDS)), min_size=1, max_size=6)


@settings(max_examples=25, deadline=None)
@given(EDITS)
def test_any_sequence_of_edits_gives_the_fresh_index(edits):
    reports = archive(8)
    with tempfile.TemporaryDirectory() as tmp:
        out, cache = Path(tmp) / "out", Path(tmp) / "cache"
        write_index(out, "idx", reports, cache)
        for kind, k, word in edits:
            i = k % len(reports)
            old = reports[i]
            if kind == "body":
                reports[i] = article(int(old.url.split("/")[1]), f"{word} แก้ไข {k}", old.date.isoformat()[:10],
                                     old.metadata["provinces"])
            elif kind == "date":
                old.date = datetime(2010 + k % 17, 1 + k % 12, 1 + k % 28)
            elif kind == "province":
                old.metadata = {**old.metadata, "provinces": [PROVINCES[k % 5]]}
            elif kind == "add":
                reports.append(article(100 + k, f"{word} ใหม่", f"20{10 + k % 16}-05-05"))
            elif len(reports) > 1:
                reports.pop(i)
            write_index(out, "idx", reports, cache)
            assert written(out / "idx") == fresh(reports)


@pytest.mark.slow
def test_pelican_rebuilds_patch_and_restore_the_index(tmp_path):
    """The real build: one edited report is patched in, a deleted index is
    restored from the cache, and both equal a build from scratch."""
    content = copy_content(FIXTURES / "search", tmp_path / "content")
    out = tmp_path / "out"
    assert "(built)" in build_site(content, out, args=("-v",)).stdout
    report = next(content.glob("reports/*-a1.md"))
    report.write_text(report.read_text(encoding="utf-8") + "\nเพิ่มเติมเรื่องปลาทูน่าแม่กลอง\n", encoding="utf-8")
    log = build_site(content, out, args=("-v",)).stdout
    assert "(patched)" in log, log
    scratch = tmp_path / "scratch"
    build_site(content, scratch)
    index = written(out / "search" / "index")
    assert index == written(scratch / "search" / "index")
    assert len(lookup(index, "ปลาทูน่าแม่กลอง")) == 1
    shutil.rmtree(out / "search" / "index")
    assert "(unchanged)" in build_site(content, out, args=("-v",)).stdout
    assert written(out / "search" / "index") == index


def test_a_patch_reads_only_the_changed_records_and_shards(site, monkeypatch):
    from plugins.search.store import IndexStore

    reports = archive(30)
    site(reports)
    shards_before = len([r for r in written(site.index) if r.startswith("s/")])
    reads = []
    for name in ("cached_doc", "previous_file"):
        original = getattr(IndexStore, name)
        monkeypatch.setattr(IndexStore, name, lambda self, key, _o=original, _n=name: (
            reads.append((_n, key)), _o(self, key))[1])
    reports[7] = article(7, body(7) + " ปลาทูน่าแม่กลอง", date(7), provinces=[PROVINCES[2]])
    assert site(reports) == "patched"
    assert written(site.index) == fresh(reports)
    records = [key for name, key in reads if name == "cached_doc" or key.startswith("d/")]
    assert len(records) <= 2, records            # the old and the new text of report 7
    shards = [key for name, key in reads if name == "previous_file" and key.startswith("s/")]
    assert len(shards) < shards_before / 2, shards


def test_an_output_record_that_is_a_copy_is_checked_through_the_cache(site):
    reports = archive()
    site(reports)
    out = site.index / "d" / "4.json"
    data = out.read_bytes()
    out.unlink()
    out.write_bytes(data)                        # a copy, no longer the store's file
    store_file = next(p for p in (site.cache / "docs").iterdir() if p.read_bytes() == data)
    store_file.write_bytes(data.replace("รายงาน".encode(), "รายการ".encode(), 1))
    reports[9] = article(9, body(9) + " แก้ไข", date(9), provinces=[PROVINCES[1]])
    assert site(reports) == "patched"
    assert written(site.index) == fresh(reports)
    shutil.rmtree(site.index.parent)             # the cache alone must now be right
    assert site(reports) == "unchanged"
    assert written(site.index) == fresh(reports)
