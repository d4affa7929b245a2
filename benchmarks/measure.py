"""Running a command and measuring it: wall time and peak memory of the
whole process tree (a build may fan out to worker processes, whose memory
adds up), plus small formatting helpers for the benchmark tables."""
from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass
class Run:
    seconds: float
    cpu: float            # user + system seconds of the process and its children
    peak_mb: float        # largest sum of PSS over the process tree, sampled
    returncode: int
    output: str


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    return pids


def _pss_kb(pid: int) -> int:
    """Proportional set size: a page shared by forked workers counts once
    over the tree (RSS would count it in every process that maps it)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return _rss_kb(pid)
    return _rss_kb(pid)


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE_KB
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0


def run(cmd: list[str], *, cwd: Path | None = None, env: dict | None = None,
        interval: float = 0.05) -> Run:
    """Run `cmd` to completion; output (stdout+stderr) goes to a temporary
    file so a chatty build cannot block on a full pipe."""
    import tempfile

    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        peak = 0
        done = threading.Event()

        def sample():
            nonlocal peak
            while not done.is_set():
                peak = max(peak, sum(_pss_kb(p) for p in _tree(proc.pid)))
                done.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4 also gives the kernel's own peak for the largest single process,
        # which catches a spike shorter than the sampling interval.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        out = log.read()
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, max(peak, usage.ru_maxrss) / 1024, proc.returncode, out)


def tree_bytes(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except FileNotFoundError:
                pass
    return total


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def mb(n: int | float | None) -> str:
    return "–" if n is None else f"{n / 1e6:.1f} MB"


def secs(s: float | None) -> str:
    return "–" if s is None else f"{s:.1f} s"


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (readable in a terminal, pasteable into the README)."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), sep, *map(line, rows)])
