"""Helpers the test suites share: build a real site with Pelican, serve a
folder on 127.0.0.1, launch Debian's Chromium through Playwright."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = ROOT / "test-artifacts"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def build_site(content: Path, output: Path, *, settings: str = "pelicanconf.py",
               extra: dict | None = None, check: bool = True,
               env: dict | None = None, args: tuple = ()) -> subprocess.CompletedProcess:
    """Run the real `pelican` on `content` into `output` with the project's
    settings file, overriding settings with `extra` (values as Python literals,
    passed through pelican's -e). Returns the finished process (stdout+stderr
    in .stdout)."""
    cmd = [sys.executable, "-m", "pelican", str(content), "-o", str(output),
           "-s", str(ROOT / settings), "--fatal", "errors", *args]
    overrides = {"CACHE_PATH": str(output.parent / f"{output.name}-cache")}
    overrides.update(extra or {})
    import json
    cmd += ["-e", *[f"{k}={json.dumps(v)}" for k, v in overrides.items()]]
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, env={**os.environ, **(env or {}), "COLUMNS": "200"})
    if check and proc.returncode != 0:
        raise AssertionError(f"pelican failed ({proc.returncode}):\n{proc.stdout}")
    return proc


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve_dir(directory: Path):
    """Serve `directory` on 127.0.0.1 on a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def copy_content(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, dirs_exist_ok=True)
    return dst


_HOOKED_BUILD = """
import os, sys
sys.path[:0] = [{root!r}, {root!r} + "/plugins"]
import pelican
import rendercache
original = rendercache.RenderCacheMixin._process
{hook}
rendercache.RenderCacheMixin._process = _process
try:
    pelican.main(sys.argv[1:])
except SystemExit as e:
    if e.code:
        raise
"""


def build_with_render_hook(hook: str, content: Path, out: Path, cache: Path,
                           *settings: str) -> subprocess.CompletedProcess:
    """Run the real `pelican` in a child process in which `hook` (source text
    defining `_process(self, jobs)`; Pelican's own is `original`) renders
    every batch of pages: for tests that look at or break page rendering.
    `settings` are more `-e` values (JSON notation)."""
    code = _HOOKED_BUILD.format(root=str(ROOT), hook=hook)
    return subprocess.run(
        [sys.executable, "-c", code, str(content), "-o", str(out), "-s", str(ROOT / "pelicanconf.py"),
         "--fatal", "errors", "-e", f'CACHE_PATH="{cache}"', *settings],
        cwd=ROOT, capture_output=True, text=True)
