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
