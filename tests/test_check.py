"""`invoke check`: every report validated without building, problems named
by file and line in English and Thai, inferred tags listed for review."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from hypothesis import given, settings, strategies as st

from facet_support import BROKEN_CONTENT, FACET_CONTENT, ROOT

from thaireports.tagging import tag_text
from thaireports.reportfile import parse_report
from thaireports.validation import validate_report


def invoke(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=cwd, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_check_names_file_and_line_of_an_unknown_province():
    proc = invoke("check", "--path", str(BROKEN_CONTENT / "reports"))
    assert proc.returncode == 1
    where = (BROKEN_CONTENT / "reports" / "broken.md").relative_to(ROOT)
    assert f"{where}:3: unknown province 'เชียงใหม'; did you mean chiang-mai (เชียงใหม่)?" in proc.stdout
    assert f"{where}:3: ไม่รู้จักจังหวัด 'เชียงใหม' — หมายถึง chiang-mai (เชียงใหม่) ใช่หรือไม่?" in proc.stdout
    assert "1 problem(s) to fix" in proc.stdout


def test_check_passes_a_clean_folder_and_lists_inferred_tags_for_review():
    proc = invoke("check", "--path", str(FACET_CONTENT / "reports"))
    assert proc.returncode == 0, proc.stdout
    path = FACET_CONTENT / "reports" / "2024" / "2024-09-01-untagged.md"
    report = parse_report(path.read_text(encoding="utf-8"))
    tags = tag_text(report.get("title"), report.body)
    where = path.relative_to(ROOT)
    assert f"{where}: inferred provinces / จังหวัดที่อนุมานจากเนื้อหา: {', '.join(tags.provinces)}" in proc.stdout
    assert f"{where}: inferred agencies / หน่วยงานที่อนุมานจากเนื้อหา: {', '.join(tags.agencies)}" in proc.stdout
    assert "chiang-rai" in tags.provinces
    # Reports that give all their facets are not listed.
    assert "2024-04-05-phitsanulok-1afdb7.md: inferred" not in proc.stdout
    assert "no problems" in proc.stdout


def problems_of(text):
    return [(p.line, p.en) for p in validate_report(text, "r.md").problems]


def test_each_kind_of_problem_is_found_on_its_line():
    text = ("Title: ทดสอบ\nDate: 2024-04-05\nEnd_date: 2024-04-01\nProvnices: bangkok\n"
            "Agencies: ปปช, สภ.\nParticipants: 12.5\nSource: javascript:alert(1)\nStatus: live\n"
            "Slug: ไทย\n\nเนื้อหา\n")
    found = problems_of(text)
    lines = {line for line, _ in found}
    assert lines == {3, 4, 5, 6, 7, 8, 9}, found
    messages = " | ".join(en for _, en in found)
    assert "End_date 2024-04-01 is before Date 2024-04-05" in messages
    assert "unknown field 'provnices'" in messages and "did you mean Provinces?" in messages
    assert "unknown agency 'สภ.'" in messages
    assert "Participants '12.5' is not a whole number" in messages
    assert "Source 'javascript:alert(1)' is not a web address" in messages
    assert "Status 'live'" in messages
    assert "Slug 'ไทย'" in messages


def test_every_problem_has_a_thai_explanation_too():
    text = "Date: 1 Foo 2024\nProvinces: xyz-nowhere\n\n"
    for p in validate_report(text, "r.md").problems:
        assert p.th and any("\u0e00" <= ch <= "\u0e7f" for ch in p.th), p
        assert str(p).splitlines() == [f"r.md:{p.line}: {p.en}", f"r.md:{p.line}: {p.th}"]


def test_aliases_and_thai_names_are_normalized_to_keys():
    r = validate_report("Title: ก\nDate: 2024-01-02\nProvinces: จ.เชียงราย, Bangkok, กทม.\n"
                        "Agencies: ป.ป.ช, สช.\nPrograms: ตำบลสีขาว\n\nx\n", "r.md")
    assert r.ok, r.problems
    assert r.meta["provinces"] == ["chiang-rai", "bangkok"]
    assert r.meta["agencies"] == ["nacc", "nhco"]
    assert r.meta["programs"] == ["white-tambon"]
    assert r.missing == set()


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from([
    "Title: ก", "Date: 2024-02-30", "Date: 2024-02-03", "Provinces: เชียงใหม", "Provinces: ",
    "Participants: ๑๒", "Source: https://e.org/x", "End_date: 2023-01-01", "Lang: th",
    "Agencies: nacc, ???", "Garbage line", "  continued", "", "Slug: ok-slug",
]), max_size=10))
def test_validation_never_crashes_and_points_inside_the_file(lines):
    text = "\n".join(lines) + "\n\nbody\n"
    checked = validate_report(text, "r.md")
    total = text.count("\n") + 1
    for p in checked.problems:
        assert 1 <= p.line <= total
    assert checked.slug and checked.slug.isascii()


def test_source_is_a_link_or_a_local_file_label_never_a_bad_link():
    def source(value):
        r = validate_report(f"Title: ก\nDate: 2024-01-02\nSource: {value}\n\nx\n", "r.md")
        return r.meta["source"], r.meta["source_label"], [p.line for p in r.problems]

    assert source("https://example.org/a?b=1") == ("https://example.org/a?b=1", None, [])
    # The scraper records the file a report came from; shown, never linked.
    assert source("../shared/seeds/002_8b67cfc716fe4912.txt") == (
        None, "../shared/seeds/002_8b67cfc716fe4912.txt", [])
    for bad in ("www.example.org", "example.org/news", "javascript:alert(1)", "ftp://x.org/a",
                "https://x.org/a b"):
        assert source(bad) == (None, None, [3]), bad


def test_real_path_agrees_with_realpath_through_linked_folders_and_files(tmp_path):
    from thaireports.checking import forget_real_paths, real_path

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.md").write_text("x", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "b" / "y.md").symlink_to(tmp_path / "a" / "b" / "x.md")
    forget_real_paths()
    paths = [tmp_path / "link" / "b" / "x.md", tmp_path / "link" / "b" / "y.md",
             tmp_path / "a" / "b" / "x.md", f"{tmp_path}/link/b/../b/x.md",
             tmp_path / "link" / "b" / "missing.md", "relative/x.md"]
    for p in paths:
        assert real_path(p) == os.path.realpath(p)
    assert real_path(tmp_path / "link" / "b" / "y.md") == str(tmp_path / "a" / "b" / "x.md")
    # A folder that becomes a link between two builds.
    (tmp_path / "link").unlink()
    (tmp_path / "c").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "c")
    forget_real_paths()
    assert real_path(tmp_path / "link" / "b" / "x.md") == str(tmp_path / "c" / "b" / "x.md")


@pytest.mark.parametrize("path, folder", [
    ("/srv/site/content/reports/a.md", "/srv/site/content"),
    ("/srv/site/content/reports/a.md", "/srv/site/content/"),
    ("/srv/site/content/./reports/a.md", "/srv/site/content"),
    ("/srv/site/content/../other/a.md", "/srv/site/content"),
    ("/srv/site/contents/a.md", "/srv/site/content"),
    ("/srv/elsewhere/a.md", "/srv/site/content"),
    ("/srv/site/content/reports/a.md", "/srv/site/./content"),
])
def test_relative_path_is_relpath(path, folder):
    from thaireports.checking import relative_path

    assert relative_path(path, folder) == os.path.relpath(path, folder)
