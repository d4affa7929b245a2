"""A build spread over two processes (reading and rendering) writes
exactly what a one-process build writes."""
from __future__ import annotations

import sys

import pytest

from support import ROOT, build_site
from thaireports.parallel import fork_map

sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402

pytestmark = pytest.mark.slow
N = 70  # above the prefetch threshold of 64 files


def test_fork_map_keeps_order_and_matches_a_plain_map():
    items = list(range(300))
    assert fork_map(lambda x: x * x, items, workers=2, min_items=1) == [x * x for x in items]


def test_fork_map_raises_the_workers_error():
    def boom(x):
        if x == 77:
            raise ValueError("report 77 is broken")
        return x

    with pytest.raises(ValueError, match="report 77"):
        fork_map(boom, list(range(200)), workers=2, min_items=1)


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

