"""A build spread over two processes (reading and rendering) writes
exactly what a one-process build writes."""
from __future__ import annotations

import os
import sys

import pytest

from support import ROOT, build_site
from thaireports.parallel import ForkStream, SideTasks

sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402

pytestmark = pytest.mark.slow
N = 70  # above the prefetch threshold of 64 files


def test_fork_stream_gives_every_result_while_the_caller_works():
    items = list(range(500))
    stream = ForkStream(lambda x: str(x * x).encode() if x % 7 else None, items, workers=2)
    try:
        got = [stream.get(i, missing="gone") for i in items]
    finally:
        stream.close()
    assert got == [str(x * x).encode() if x % 7 else None for x in items]


def test_fork_stream_reports_what_a_dead_worker_never_wrote(tmp_path):
    def read(x):
        if x == 301:
            os._exit(3)  # the worker dies (odd items are worker 1's)
        return b"%d" % x

    stream = ForkStream(read, list(range(400)), workers=2)
    try:
        got = {i: stream.get(i, missing="gone") for i in range(400)}
    finally:
        stream.close()
    assert all(got[i] == b"%d" % i for i in range(0, 400, 2))
    assert all(got[i] == b"%d" % i for i in range(1, 301, 2))
    assert all(got[i] == "gone" for i in range(301, 400, 2))


def test_fork_stream_close_stops_the_workers_and_removes_their_files():
    import time

    stream = ForkStream(lambda x: time.sleep(0.05) or b"x", list(range(1000)), workers=2)
    folder, pids = stream._dir, list(stream._pids)
    stream.close()
    assert not os.path.exists(folder)
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_side_tasks_run_in_another_process_while_the_caller_goes_on(tmp_path):
    side = SideTasks()
    marker = tmp_path / "written"
    side.add("pid", os.getpid)
    side.add("file", lambda: marker.write_text("side", encoding="utf-8") or len("side"))
    side.start(workers=2)
    assert side.result("other", lambda: "not added") == "not added"
    pid = side.result("pid", lambda: "not added")
    assert isinstance(pid, int) and pid != os.getpid()
    assert side.result("file") == 4 and marker.read_text(encoding="utf-8") == "side"


def test_side_process_is_busy_until_its_last_task_is_done():
    side = SideTasks()
    assert not side.busy()                 # nothing started
    go_r, go_w = os.pipe()
    side.add("blocked", lambda: os.read(go_r, 1))
    side.start(workers=2)
    assert side.busy() and side.busy()
    os.write(go_w, b"x")
    assert side.result("blocked") == b"x"
    assert not side.busy()
    os.close(go_r)
    os.close(go_w)


def test_side_task_that_fails_there_raises_here_and_its_log_comes_back(caplog):
    import logging

    log = logging.getLogger("side-test")
    calls = []

    def task():
        # Distinct texts: Pelican's logger class shows a repeated warning once.
        log.warning("made in %s", "this process" if os.getpid() == here else "the side process")
        calls.append(os.getpid())
        raise ValueError("bad report")

    here = os.getpid()
    side = SideTasks()
    side.add("bad", task)
    with caplog.at_level(logging.WARNING, logger="side-test"):
        side.start(workers=2)
        with pytest.raises(ValueError, match="bad report"):
            side.result("bad")       # failed there, run again here: the error is raised here
    messages = [r.getMessage() for r in caplog.records]
    assert messages.count("made in the side process") == 1
    assert messages.count("made in this process") == 1
    assert calls == [here]           # the side process's call left no trace here


def test_side_tasks_of_a_dead_side_process_run_here():
    side = SideTasks()
    side.add("dies", lambda: os._exit(5) if os.getpid() != here else "done here")
    here = os.getpid()
    side.start(workers=2)
    assert side.result("dies") == "done here"


def test_side_tasks_run_here_with_one_worker_or_before_start():
    side = SideTasks()
    side.add("pid", os.getpid)
    side.start(workers=1)
    assert side.result("pid") == os.getpid()
    side.reset()
    assert side.result("pid", lambda: "forgotten") == "forgotten"


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("parallel")
    content = base / "content"
    corpus.generate(N, content, images_every=0)
    one, two = base / "one", base / "two"
    build_site(content, one, extra={"BUILD_WORKERS": 1})
    proc = build_site(content, two, args=("-v",),
                      extra={"BUILD_WORKERS": 2, "RENDER_PARALLEL_MIN": 1})
    return {"content": content, "one": one, "two": two, "log": " ".join(proc.stdout.split())}


def test_two_processes_were_used(builds):
    assert f"prefetch: {N} md files read by 2 processes" in builds["log"]
    assert "rendered by 2 processes" in builds["log"]


def test_output_is_the_same_as_one_process(builds):
    def files(out):
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    one, two = files(builds["one"]), files(builds["two"])
    assert set(one) == set(two)
    differ = sorted(k for k in one if one[k] != two[k])
    assert not differ, differ[:10]
    assert sum(k.startswith("reports/") and k.endswith(".html") for k in two) == N

