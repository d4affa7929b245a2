"""Everyday tasks: ./dev <task> (or `invoke <task>` inside .venv)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
PY = sys.executable


@task
def clean(c):
    """Remove output/ and the build caches."""
    for d in ("output", "cache"):
        shutil.rmtree(ROOT / d, ignore_errors=True)


@task(help={"settings": "settings file (default pelicanconf.py)"})
def build(c, settings="pelicanconf.py"):
    """Build the archive from content/ into output/."""
    c.run(f"{PY} -m pelican content -o output -s {settings} --fatal errors", pty=False)


@task(help={"port": "port to serve on (default 8000)", "bind": "address (default 127.0.0.1)"})
def serve(c, port=8000, bind="127.0.0.1"):
    """Build the archive and serve it at http://127.0.0.1:8000, rebuilding on change."""
    build(c)
    print(f"Serving the archive at http://{bind}:{port}/  (Ctrl-C stops)")
    c.run(f"{PY} -m pelican content -o output -s pelicanconf.py -r -l -b {bind} -p {port}", pty=False)


@task
def publish(c):
    """Production build with publishconf.py (set SITEURL in the environment)."""
    c.run(f"{PY} -m pelican content -o output -s publishconf.py --fatal errors", pty=False)


@task(help={"args": "extra pytest arguments"})
def test(c, args=""):
    """Run the test suite (./dev test also installs Debian chromium when missing)."""
    c.run(f"{PY} -m pytest {args}", pty=False)


@task(help={"inputs": "files or URLs to scrape", "out": "output folder (default content/reports)"})
def scrape(c, inputs, out="content/reports"):
    """Normalize raw reports (text dumps, HTML files, URLs) into content/reports/."""
    c.run(f"{PY} -m scraper normalize {inputs} --out {out}", pty=False)


@task(help={"path": "reports folder to check (default content/reports)"})
def check(c, path="content/reports"):
    """Validate every report without building; lists problems (English and Thai) and inferred tags."""
    from invoke.exceptions import Exit

    from thaireports.checking import run_check

    status = run_check(ROOT / path if not Path(path).is_absolute() else Path(path))
    if status:
        raise Exit(code=status)


@task(help={"title": "the report's headline", "date": "day of the event, YYYY-MM-DD (default today)",
            "province": "province key(s) or Thai name(s), comma-separated",
            "agencies": "agency keys or names, comma-separated",
            "programs": "program keys or names, comma-separated",
            "folder": "reports folder (default content/reports)"})
def new(c, title="", date="", province="", agencies="", programs="", folder="content/reports"):
    """Start a new report file with every metadata field (asks for what is missing at a terminal)."""
    from invoke.exceptions import Exit

    from thaireports.scaffold import new_report

    status = new_report(ROOT / folder if not Path(folder).is_absolute() else Path(folder),
                        title=title, date=date, province=province, agencies=agencies,
                        programs=programs)
    if status:
        raise Exit(code=status)


@task(help={"sizes": "report counts to build, comma-separated (default 1000,5000,20000)",
            "runs": "runs per size below 10,000 reports (default 3)",
            "large_runs": "runs per size from 10,000 reports (default 1)",
            "rev": "commit to benchmark, or 'worktree' (default HEAD)",
            "scrape_only": "only the scraper benchmark", "build_only": "only the build benchmark"})
def bench(c, sizes="1000,5000,20000", runs=3, large_runs=1, rev="HEAD", scrape_only=False,
          build_only=False):
    """Benchmarks: vanilla Pelican vs our build at several archive sizes, and scraper speed."""
    if not build_only:
        c.run(f"{PY} benchmarks/scrape.py", pty=False)
    if not scrape_only:
        c.run(f"{PY} benchmarks/build.py --sizes {sizes} --runs {runs} --large-runs {large_runs}"
              f" --rev {rev}", pty=False)


@task(help={"only": "real, corpus or synthetic (default: all three)", "n": "synthetic archive size",
            "no_pagefind": "skip the plain Pagefind baseline"})
def search_bench(c, only="", n=5000, no_pagefind=False):
    """Search recall/precision in headless Chromium, ours vs plain Pagefind."""
    args = (f" --only {only}" if only else "") + f" --n {n}" + (" --no-pagefind" if no_pagefind else "")
    c.run(f"{PY} benchmarks/search_recall.py{args}", pty=False)
