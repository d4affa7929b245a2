"""Build-time benchmark: vanilla Pelican against our full build on the same
synthetic archive, at several sizes.

    python benchmarks/build.py                      # 1,000, 5,000 and 20,000 reports
    python benchmarks/build.py --sizes 1000 --runs 5

For every size and run, in this order (so each ratio compares builds made
minutes apart on the same, shared machine):

1. vanilla   - Pelican with our URL settings, its "simple" theme, no plugins;
               empty output and cache.
2. ours cold - pelicanconf.py (plugins, theme, search, exports, images); empty
               output and an empty CACHE_PATH, so every derived cache (tokens,
               images, cards, index) starts empty too.
3. ours full - empty output and no Pelican content cache, but our derived
               caches (keyed by content hash) kept: a `rm -rf output` build.
4. ours noop - a rebuild with everything warm and nothing changed.
5. one report is edited, then vanilla and ours each rebuild with their
   caches warm ("rebuild").

Outputs and caches of an earlier run are moved aside into WORK/trash, which
is emptied when the benchmark ends, not deleted right before a build: ext4
skips recently freed inodes when it allocates new ones, so a build that
follows the deletion of ~25,000 files paid for it in system time (5-20 s,
varying 4x between identical runs), more so the build that creates more files.

Times are wall-clock seconds; tables show medians over the runs. Peak memory
is the largest sum of PSS (proportional set size) over the build's process
tree: our build forks worker processes that share the parent's memory, and
PSS counts each shared page once where RSS would count it in every worker.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import measure  # noqa: E402
from measure import mb, median, secs, table  # noqa: E402

PY = sys.executable
DEFAULT_WORK = HERE / "out"
EDIT_MARK = "\n\nแก้ไขเพิ่มเติมเพื่อทดสอบการสร้างใหม่ ครั้งที่ "


def source_tree(rev: str, work: Path) -> Path:
    """The project files to build with: the working tree, or a clean export
    of a commit (other people's unfinished edits in the shared working tree
    then cannot break or skew a benchmark)."""
    if rev == "worktree":
        return ROOT
    import subprocess

    sha = subprocess.run(["git", "rev-parse", "--short=10", rev], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    dest = work / f"src-{sha}"
    if not (dest / "pelicanconf.py").exists():
        tmp = work / f".src-{sha}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", "--format=tar", sha], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        tmp.rename(dest)
    return dest


def pelican(content: Path, output: Path, cache: Path, settings: Path, *, fatal: bool) -> measure.Run:
    cmd = [PY, "-m", "pelican", str(content), "-o", str(output), "-s", str(settings),
           "-e", f'CACHE_PATH="{cache}"']
    if fatal:
        cmd[cmd.index("-e"):cmd.index("-e")] = ["--fatal", "errors"]
    env = {**os.environ, "COLUMNS": "200", "PYTHONHASHSEED": "0"}
    run = measure.run(cmd, cwd=settings.parent, env=env)
    if run.returncode != 0:
        tail = "\n".join(run.output.splitlines()[-40:])
        raise SystemExit(f"build failed ({' '.join(cmd)}):\n{tail}")
    return run


class Trash:
    """Folders to delete once nothing is timed any more (see the module
    docstring): `clear(path)` moves `path` out of the way at once."""

    def __init__(self, work: Path):
        self.folder = work / "trash"
        self._n = 0

    def clear(self, path: Path) -> None:
        if not path.exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self._n += 1
        path.rename(self.folder / f"{os.getpid()}-{self._n}-{path.name}")

    def empty(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def drop_pelican_cache(cache: Path) -> None:
    """Pelican names its cache files <Generator> (content objects) or
    <Generator>-Readers (what the readers returned); our plugins keep theirs
    in sub-folders of CACHE_PATH, which stay."""
    if cache.is_dir():
        for f in cache.iterdir():
            if f.is_file() and (f.name.endswith("Generator") or "Generator-" in f.name):
                f.unlink()


def edit_one(paths: list[Path], k: int) -> tuple[Path, str]:
    """Change the body of one report in the middle of the archive (a new
    paragraph, different each time) and return it with its original text."""
    path = paths[len(paths) // 2]
    original = path.read_text(encoding="utf-8")
    path.write_text(original.rstrip("\n") + EDIT_MARK + f"{k + 1}\n", encoding="utf-8")
    return path, original


def bench_size(n: int, runs: int, work: Path, *, vanilla: bool, settings: Path,
               index_dir: str, log, trash: Trash) -> dict:
    content = work / f"corpus-{n}"
    t = time.perf_counter()
    paths = corpus.generate(n, content)
    log(f"[{n}] archive ready in {time.perf_counter() - t:.1f} s: {content}")
    v_out, v_cache = work / f"site-{n}-vanilla", work / f"cache-{n}-vanilla"
    o_out, o_cache = work / f"site-{n}-ours", work / f"cache-{n}-ours"
    vanilla_settings = settings.parent / "benchmarks" / "vanillaconf.py"
    res: dict[str, list] = {}

    def step(key: str, label: str, out: Path, cache: Path, conf: Path, r: int) -> None:
        run = pelican(content, out, cache, conf, fatal=conf is not vanilla_settings)
        res.setdefault(key, []).append(run.seconds)
        res.setdefault(f"{key}_cpu", []).append(run.cpu)
        res.setdefault(f"{key}_peak", []).append(run.peak_mb)
        log(f"[{n}] run {r + 1}: {label} {run.seconds:.1f} s (cpu {run.cpu:.1f} s), "
            f"peak {run.peak_mb:.0f} MB")

    for r in range(runs):
        if vanilla:
            trash.clear(v_out)
            trash.clear(v_cache)
            step("vanilla", "vanilla", v_out, v_cache, vanilla_settings, r)

        trash.clear(o_out)
        trash.clear(o_cache)
        step("cold", "ours cold", o_out, o_cache, settings, r)

        trash.clear(o_out)
        drop_pelican_cache(o_cache)
        step("full", "ours full (derived caches warm)", o_out, o_cache, settings, r)
        step("noop", "ours, nothing changed", o_out, o_cache, settings, r)

        path, original = edit_one(paths, r)
        try:
            if vanilla:
                step("vanilla_rebuild", "vanilla rebuild, one report changed", v_out, v_cache,
                     vanilla_settings, r)
            step("rebuild", "ours rebuild, one report changed", o_out, o_cache, settings, r)
        finally:
            path.write_text(original, encoding="utf-8")

    out = {k: median(v) for k, v in res.items()}
    for key in ("vanilla", "vanilla_rebuild"):
        for suffix in ("", "_cpu", "_peak"):
            out.setdefault(key + suffix, None)
    out["n"] = n
    out["runs"] = runs
    out["vanilla_size"] = measure.tree_bytes(v_out) if vanilla else None
    out["ours_size"] = measure.tree_bytes(o_out)
    idx = o_out / index_dir
    out["index_size"] = measure.tree_bytes(idx) if idx.exists() else None
    out["pages"] = sum(1 for _ in o_out.rglob("*.html"))
    return out


def ratio(a, b) -> str:
    return "–" if a is None or not b else f"{a / b:.2f}×"


def frac(a, b) -> str:
    return "–" if a is None or not b else f"{100 * a / b:.0f}%"


def report(results: list[dict]) -> str:
    times = table(
        ["reports", "runs", "vanilla", "ours cold", "ours full", "ours/vanilla (cold)",
         "ours/vanilla (full)", "no change", "vanilla rebuild", "ours rebuild",
         "rebuild / ours full"],
        [[f"{r['n']:,}", r["runs"], secs(r["vanilla"]), secs(r["cold"]), secs(r["full"]),
          ratio(r["cold"], r["vanilla"]), ratio(r["full"], r["vanilla"]), secs(r["noop"]),
          secs(r["vanilla_rebuild"]), secs(r["rebuild"]), frac(r["rebuild"], r["full"])]
         for r in results])
    sizes = table(
        ["reports", "peak mem vanilla", "peak mem ours cold", "peak mem ours full",
         "peak mem rebuild", "output vanilla", "output ours", "HTML pages ours", "search index"],
        [[f"{r['n']:,}", f"{r['vanilla_peak']:.0f} MB" if r["vanilla_peak"] else "–",
          f"{r['cold_peak']:.0f} MB", f"{r['full_peak']:.0f} MB", f"{r['rebuild_peak']:.0f} MB",
          mb(r["vanilla_size"]), mb(r["ours_size"]), f"{r['pages']:,}", mb(r["index_size"])]
         for r in results])
    cpu = table(
        ["reports", "vanilla", "ours cold", "ours full", "ours/vanilla (cold)",
         "ours/vanilla (full)", "no change", "vanilla rebuild", "ours rebuild",
         "rebuild / ours full"],
        [[f"{r['n']:,}", secs(r["vanilla_cpu"]), secs(r["cold_cpu"]), secs(r["full_cpu"]),
          ratio(r["cold_cpu"], r["vanilla_cpu"]), ratio(r["full_cpu"], r["vanilla_cpu"]),
          secs(r["noop_cpu"]), secs(r["vanilla_rebuild_cpu"]), secs(r["rebuild_cpu"]),
          frac(r["rebuild_cpu"], r["full_cpu"])]
         for r in results])
    return (f"Build times (median wall-clock)\n\n{times}\n\n"
            f"CPU time (median user+system, all processes of the build)\n\n{cpu}\n\n"
            f"Memory and sizes\n\n{sizes}\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,5000,20000", help="comma-separated report counts")
    ap.add_argument("--runs", type=int, default=3, help="runs per size below 10,000 reports")
    ap.add_argument("--large-runs", type=int, default=1, help="runs per size from 10,000 reports")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK,
                    help="where archives, sites and caches go (default benchmarks/out)")
    ap.add_argument("--rev", default="HEAD",
                    help="commit to benchmark (exported to WORK/src-<sha>), or 'worktree' "
                         "for the working tree as it is")
    ap.add_argument("--settings", default="pelicanconf.py", help="settings file of ours")
    ap.add_argument("--index-dir", default="search",
                    help="folder of the search index inside the output")
    ap.add_argument("--no-vanilla", action="store_true", help="skip the vanilla builds")
    args = ap.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    args.work.mkdir(parents=True, exist_ok=True)
    args.work = args.work.resolve()
    src = source_tree(args.rev, args.work)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    results = []
    trash = Trash(args.work)
    trash.empty()   # left by a benchmark that was stopped
    try:
        for n in sizes:
            runs = args.runs if n < 10_000 else args.large_runs
            results.append(bench_size(n, runs, args.work, vanilla=not args.no_vanilla,
                                      settings=src / args.settings, index_dir=args.index_dir,
                                      log=log, trash=trash))
            print(report(results[-1:]), flush=True)
    finally:
        trash.empty()
    if len(results) > 1:
        print("All sizes\n")
        print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
