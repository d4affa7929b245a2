"""The score command on the shared corpus: the scraper's measurable targets.
A regression test — if a change makes extraction worse, this fails."""
import re
import subprocess
import sys

import pytest

from scraper.score import score_dir, title_similarity
from support import CORPUS, ROOT


@pytest.fixture(scope="module")
def report():
    return score_dir(CORPUS)


def test_corpus_is_scored_case_by_case(report):
    assert report.cases == len(list(CORPUS.glob("*.json"))) >= 34


def test_date_participants_and_title_targets(report):
    assert report.date_accuracy >= 0.97, report.table()
    assert report.participants_accuracy >= 0.95, report.table()
    assert report.title_match >= 0.95, report.table()


def test_tagging_targets(report):
    assert report.sets["provinces"].f1 >= 0.97, report.table()
    assert report.sets["agencies"].f1 >= 0.97, report.table()
    assert report.sets["programs"].f1 >= 0.95, report.table()


def test_title_similarity_is_normalized_and_not_fooled_by_fragments():
    assert title_similarity("ป.ป.ช.  ประจวบฯ “ตั้ง” ชมรม", 'ป.ป.ช. ประจวบฯ "ตั้ง" ชมรม') == 100
    assert title_similarity("ชมรม", "ป.ป.ช.ประจวบฯ ตั้งชมรม strong") < 80
    assert title_similarity(None, "x") == 0


def test_score_command_prints_the_table():
    proc = subprocess.run([sys.executable, "-m", "scraper", "score", str(CORPUS)], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    for field in ("provinces", "agencies", "programs", "date", "participants", "title"):
        assert re.search(rf"^\| {field}", proc.stdout, re.M), proc.stdout
    assert "precision" in proc.stdout and "recall" in proc.stdout


def test_score_command_on_an_empty_folder(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "scraper", "score", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "no NNN.txt + NNN.json pairs" in proc.stdout
