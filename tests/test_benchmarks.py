"""The benchmarks' synthetic archive: deterministic, valid reports, every
province, agency and program used, photos that exist."""
from __future__ import annotations

import datetime as dt
import sys

import pytest
from PIL import Image

from support import ROOT
from thaireports.reportfile import parse_report, split_list
from thaireports.vocabulary import load_vocabulary

sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus") / "c80"
    paths = corpus.generate(80, out)
    return out, paths


def test_same_seed_gives_identical_files(archive, tmp_path):
    out, _ = archive
    corpus.generate(80, tmp_path / "again")
    assert _files(tmp_path / "again") == _files(out)


def test_smaller_archive_is_a_prefix_of_a_larger_one(archive, tmp_path):
    out, paths = archive
    small = corpus.generate(30, tmp_path / "c30")
    assert [p.relative_to(tmp_path / "c30") for p in small] == \
        [p.relative_to(out) for p in paths[:30]]


def test_regenerating_smaller_removes_the_surplus(tmp_path):
    corpus.generate(45, tmp_path / "c")
    corpus.generate(10, tmp_path / "c")
    assert len(list((tmp_path / "c" / "reports").rglob("*.md"))) == 10
    assert not (tmp_path / "c" / "images").exists() or not any((tmp_path / "c" / "images").iterdir())


def test_reports_parse_back_with_valid_metadata(archive):
    _, paths = archive
    vocab = load_vocabulary()
    slugs = set()
    for path in paths:
        rep = parse_report(path.read_text(encoding="utf-8"))
        assert rep.get("Title") and rep.get("Lang") == "th"
        date = dt.date.fromisoformat(rep.get("Date"))
        assert dt.date(2010, 1, 1) <= date <= dt.date(2026, 12, 31)
        assert path.parent.name == str(date.year)
        if rep.get("End_date"):
            assert dt.date.fromisoformat(rep.get("End_date")) > date
        for kind, field in (("province", "Provinces"), ("agency", "Agencies"), ("program", "Programs")):
            keys = split_list(rep.get(field))
            assert keys and all(vocab.resolve(kind, k) == k for k in keys), (path, field)
        # A Thai body of several paragraphs, and nothing in it read as metadata.
        assert rep.body.count("\n\n") >= 3 and "Title:" not in rep.body
        assert sum("\u0e00" <= ch <= "\u0e7f" for ch in rep.body) > 500
        slugs.add(path.stem)
    assert len(slugs) == len(paths)


def test_every_province_agency_and_program_appears(archive):
    _, paths = archive
    vocab = load_vocabulary()
    seen = {"Provinces": set(), "Agencies": set(), "Programs": set()}
    for path in paths:
        rep = parse_report(path.read_text(encoding="utf-8"))
        for field in seen:
            seen[field].update(split_list(rep.get(field)))
    assert seen["Provinces"] == set(vocab.provinces)
    assert seen["Agencies"] == set(vocab.agencies)
    assert seen["Programs"] == set(vocab.programs)


def test_referenced_photos_exist_and_are_jpegs(archive):
    out, paths = archive
    with_images = 0
    for path in paths:
        rep = parse_report(path.read_text(encoding="utf-8"))
        for name in split_list(rep.get("Images")):
            with Image.open(out / "images" / path.stem / name) as im:
                assert im.format == "JPEG" and im.size == (800, 600)
            with_images += 1
    assert with_images >= 2


def test_refuses_to_write_into_content(capsys):
    with pytest.raises(SystemExit):
        corpus.main(["3", str(ROOT / "content" / "synthetic")])
    assert "content/" in capsys.readouterr().err
    assert not (ROOT / "content" / "synthetic").exists()


def test_build_benchmark_moves_old_outputs_aside_and_deletes_them_at_the_end(tmp_path):
    import build

    trash = build.Trash(tmp_path)
    site = tmp_path / "site-5-ours"
    (site / "reports").mkdir(parents=True)
    (site / "reports" / "index.html").write_text("old", encoding="utf-8")
    trash.clear(site)
    trash.clear(tmp_path / "never-built")   # nothing there: nothing to do
    assert not site.exists()
    kept = list(trash.folder.iterdir())
    assert [p.name.endswith("site-5-ours") for p in kept] == [True]
    assert (kept[0] / "reports" / "index.html").read_text(encoding="utf-8") == "old"
    site.mkdir()                             # the next build's output
    trash.clear(site)
    assert len(list(trash.folder.iterdir())) == 2
    trash.empty()
    assert not trash.folder.exists()


@pytest.mark.slow
def test_paired_benchmark_alternates_two_trees_and_prints_medians(tmp_path, capsys):
    import paired

    assert paired.main(["worktree", "worktree", "--reports", "12", "--rounds", "2",
                        "--rebuild-pairs", "2", "--work", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    rounds = [line for line in captured.err.splitlines() if line.startswith("round ")]
    assert [line.split(":")[0] for line in rounds] == [
        "round 1 worktree", "round 1 worktree", "round 2 worktree", "round 2 worktree"]
    pairs = [line for line in captured.err.splitlines() if line.startswith("pair ")]
    assert [line.split(":")[0] for line in pairs] == [
        "pair 1 worktree", "pair 1 worktree", "pair 2 worktree", "pair 2 worktree"]
    assert "Medians of 2 alternating rounds, 12 reports" in captured.out
    assert "One-edit rebuilds in 2 alternating pairs" in captured.out
    assert captured.out.count("| worktree ") == 4
    # Every edit was undone.
    from build import EDIT_MARK

    reports = list((tmp_path / "corpus-12").rglob("*.md"))
    assert len(reports) == 12
    assert not any(EDIT_MARK.strip() in p.read_text(encoding="utf-8") for p in reports)
    assert not (tmp_path / "trash").exists()
    assert (tmp_path / "paired-site-A" / "index.html").exists()
    assert (tmp_path / "paired-site-B" / "index.html").exists()
