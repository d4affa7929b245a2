"""Bad inputs to the scraper CLI: each gets a one-line reason naming the file,
the exit code is non-zero, no traceback is printed, and the good inputs given
alongside still go through."""
from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT, SEEDS

GOOD = sorted(SEEDS.glob("*.txt"))[0]
THAI_REPORT = GOOD.read_text(encoding="utf-8")


def run_scraper(*args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scraper", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def _bad_inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(9)
    files = {
        "empty": ("empty.txt", b""),
        "whitespace": ("blank.txt", b"  \n\n\t \r\n"),
        "binary": ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rnd.randbytes(20_000)),
        "binary-html": ("page.html", b"\x00\x01\x02" + rnd.randbytes(5_000)),
        "non-thai": ("english.txt", b"The Integrity Network met on 5 April 2024 in a town hall.\n"
                                    b"About 200 people came. It was a good meeting.\n" * 20),
        "mojibake": ("mojibake.txt", THAI_REPORT.encode("utf-8").decode("latin-1").encode("utf-8")),
        "utf16-no-bom": ("utf16.txt", THAI_REPORT.encode("utf-16-le")),
        "mixed-script-garbage": ("mixed.txt", "".join(
            rnd.choice("กขคabcЖЗИمرح中文한국어ÆØÅ🙂‮ ") for _ in range(5000)).encode("utf-8")),
    }
    return {kind: _write(folder / name, data) for kind, (name, data) in files.items()}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _assert_one_line_reasons(proc, bad: dict[str, Path]):
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr[-3000:]
    assert proc.returncode != 0
    for kind, path in bad.items():
        lines = [ln for ln in proc.stderr.splitlines() if path.name in ln]
        assert len(lines) == 1, f"{kind}: expected one line naming {path.name}, got {lines!r}"
        assert len(lines[0]) < 300


def test_extract_gives_one_line_reasons_and_still_extracts_the_good_input(tmp_path):
    bad = _bad_inputs(tmp_path / "in")
    proc = run_scraper("extract", "--json", *bad.values(), GOOD)
    _assert_one_line_reasons(proc, bad)
    records = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert [Path(r["source"]).name for r in records] == [GOOD.name]
    assert records[0]["title"] and records[0]["date"]


def test_normalize_writes_the_good_report_and_names_every_bad_one(tmp_path):
    bad = _bad_inputs(tmp_path / "in")
    out = tmp_path / "reports"
    proc = run_scraper("normalize", "--quiet", "--out", out, *bad.values(), GOOD)
    _assert_one_line_reasons(proc, bad)
    written = list(out.rglob("*.md"))
    assert len(written) == 1
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_windows_874_text_is_decoded_not_mojibake(tmp_path):
    path = _write(tmp_path / "tis620.txt", THAI_REPORT.encode("cp874", errors="replace"))
    proc = run_scraper("extract", "--json", path)
    assert proc.returncode == 0, proc.stderr
    rec = json.loads(proc.stdout)
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in rec["title"])
    assert "à¸" not in proc.stdout and "Ã" not in proc.stdout


def test_deeply_nested_html_report_is_extracted_or_refused_in_one_line(tmp_path):
    page = ("<html><head><meta charset='utf-8'><title>ข่าว</title></head><body>" + "<div>" * 3_000
            + "".join(f"<p>{line}</p>" for line in THAI_REPORT.splitlines())
            + "</div>" * 3_000 + "</body></html>")
    path = _write(tmp_path / "deep.html", page.encode("utf-8"))
    proc = run_scraper("extract", "--json", path)
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    if proc.returncode == 0:
        assert json.loads(proc.stdout)["date"]
    else:
        assert len(proc.stderr.strip().splitlines()) == 1 and "deep.html" in proc.stderr


@pytest.mark.parametrize("depth", [5_000, 50_000])
def test_deeply_nested_html_without_a_report_is_refused_in_one_line(tmp_path, depth):
    path = _write(tmp_path / "nested.html", b"<html><body>" + b"<div>" * depth + "ข่าว".encode()
                  + b"</div>" * depth + b"</body></html>")
    proc = run_scraper("extract", "--json", path, GOOD)
    _assert_one_line_reasons(proc, {"nested": path})
    assert len(proc.stdout.strip().splitlines()) == 1


@pytest.mark.slow
def test_huge_input_gets_a_reason_and_does_not_stop_the_others(tmp_path):
    huge = tmp_path / "huge.txt"
    block = (THAI_REPORT + "\n").encode("utf-8")
    with huge.open("wb") as fh:
        for _ in range(50 * 1024 * 1024 // len(block) + 1):
            fh.write(block)
    assert huge.stat().st_size >= 50 * 1024 * 1024
    proc = run_scraper("extract", "--json", huge, GOOD)
    _assert_one_line_reasons(proc, {"huge": huge})
    records = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert [Path(r["source"]).name for r in records] == [GOOD.name]


def test_missing_file_and_folder_and_bad_url_are_reasons_too(tmp_path):
    proc = run_scraper("extract", "--json", tmp_path / "nope.txt", "file:///etc/passwd",
                       "http://169.254.169.254/latest/meta-data/", GOOD)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode != 0
    for needle in ("nope.txt", "file:///etc/passwd", "169.254.169.254"):
        assert len([ln for ln in proc.stderr.splitlines() if needle in ln]) == 1, (needle, proc.stderr)
    assert len(proc.stdout.strip().splitlines()) == 1
