"""`invoke new` writes a complete report that `invoke check` accepts, never
overwrites, and turns Thai names into keys."""
from __future__ import annotations

import builtins
import re
import subprocess
import sys

from facet_support import build_quick
from support import ROOT

from thaireports.reportfile import FIELDS, parse_report
from thaireports.scaffold import new_report
from thaireports.slugs import report_slug


def invoke(*args):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, text=True,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_new_then_check_round_trip(tmp_path):
    folder = tmp_path / "reports"
    proc = invoke("new", "--title", "อบรมเยาวชนต้านทุจริต", "--date", "2024-05-01",
                  "--province", "เชียงราย", "--agencies", "ป.ป.ช., nhco",
                  "--programs", "strong-club", "--folder", str(folder))
    assert proc.returncode == 0, proc.stdout
    slug = report_slug(__import__("datetime").date(2024, 5, 1), ["chiang-rai"], "อบรมเยาวชนต้านทุจริต")
    path = folder / "2024" / f"{slug}.md"
    assert path.exists(), proc.stdout
    assert re.fullmatch(r"2024-05-01-chiang-rai-[0-9a-f]{6}", slug)
    report = parse_report(path.read_text(encoding="utf-8"))
    # Every metadata field is there for the contributor to fill in.
    assert [f for f in FIELDS if f != "Fingerprint"] == [n.capitalize() for n in report.fields]
    assert report.get("provinces") == "chiang-rai"
    assert report.get("agencies") == "nacc, nhco"
    assert report.get("slug") == slug

    check = invoke("check", "--path", str(folder))
    assert check.returncode == 0, check.stdout
    assert "no problems" in check.stdout

    # The new report builds into a page too (as a draft in development).
    out = tmp_path / "out"
    content = tmp_path
    build_quick(content, out, extra={"ARTICLE_PATHS": ["reports"]})
    assert (out / "drafts" / slug / "index.html").exists()


def test_new_refuses_to_overwrite(tmp_path):
    args = ("new", "--title", "ประชุม", "--date", "2024-01-02", "--province", "bangkok",
            "--folder", str(tmp_path))
    assert invoke(*args).returncode == 0
    (path,) = tmp_path.glob("2024/*.md")
    path.write_text(path.read_text(encoding="utf-8") + "แก้ไขด้วยมือ\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    again = invoke(*args)
    assert again.returncode == 1
    assert "already exists" in again.stdout and "มีไฟล์" in again.stdout
    assert path.read_text(encoding="utf-8") == before


def test_new_rejects_an_unknown_province_with_a_suggestion(tmp_path):
    proc = invoke("new", "--title", "ก", "--date", "2024-01-02", "--province", "เชียงใหม",
                  "--folder", str(tmp_path))
    assert proc.returncode == 1
    assert "unknown province 'เชียงใหม'; did you mean chiang-mai (เชียงใหม่)?" in proc.stdout
    assert not list(tmp_path.rglob("*.md"))


def test_new_without_a_title_and_no_terminal_says_what_to_give(tmp_path):
    proc = invoke("new", "--folder", str(tmp_path))
    assert proc.returncode == 1
    assert "--title" in proc.stdout
    assert not list(tmp_path.rglob("*.md"))


def test_new_asks_for_what_is_missing_and_re_asks_after_a_mistake(tmp_path, monkeypatch, capsys):
    answers = iter(["", "งานทดสอบ", "5 เมษายน 2567", "เชียงใหม", "เชียงใหม่", "พอช.", ""])
    monkeypatch.setattr(builtins, "input", lambda prompt="": next(answers))
    assert new_report(tmp_path, interactive=True) == 0
    (path,) = tmp_path.glob("2024/*.md")
    report = parse_report(path.read_text(encoding="utf-8"))
    assert report.get("title") == "งานทดสอบ"
    assert report.get("date") == "2024-04-05"
    assert report.get("provinces") == "chiang-mai"
    assert report.get("agencies") == "codi"
    assert report.get("programs") in ("", None)
    assert "did you mean chiang-mai" in capsys.readouterr().out
