"""`python -m scraper normalize` and `extract`: files written once and
atomically, idempotent re-runs, hand edits never overwritten, the same event
from two sources published once, bad inputs named with a reason."""
import json
import shutil
import subprocess
import sys

import pytest

from scraper.normalize import normalize
from support import ROOT, SEEDS
from thaireports.reportfile import parse_report, was_edited_by_hand


def run(*args):
    return subprocess.run([sys.executable, "-m", "scraper", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.fixture()
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def test_normalize_writes_each_seed_once_and_is_idempotent(seeds, tmp_path):
    out = tmp_path / "reports"
    first = normalize([str(p) for p in sorted(seeds.iterdir())], out, progress=False)
    assert first.counts()["written"] == 5, first.detail_lines()
    files = sorted(out.rglob("*.md"))
    assert [f.parent.name for f in files] == ["2015", "2019", "2023", "2023", "2024"]
    before = {f: f.read_bytes() for f in files}
    second = normalize([str(p) for p in sorted(seeds.iterdir())], out, progress=False)
    assert second.counts()["unchanged"] == 5
    assert {f: f.read_bytes() for f in sorted(out.rglob("*.md"))} == before
    assert "unchanged 5" in second.summary_line()


def test_written_report_has_the_metadata_and_a_separate_body(seeds, tmp_path):
    out = tmp_path / "reports"
    normalize([str(next(seeds.glob("004_*.txt")))], out, progress=False)
    (path,) = out.rglob("*.md")
    rf = parse_report(path.read_text(encoding="utf-8"))
    assert path.parent.name == "2015" and path.stem == rf.get("slug")
    assert rf.get("title") == "ประชุมเชิงปฏิบัติการ เครือข่าย อปท.โปร่งใส หัวใจคุณธรรม ปี 2558"
    assert rf.get("date") == "2015-05-25"
    assert rf.get("provinces") == "phuket"
    assert rf.get("participants") == "250"
    assert rf.get("lang") == "th"
    assert rf.get("source").endswith("004_1148fe20a6c28adb.txt")
    assert rf.get("fingerprint") and not was_edited_by_hand(path.read_text(encoding="utf-8"))
    assert rf.body.startswith("อบจ.ภูเก็ต ร่วมประชุมเชิงปฏิบัติการ")


def test_metadata_like_line_at_the_start_of_a_body_stays_body(tmp_path):
    src = tmp_path / "report.txt"
    src.write_text("ประชุมเครือข่ายเฝ้าระวังการทุจริตจังหวัดน่าน\n\nTitle: หัวข้อที่ไม่ใช่ของรายงาน\nSlug: ชื่อไฟล์อื่น\n"
                   "เมื่อวันที่ 5 เมษายน 2567 สำนักงาน ป.ป.ช. ประจำจังหวัดน่าน จัดประชุมเครือข่ายเฝ้าระวังการทุจริต "
                   "มีผู้เข้าร่วมประมาณ 80 คน\n", encoding="utf-8")
    out = tmp_path / "reports"
    normalize([str(src)], out, progress=False)
    (path,) = out.rglob("*.md")
    rf = parse_report(path.read_text(encoding="utf-8"))
    assert rf.get("title") == "ประชุมเครือข่ายเฝ้าระวังการทุจริตจังหวัดน่าน"
    assert rf.get("date") == "2024-04-05"
    assert rf.get("slug") != "ชื่อไฟล์อื่น"
    assert "Title: หัวข้อที่ไม่ใช่ของรายงาน" in rf.body and "Slug: ชื่อไฟล์อื่น" in rf.body


def test_report_edited_by_hand_is_never_overwritten(seeds, tmp_path):
    out = tmp_path / "reports"
    inputs = [str(next(seeds.glob("001_*.txt")))]
    normalize(inputs, out, progress=False)
    (path,) = out.rglob("*.md")
    edited = path.read_text(encoding="utf-8").replace("ข่าว : อรอิศรา", "ข่าวโดย อรอิศรา")
    path.write_text(edited, encoding="utf-8")
    res = normalize(inputs, out, progress=False)
    assert res.counts()["skipped"] == 1
    assert "edited by hand" in res.detail_lines()[0] and str(path) in res.detail_lines()[0]
    assert path.read_text(encoding="utf-8") == edited
    assert not res.failed


def test_generated_report_is_rewritten_in_place_when_the_extraction_changes(seeds, tmp_path):
    out = tmp_path / "reports"
    inputs = [str(next(seeds.glob("002_*.txt")))]
    normalize(inputs, out, progress=False)
    (path,) = out.rglob("*.md")
    # an older scraper wrote a different (but untouched) file at this path
    from thaireports.reportfile import render_report
    old = parse_report(path.read_text(encoding="utf-8"))
    meta = {f.name.capitalize(): f.value for f in old.fields.values() if f.name != "fingerprint"}
    meta["Summary"] = "สรุปเก่า"
    path.write_text(render_report(meta, old.body, with_fingerprint=True), encoding="utf-8")
    res = normalize(inputs, out, progress=False)
    assert res.counts()["updated"] == 1
    assert "สรุปเก่า" not in path.read_text(encoding="utf-8")
    assert len(list(out.rglob("*.md"))) == 1


def test_same_event_from_two_sources_is_published_once(seeds, tmp_path):
    original = next(seeds.glob("004_*.txt")).read_text(encoding="utf-8")
    # a newspaper copy: another site's furniture, a shortened headline, a trimmed ending
    copy = ("หน้าแรก ข่าว ติดต่อเรา\n\nอบจ.ภูเก็ตจัดประชุมเครือข่าย อปท.โปร่งใส\n\n"
            + "\n\n".join(original.split("\n\n")[3:6]) + "\n\nแชร์\n")
    other = tmp_path / "copy.txt"
    other.write_text(copy, encoding="utf-8")
    out = tmp_path / "reports"
    res = normalize([str(next(seeds.glob("004_*.txt"))), str(other)], out, progress=False)
    assert res.counts()["written"] == 1 and res.counts()["skipped"] == 1
    (dup,) = [o for o in res.outcomes if o.status == "skipped"]
    assert dup.source == str(other) and dup.reason.startswith("near-duplicate of ")
    assert len(list(out.rglob("*.md"))) == 1
    # different events on other days are not duplicates of each other
    res = normalize([str(p) for p in sorted(seeds.iterdir())], out, progress=False)
    assert res.counts()["written"] == 4 and res.counts()["unchanged"] == 1


def test_cli_extract_json_lines_and_one_line_reasons_for_bad_inputs(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20)
    english = tmp_path / "english.txt"
    english.write_text("Meeting on 5 April 2024 about integrity.", encoding="utf-8")
    seed = str(next(SEEDS.glob("002_*.txt")))
    proc = run("extract", str(empty), seed, str(binary), str(english), str(tmp_path / "missing.txt"), "--json")
    assert proc.returncode == 1
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1
    rec = json.loads(lines[0])
    for key in ("source", "title", "date", "end_date", "published", "provinces", "agencies", "programs",
                "participants", "venue", "summary", "body", "images"):
        assert key in rec
    assert rec["date"] == "2019-02-09" and rec["end_date"] == "2019-02-10" and rec["participants"] == 136
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 4, proc.stderr
    assert "Traceback" not in proc.stderr
    for path, why in ((empty, "empty"), (binary, "binary"), (english, "no Thai"), (tmp_path / "missing.txt", "no such file")):
        assert any(line.startswith(str(path)) and why in line for line in errors), (path, errors)


def test_cli_normalize_summary_line_and_exit_code(seeds, tmp_path):
    (seeds / "notes.txt").write_text("just some notes", encoding="utf-8")
    out = tmp_path / "reports"
    proc = run("normalize", str(seeds), "--out", str(out))
    assert proc.returncode == 1                      # one input was not a report
    assert "written 5" in proc.stdout and "skipped 1" in proc.stdout and "no Thai text" in proc.stdout
    assert f"{seeds / 'notes.txt'}: failed: no Thai text" in proc.stderr
    assert len(list(out.rglob("*.md"))) == 5


def test_input_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    from scraper import load
    from scraper.record import NotAReport
    monkeypatch.setattr(load, "MAX_INPUT_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_bytes("ประชุม".encode() * 200)
    with pytest.raises(NotAReport, match="MB limit"):
        load.load_record(str(big))
    with pytest.raises(NotAReport, match="MB limit"):
        load.record_from_bytes(big.read_bytes(), "http://example.org/x")
