"""A report that cannot be published stops the build with its file and line,
and no report is ever dropped silently."""
from __future__ import annotations

import shutil

import pytest

from facet_support import BROKEN_CONTENT, FACET_CONTENT, ROOT, build_quick


def make_content(tmp_path, files: dict[str, str], base=None):
    content = tmp_path / "content"
    if base is not None:
        shutil.copytree(base, content)
    for name, text in files.items():
        path = content / "reports" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return content


def shown(path) -> str:
    """How the plugin names a file: relative to the repository when inside it."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("broken") / "output"
    return out, build_quick(BROKEN_CONTENT, out, check=False)


def test_unknown_province_fails_the_build_with_path_and_line(broken_build):
    out, proc = broken_build
    assert proc.returncode != 0
    where = shown(BROKEN_CONTENT / "reports" / "broken.md")
    assert f"{where}:3: unknown province 'เชียงใหม'; did you mean chiang-mai (เชียงใหม่)?" in proc.stdout
    assert (f"{where}:3: ไม่รู้จักจังหวัด 'เชียงใหม' — หมายถึง chiang-mai (เชียงใหม่) ใช่หรือไม่? "
            "แก้บรรทัดนี้ให้เป็นรหัสที่ถูกต้อง") in proc.stdout
    # A contributor sees the problems, not a Python traceback after them.
    assert "Traceback" not in proc.stdout
    assert proc.returncode == 1
    # Nothing is half-published: the good report's page was not written either.
    assert not list(out.glob("reports/*/*/index.html"))


def test_problems_in_several_files_are_all_reported_at_once(tmp_path):
    content = make_content(tmp_path, {
        "a.md": "Title: ก\nDate: 2024-13-01\nAgencies: ปปช\n\nข้อความ\n",
        "b.md": "Title: ข\nDate: 2567-04-05\nPrograms: ธรรมนูญตำบล, ตำบลขาว\n\nข้อความ\n",
        "c.md": "Date: 2024-04-05\nParticipants: ประมาณ 50 คน\nSource: www.example.org\n\nข้อความ\n",
    })
    proc = build_quick(content, tmp_path / "out", check=False)
    assert proc.returncode != 0
    reports = content / "reports"
    for expected in [
        f"{shown(reports / 'a.md')}:2: Date '2024-13-01' is not a date",
        f"{shown(reports / 'b.md')}:2: Date '2567-04-05' has a Buddhist-era year; "
        "write it in the Christian era: Date: 2024-04-05",
        f"{shown(reports / 'b.md')}:3: unknown program 'ตำบลขาว'; did you mean white-tambon",
        f"{shown(reports / 'c.md')}:1: the report has no title",
        f"{shown(reports / 'c.md')}:2: Participants 'ประมาณ 50 คน' is not a whole number",
        f"{shown(reports / 'c.md')}:3: Source 'www.example.org' is not a web address",
    ]:
        assert expected in proc.stdout, expected


def test_non_markdown_file_in_reports_fails_instead_of_being_skipped(tmp_path):
    content = make_content(tmp_path, {"2024/notes.txt": "Title: x\nDate: 2024-01-01\n\nx\n"},
                           base=BROKEN_CONTENT)
    (content / "reports" / "broken.md").unlink()
    proc = build_quick(content, tmp_path / "out", check=False)
    assert proc.returncode != 0
    assert f"{shown(content / 'reports' / '2024' / 'notes.txt')}:1: only Markdown reports (.md)" in proc.stdout


def test_duplicate_slugs_fail_naming_both_files(tmp_path):
    text = "Title: {t}\nDate: 2024-01-0{d}\nSlug: same-slug\nProvinces: bangkok\n\nเนื้อหา\n"
    content = make_content(tmp_path, {"x/one.md": text.format(t="หนึ่ง", d=1),
                                      "y/two.md": text.format(t="สอง", d=2)})
    proc = build_quick(content, tmp_path / "out", check=False)
    assert proc.returncode != 0
    one, two = shown(content / "reports" / "x" / "one.md"), shown(content / "reports" / "y" / "two.md")
    assert f"{two}:3: slug 'same-slug' is already used by {one}" in proc.stdout


def test_a_report_pelican_drops_fails_the_build_by_name(tmp_path):
    """Pelican skips a file it cannot read with only a log line; here the
    Markdown reader is switched off, so no report page is written at all."""
    content = make_content(tmp_path, {}, base=FACET_CONTENT)
    proc = build_quick(content, tmp_path / "out", check=False,
                      extra={"READERS": {"md": None, "rst": None}})
    assert proc.returncode != 0
    lost = shown(content / "reports" / "2024" / "2024-04-05-phitsanulok-1afdb7.md")
    assert f"{lost}:1: this report was not published" in proc.stdout
    assert "6 of 6 reports were lost" in proc.stdout


def test_thai_dates_and_times_in_metadata_are_accepted(tmp_path):
    content = make_content(tmp_path, {
        "a.md": "Title: ก\nDate: 5 เมษายน 2567\nEnd_date: 6 เม.ย. 67\nProvinces: bangkok\n\nเนื้อหา\n",
        "b.md": "Title: ข\nDate: 2024-04-07 13:30\nProvinces: bangkok\n\nเนื้อหา\n",
    })
    out = tmp_path / "out"
    build_quick(content, out)
    assert (out / "reports" / "2024" / "a" / "index.html").exists()
    assert (out / "reports" / "2024" / "b" / "index.html").exists()
    import json
    data = json.loads((out / "data" / "reports.json").read_text(encoding="utf-8"))
    by_slug = {r["slug"]: r for r in data["reports"]}
    assert by_slug["a"]["date"] == "2024-04-05" and by_slug["a"]["end_date"] == "2024-04-06"
    assert by_slug["b"]["date"] == "2024-04-07"


def test_a_draft_is_not_counted_as_lost_when_drafts_are_not_published(tmp_path):
    content = make_content(tmp_path, {
        "a.md": "Title: ก\nDate: 2024-01-02\nProvinces: bangkok\n\nเนื้อหา\n",
        "b.md": "Title: ข\nDate: 2024-01-03\nProvinces: bangkok\nStatus: draft\n\nเนื้อหา\n",
    })
    out = tmp_path / "out"
    proc = build_quick(content, out, settings="publishconf.py", env={"SITEURL": "http://127.0.0.1:8765"})
    assert proc.returncode == 0
    assert (out / "reports" / "2024" / "a" / "index.html").exists()
    assert not list(out.rglob("b/index.html"))
