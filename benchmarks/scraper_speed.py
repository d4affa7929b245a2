"""Extraction speed: reports per second through `scraper.extract.extract`
(decode → chrome removal → dates → headline → fields → tagging), one core,
on the shared corpus, the seeds and the HTML fixtures.

    python benchmarks/scraper_speed.py [--rounds 20]

The first call (vocabulary and tagger set-up) is reported separately."""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scraper.load import record_from_bytes  # noqa: E402
from scraper.record import ScraperError  # noqa: E402
from thaireports.thaidates import _find_dates  # noqa: E402


def inputs() -> list[tuple[str, bytes]]:
    shared = ROOT.parent / "shared"
    files = sorted((shared / "corpus").glob("*.txt")) + sorted((shared / "seeds").glob("*.txt"))
    files += sorted((ROOT / "tests" / "fixtures" / "scraper").glob("*.html"))
    return [(str(f), f.read_bytes()) for f in files]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    docs = inputs()
    t0 = time.perf_counter()
    record_from_bytes(docs[0][1], docs[0][0], require_date=False)
    first = time.perf_counter() - t0
    rates = []
    for _ in range(args.rounds):
        _find_dates.cache_clear()        # each round reads the inputs as new
        t0 = time.perf_counter()
        for name, data in docs:
            try:
                record_from_bytes(data, name, require_date=False)
            except ScraperError:
                pass
        rates.append(len(docs) / (time.perf_counter() - t0))
    kb = sum(len(d) for _, d in docs) / len(docs) / 1024
    print(f"{len(docs)} inputs (mean {kb:.1f} KB), {args.rounds} rounds, one core")
    print(f"first call (set-up): {first * 1000:.0f} ms")
    print(f"reports/s: median {statistics.median(rates):.1f}, min {min(rates):.1f}, max {max(rates):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
