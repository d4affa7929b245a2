"""Scraper throughput: reports per second through `extract` and through
`normalize` (extract + tagging + dedupe + writing Markdown) on the seed and
corpus inputs, with the share of time spent in Thai word segmentation.

    python benchmarks/scrape.py [--rounds 5]

One process, one core: the rates are per core. The first round pays for
loading the dictionaries and is shown apart; the table gives the median of
the following rounds. Tokenizing time is measured by wrapping pythainlp's
`word_tokenize` and our `thaireports.thaitext.tokenize` (outermost call only).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from measure import table  # noqa: E402

SHARED = ROOT.parent / "shared"


def inputs() -> list[Path]:
    return sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "corpus").glob("*.txt"))


class TokenClock:
    """Adds up the time spent inside the tokenizer entry points."""

    def __init__(self):
        self.seconds = 0.0
        self.calls = 0
        self._depth = 0

    def wrap(self, fn):
        def timed(*a, **kw):
            if self._depth:
                return fn(*a, **kw)
            self._depth += 1
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                self.seconds += time.perf_counter() - t
                self.calls += 1
                self._depth -= 1
        timed.__wrapped__ = fn
        return timed

    def install(self) -> None:
        import pythainlp.tokenize

        pythainlp.tokenize.word_tokenize = self.wrap(pythainlp.tokenize.word_tokenize)
        try:
            from thaireports import thaitext
        except ImportError:
            return
        thaitext.tokenize = self.wrap(thaitext.tokenize)

    def reset(self) -> None:
        self.seconds, self.calls = 0.0, 0


def bench_extract(files: list[Path], rounds: int, clock: TokenClock) -> list[dict]:
    from scraper.extract import extract
    from scraper.record import ScraperError

    texts = [(str(p), p.read_text(encoding="utf-8", errors="replace")) for p in files]
    out = []
    for _ in range(rounds):
        clock.reset()
        ok = 0
        t, c = time.perf_counter(), time.process_time()
        for source, text in texts:
            try:
                extract(text, source)
                ok += 1
            except ScraperError:
                pass
        out.append({"wall": time.perf_counter() - t, "cpu": time.process_time() - c,
                    "tok": clock.seconds, "n": len(texts), "ok": ok})
    return out


def bench_normalize(files: list[Path], rounds: int, clock: TokenClock) -> list[dict]:
    from scraper.normalize import normalize

    out = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            clock.reset()
            t, c = time.perf_counter(), time.process_time()
            res = normalize([str(p) for p in files], Path(tmp) / "reports", progress=False)
            out.append({"wall": time.perf_counter() - t, "cpu": time.process_time() - c,
                        "tok": clock.seconds, "n": len(files),
                        "ok": sum(o.status in ("written", "updated", "unchanged")
                                  for o in res.outcomes)})
    return out


def row(name: str, runs: list[dict]) -> list[str]:
    first, rest = runs[0], runs[1:] or runs
    wall = statistics.median(r["wall"] for r in rest)
    cpu = statistics.median(r["cpu"] for r in rest)
    tok = statistics.median(r["tok"] for r in rest)
    n = rest[0]["n"]
    return [name, f"{n} ({rest[0]['ok']} ok)", f"{n / first['wall']:.1f}",
            f"{n / wall:.1f}", f"{n / cpu:.1f}", f"{1000 * wall / n:.1f} ms",
            f"{100 * tok / wall:.0f}%"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    rounds = max(2, args.rounds)
    files = inputs()
    if not files:
        raise SystemExit(f"no inputs under {SHARED}")
    clock = TokenClock()
    clock.install()
    rows = [row("extract", bench_extract(files, rounds, clock)),
            row("normalize", bench_normalize(files, rounds, clock))]
    print("Scraper throughput (one process; seeds + corpus inputs)\n")
    print(table(["stage", "inputs", "reports/s first round", "reports/s (median)",
                 "reports/s per CPU-second", "per report", "in Thai tokenizing"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
