"""Two commits' builds in alternation, for changes smaller than the noise
between benchmark runs made minutes apart.

    python benchmarks/paired.py 0187e6c HEAD --rounds 4

Each commit is exported (see build.py's `--rev`) and gets its own output and
CACHE_PATH under WORK. Both are first built twice untimed, so each has its
own derived caches warm. Then, for every round, in alternating order (A B,
then B A, ...), each commit makes a full build (output moved aside, Pelican's
content cache dropped, derived caches kept: build.py's "ours full") and a
rebuild after one report was edited. It prints each build and the medians.

With `--rebuild-pairs N`, N more edits follow, each rebuilt by both commits
(again in alternating order) right after one another: one-edit rebuilds
compared pair by pair, without the full builds in between, which take
minutes and let the machine drift between the two sides.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from build import DEFAULT_WORK, Trash, drop_pelican_cache, edit_one, pelican, source_tree  # noqa: E402
from measure import median, secs, table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a", help="a commit, or 'worktree'")
    ap.add_argument("b", help="another commit, or 'worktree'")
    ap.add_argument("--reports", type=int, default=5000, help="size of the synthetic archive")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--rebuild-pairs", type=int, default=0,
                    help="then this many edits, each rebuilt by both commits in turn")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    work = args.work.resolve()
    content = work / f"corpus-{args.reports}"
    paths = corpus.generate(args.reports, content)
    trash = Trash(work)
    trash.empty()
    sides = {}
    for label, rev in (("A", args.a), ("B", args.b)):
        src = source_tree(rev, work)
        sides[label] = (rev, src / "pelicanconf.py", work / f"paired-site-{label}",
                        work / f"paired-cache-{label}")

    def full(label: str):
        _, conf, out, cache = sides[label]
        trash.clear(out)
        drop_pelican_cache(cache)
        return pelican(content, out, cache, conf, fatal=True)

    def rebuild(label: str, k: int):
        _, conf, out, cache = sides[label]
        path, original = edit_one(paths, k)
        try:
            return pelican(content, out, cache, conf, fatal=True)
        finally:
            path.write_text(original, encoding="utf-8")

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    results: dict[str, list[tuple[float, float, float, float]]] = {"A": [], "B": []}
    pairs: dict[str, list[tuple[float, float]]] = {"A": [], "B": []}
    try:
        for label in sides:
            full(label)
            full(label)
        for k in range(args.rounds):
            for label in ("A", "B") if k % 2 == 0 else ("B", "A"):
                f, r = full(label), rebuild(label, k)
                results[label].append((f.seconds, f.cpu, r.seconds, r.cpu))
                log(f"round {k + 1} {sides[label][0]}: full {f.seconds:.1f} s (cpu {f.cpu:.1f} s), "
                    f"rebuild {r.seconds:.1f} s (cpu {r.cpu:.1f} s)")
        for k in range(args.rebuild_pairs):
            path, original = edit_one(paths, args.rounds + k)
            try:
                for label in ("A", "B") if k % 2 == 0 else ("B", "A"):
                    _, conf, out, cache = sides[label]
                    r = pelican(content, out, cache, conf, fatal=True)
                    pairs[label].append((r.seconds, r.cpu))
                    log(f"pair {k + 1} {sides[label][0]}: rebuild {r.seconds:.2f} s "
                        f"(cpu {r.cpu:.2f} s)")
            finally:
                path.write_text(original, encoding="utf-8")
    finally:
        trash.empty()
    fulls = {}
    if args.rounds:
        rows = []
        for label, runs in results.items():
            m = [median([run[i] for run in runs]) for i in range(4)]
            fulls[label] = m[0]
            rows.append([sides[label][0], secs(m[0]), secs(m[1]), secs(m[2]), secs(m[3]),
                         f"{100 * m[2] / m[0]:.0f}%" if m[0] else "–"])
        print(f"Medians of {args.rounds} alternating rounds, {args.reports:,} reports "
              f"({time.strftime('%Y-%m-%d %H:%M')})\n")
        print(table(["commit", "full", "full cpu", "rebuild", "rebuild cpu", "rebuild / full"], rows))
    if args.rebuild_pairs:
        faster = sum(b[0] < a[0] for a, b in zip(pairs["A"], pairs["B"]))
        rows = []
        for label, runs in pairs.items():
            wall, cpu = median([r[0] for r in runs]), median([r[1] for r in runs])
            full_wall = fulls.get(label)
            rows.append([sides[label][0], secs(wall), secs(cpu),
                         f"{100 * wall / full_wall:.0f}%" if full_wall else "–"])
        print(f"\nOne-edit rebuilds in {args.rebuild_pairs} alternating pairs (medians; "
              f"{sides['B'][0]} faster in {faster} of {args.rebuild_pairs} pairs)\n")
        print(table(["commit", "rebuild", "rebuild cpu", "rebuild / full (rounds)"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
