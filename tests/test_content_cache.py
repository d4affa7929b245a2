"""Pelican keeps whole content objects between builds (CONTENT_CACHING_LAYER
= "generator"): a rebuild from them writes exactly what a fresh build
writes, and they are dropped when our code, data or settings change."""
from __future__ import annotations

import pytest

from support import ROOT, build_site, copy_content

pytestmark = pytest.mark.slow

# Links Pelican resolves through the content object's context: kept objects
# must resolve them against the build that writes the page.
LINKS = ("\n\nดูรายงานก่อนหน้า [ที่ภูเก็ต]({filename}/reports/2015/2015-05-25-phuket-a25e1d.md)"
         " และ [เกี่ยวกับคลัง]({filename}/pages/about.md)\n")


def _files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
            if p.is_file() and p.suffix in {".html", ".json", ".csv", ".xml"}}


def _kept(log: str) -> int:
    words = " ".join(log.split())
    marker = " reports from Pelican's content cache"
    if marker not in words:
        return 0
    return int(words.split(marker)[0].rsplit(" ", 1)[-1])


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("content-cache")
    content = copy_content(ROOT / "content", base / "content")
    reports = sorted((content / "reports").rglob("*.md"))
    linking = next(p for p in reports if "chiang-rai" in p.name)
    linking.write_text(linking.read_text(encoding="utf-8") + LINKS, encoding="utf-8")
    out = base / "out"
    logs = [build_site(content, out, args=("-v",)).stdout]
    first = _files(out)
    logs.append(build_site(content, out, args=("-v",)).stdout)
    again = _files(out)

    # The report the kept one links to moves: its link must follow.
    edited = next(p for p in reports if "phuket" in p.name)
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("Title: ", "Title: แก้ไขแล้ว ", 1).replace(
        "Slug: 2015-05-25-phuket-a25e1d", "Slug: 2015-05-25-phuket-b00b1e"), encoding="utf-8")
    logs.append(build_site(content, out, args=("-v",)).stdout)
    after_edit = _files(out)

    fresh = base / "fresh"
    build_site(content, fresh)
    return {"base": base, "content": content, "out": out, "logs": logs, "first": first,
            "again": again, "after_edit": after_edit, "fresh": _files(fresh),
            "n": len(reports)}


def test_rebuilds_use_the_kept_objects(builds):
    first, again, after_edit = (_kept(log) for log in builds["logs"])
    assert first == 0
    assert again == builds["n"]
    assert after_edit == builds["n"] - 1


def test_a_rebuild_from_kept_objects_writes_what_a_fresh_build_writes(builds):
    assert builds["again"] == builds["first"]
    out, fresh = builds["after_edit"], builds["fresh"]
    # Pelican leaves the moved report's old page behind (it never empties
    # the output folder); every page a fresh build writes must be the same.
    assert set(fresh) <= set(out)
    differ = sorted(k for k in fresh if out[k] != fresh[k])
    assert not differ, differ[:10]


def test_links_in_a_kept_report_follow_the_report_they_point_to(builds):
    page = next(v for k, v in builds["after_edit"].items()
                if k.startswith("reports/") and "chiang-rai" in k).decode()
    body = page.split('<div class="body"', 1)[1].split("</div>", 1)[0]
    assert 'href="../../../reports/2015/2015-05-25-phuket-b00b1e/"' in body
    assert 'href="../../../about/"' in body


def test_facet_pages_list_kept_reports(builds):
    # Facet objects are per build: a kept report must be attached to this
    # build's, or its province page would lose it.
    page = builds["after_edit"]["province/phuket/index.html"].decode()
    assert "2015-05-25-phuket-b00b1e" in page


def test_changed_settings_or_code_drop_the_kept_objects(builds):
    content, out = builds["content"], builds["out"]
    log = build_site(content, out, args=("-v",), extra={"DEFAULT_PAGINATION": 7}).stdout
    assert _kept(log) == 0
    assert _kept(build_site(content, out, args=("-v",), extra={"DEFAULT_PAGINATION": 7}).stdout)
    # What a change to our code or data does: the key no longer matches.
    key = out.parent / f"{out.name}-cache" / "content-objects.key"
    key.write_text("made by other code", encoding="utf-8")
    log = build_site(content, out, args=("-v",), extra={"DEFAULT_PAGINATION": 7}).stdout
    assert _kept(log) == 0


def test_objects_are_not_kept_when_turned_off(builds):
    content, out = builds["content"], builds["base"] / "off"
    extra = {"KEEP_CONTENT_OBJECTS": False}
    build_site(content, out, extra=extra)
    log = build_site(content, out, args=("-v",), extra=extra).stdout
    assert _kept(log) == 0
    cache = out.parent / f"{out.name}-cache"
    assert not (cache / "ArticlesGenerator").exists()
    assert (cache / "ArticlesGenerator-Readers").exists()


def test_a_new_report_reusing_a_kept_reports_slug_is_refused(builds):
    # The kept report is not checked again, but still counts for slugs.
    content, out = builds["content"], builds["base"] / "dup"
    build_site(content, out)
    kept = next((content / "reports").rglob("*chiang-rai*.md"))
    twin = kept.parent / "twin.md"
    twin.write_text(kept.read_text(encoding="utf-8"), encoding="utf-8")
    try:
        proc = build_site(content, out, check=False)
    finally:
        twin.unlink()
    assert proc.returncode != 0
    text = " ".join(proc.stdout.split())
    assert "slug '2023-02-14-chiang-rai-5a4383' is already used by" in text
    assert "twin.md" in text


def test_a_cache_file_left_half_written_is_dropped_and_the_build_is_complete(tmp_path):
    """A build killed while Pelican wrote its cache left a truncated pickle;
    every later build failed with EOFError before it."""
    content = copy_content(ROOT / "content", tmp_path / "content")
    out = tmp_path / "out"
    build_site(content, out)
    reference = _files(out)
    cache = tmp_path / "out-cache" / "ArticlesGenerator"
    data = cache.read_bytes()
    cache.write_bytes(data[: len(data) // 2])
    log = build_site(content, out).stdout
    assert "left incomplete by an earlier build" in " ".join(log.split())
    assert _files(out) == reference
    assert cache.read_bytes()[-1:] == b"."


def test_pelican_cache_files_are_replaced_whole(tmp_path):
    """A write that fails half-way leaves the previous cache file as it was
    and no temporary file behind."""
    import pickle
    import sys

    sys.path.insert(0, str(ROOT / "plugins"))
    from prefetch import _atomic_opener

    path = tmp_path / "ArticlesGenerator"
    path.write_bytes(pickle.dumps({"kept": 1}))
    opener = _atomic_opener(open)

    class Unpicklable:
        def __reduce__(self):
            raise pickle.PicklingError("no")

    with pytest.raises(pickle.PicklingError):
        with opener(str(path), "wb") as fh:
            pickle.dump({"big": b"x" * 100_000, "bad": Unpicklable()}, fh)
    assert pickle.loads(path.read_bytes()) == {"kept": 1}
    with opener(str(path), "wb") as fh:
        pickle.dump({"new": 2}, fh)
    with opener(str(path), "rb") as fh:
        assert pickle.load(fh) == {"new": 2}
    assert [p.name for p in tmp_path.iterdir()] == ["ArticlesGenerator"]


class _Generator:
    """What save_in_background needs of a Pelican generator."""

    def __init__(self, path, fail=False):
        self.settings = {"BUILD_WORKERS": 2}
        self._cache_data_policy = True
        self.path, self.fail = path, fail

    def save_cache(self):
        if self.fail:
            raise OSError("disk full")
        self.path.write_text("saved", encoding="utf-8")


def test_content_objects_are_saved_by_a_forked_process_and_waited_for(tmp_path, caplog):
    import os
    import sys

    sys.path.insert(0, str(ROOT / "plugins"))
    import prefetch

    gen = _Generator(tmp_path / "cache")
    prefetch.save_in_background(gen)
    parent = os.getpid()
    gen.save_cache()                   # returns at once; the child writes
    assert os.getpid() == parent and prefetch._savers
    prefetch.wait_for_saves()
    assert (tmp_path / "cache").read_text(encoding="utf-8") == "saved"
    assert not prefetch._savers

    failing = _Generator(tmp_path / "never", fail=True)
    prefetch.save_in_background(failing)
    failing.save_cache()
    with caplog.at_level("WARNING"):
        prefetch.wait_for_saves()
    assert "could not be saved" in caplog.text
    assert not (tmp_path / "never").exists()


def test_a_build_lists_the_reports_and_dates_each_file_once(tmp_path, monkeypatch):
    """Validation, the prefetching readers and Pelican all ask for the file
    listing and each file's date; the first answer holds for the build."""
    import os
    import sys

    import pelican.generators as generators
    from pelican.settings import read_settings

    sys.path.insert(0, str(ROOT / "plugins"))
    import prefetch

    folder = tmp_path / "content" / "reports"
    folder.mkdir(parents=True)
    (folder / "a.md").write_text("Title: ก\n\nข้อความ\n", encoding="utf-8")
    walks = []
    real_walk = os.walk
    monkeypatch.setattr(generators.os, "walk",
                        lambda *a, **k: walks.append(a) or real_walk(*a, **k))

    def generator():
        settings = read_settings(override={"PATH": str(tmp_path / "content"),
                                           "CACHE_PATH": str(tmp_path / "cache")})
        gen = generators.ArticlesGenerator(context=settings.copy(), settings=settings,
                                           path=settings["PATH"], theme=settings["THEME"],
                                           output_path=str(tmp_path / "out"))
        prefetch.remember_files(gen)
        return gen

    gen = generator()
    walks.clear()  # the theme's templates
    first = gen.get_files(["reports"], exclude=[])
    first.add("changed by the caller")
    (folder / "b.md").write_text("Title: ข\n\nข้อความ\n", encoding="utf-8")
    assert gen.get_files(["reports"], exclude=[]) == {"reports/a.md"}
    assert gen.get_files(["reports"], exclude=[], extensions=False) == {"reports/a.md",
                                                                       "reports/b.md"}
    assert len(walks) == 2
    stamp = gen._get_file_stamp("reports/a.md")
    os.utime(folder / "a.md", ns=(1, 1))
    assert gen._get_file_stamp("reports/a.md") == stamp

    # The next build sees the new file and the new date.
    later = generator()
    walks.clear()
    assert later.get_files(["reports"], exclude=[]) == {"reports/a.md", "reports/b.md"}
    assert later._get_file_stamp("reports/a.md") != stamp
    assert len(walks) == 1
