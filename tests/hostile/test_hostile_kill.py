"""kill -9 at random moments: while `python -m scraper normalize` writes many
reports, and during a Pelican build. Afterwards every report that existed is
intact, no half-written file is visible as a report (a stray temporary file
starts with "." and ends in ".tmp", and Pelican ignores it), and running again
finishes the job with the same result as an uninterrupted run."""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import CORPUS, ROOT, SEEDS, build_site

pytestmark = pytest.mark.slow

INPUTS = sorted(CORPUS.glob("*.txt")) + sorted(SEEDS.glob("*.txt"))
HAND_WRITTEN = """Title: รายงานที่เขียนด้วยมือ
Date: 2024-01-15
Provinces: phitsanulok
Agencies: nacc

รายงานนี้เขียนเองและต้องไม่ถูกแตะต้อง
"""


def _normalize(out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "scraper", "normalize", "--quiet", "--out", str(out),
                             *map(str, INPUTS)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _kill_at(proc: subprocess.Popen, seconds: float) -> bool:
    """SIGKILL the process group after `seconds`; False if it had finished."""
    try:
        proc.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return True


def _is_stray_temp(rel: str) -> bool:
    name = Path(rel).name
    return name.startswith(".") and name.endswith(".tmp")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted run: what every report must look like."""
    out = tmp_path_factory.mktemp("reference") / "reports"
    start = time.monotonic()
    proc = _normalize(out)
    proc.communicate(timeout=600)
    snap = _snapshot(out)
    assert len(snap) >= 30, "normalize wrote too few reports to test interruption"
    return snap, time.monotonic() - start


def test_kill_9_during_normalize_loses_nothing_and_rerun_finishes(tmp_path, reference):
    ref, duration = reference
    out = tmp_path / "reports"
    # Existing reports: a third of the archive already normalized, plus one a
    # person wrote (no fingerprint: never to be overwritten).
    existing = dict(list(sorted(ref.items()))[::3])
    for rel, data in existing.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    hand = out / "2024" / "2024-01-15-phitsanulok-handmade.md"
    hand.parent.mkdir(parents=True, exist_ok=True)
    hand.write_text(HAND_WRITTEN, encoding="utf-8")
    existing[str(hand.relative_to(out))] = hand.read_bytes()

    rnd = random.Random(20240405)
    kills = 0
    for attempt in range(10):
        if kills >= 5:
            break
        # Each interrupted run leaves less to do, so aim earlier after a run
        # that finished before its kill.
        killed = _kill_at(_normalize(out), 0.3 + rnd.uniform(0.05, 0.95) * duration)
        kills += killed
        if not killed:
            duration /= 2
        snap = _snapshot(out)
        for rel, data in existing.items():
            assert snap.get(rel) == data, f"existing report {rel} changed or vanished after kill -9"
        for rel, data in snap.items():
            if _is_stray_temp(rel) or rel in existing:
                continue
            assert rel in ref, f"unexpected file {rel} after kill -9"
            assert data == ref[rel], f"{rel} is half-written after kill -9"
    assert kills >= 3, "the runs finished before they could be interrupted"

    proc = _normalize(out)
    stdout, stderr = proc.communicate(timeout=600)
    final = {rel: data for rel, data in _snapshot(out).items() if not _is_stray_temp(rel)}
    expected = {**ref, str(hand.relative_to(out)): existing[str(hand.relative_to(out))]}
    assert set(final) == set(expected), (set(final) ^ set(expected), stderr.decode()[-2000:])
    for rel, data in expected.items():
        assert final[rel] == data, rel


def _output_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_kill_9_during_a_build_then_rebuild_is_complete(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    # A temporary file a killed `normalize` can leave: Pelican must ignore it.
    stray = next((content / "reports").rglob("*.md"))
    (stray.parent / f".{stray.name}.k3j9x2.tmp").write_text("Title: half\nDa", encoding="utf-8")

    ref_out = tmp_path / "reference"
    start = time.monotonic()
    build_site(content, ref_out)
    duration = time.monotonic() - start
    reference = _output_files(ref_out)
    assert not any(".tmp" in p for p in reference)

    out = tmp_path / "output"
    rnd = random.Random(7)
    cache = out.parent / f"{out.name}-cache"
    cmd = [sys.executable, "-m", "pelican", str(content), "-o", str(out), "-s",
           str(ROOT / "pelicanconf.py"), "--fatal", "errors", "-e", f'CACHE_PATH="{cache}"']
    kills = 0
    # Warm caches make later builds faster than the reference: when a build
    # finishes before its kill, aim earlier next time, so the test does not
    # depend on how loaded the machine is.
    for attempt in range(8):
        if kills >= 3:
            break
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        killed = _kill_at(proc, rnd.uniform(0.1, 0.95) * duration)
        kills += killed
        if not killed:
            duration /= 2
    assert kills >= 2

    build_site(content, out)  # must succeed despite the half-written output and cache
    assert _output_files(out) == reference
    for page in out.rglob("*.html"):
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), page
