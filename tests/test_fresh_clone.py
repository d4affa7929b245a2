"""The README's two commands work on a clean clone: each sets up its own .venv
from the pinned requirements, one builds and serves the archive, one runs tests."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from support import ROOT

pytestmark = pytest.mark.slow


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def test_readme_opens_with_exactly_the_two_commands_ci_runs():
    assert _readme_commands() == ["./dev serve", "./dev test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^\./dev test$", ci, re.M)


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    if not (ROOT / ".git").exists():
        pytest.fail("the repository must be a git checkout for the fresh-clone test")
    base = tmp_path_factory.mktemp("clone")
    dest = base / "archive"
    # The test fixtures read ../shared (seeds, corpus) beside the checkout, as in CI.
    shared = ROOT.parent / "shared"
    if shared.exists():
        (base / "shared").symlink_to(shared)
    subprocess.run(["git", "clone", "-q", str(ROOT), str(dest)], check=True)
    assert not (dest / ".venv").exists()
    return dest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_command_builds_and_serves_the_archive(clone):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    env["PATH"] = ":".join(p for p in env["PATH"].split(":") if ".venv" not in p)
    proc = subprocess.Popen(["./dev", "serve", "--port", str(port)], cwd=clone, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 600
        html = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
                    html = resp.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(2)
        if html is None:
            _stop(proc)
            out = proc.communicate(timeout=30)[0]
            pytest.fail(f"./dev serve never answered on port {port}:\n{out[-4000:]}")
        assert 'lang="th"' in html
        assert (clone / ".venv" / "bin" / "python").exists()
        assert (clone / "output" / "index.html").exists()
        reports = list((clone / "content" / "reports").rglob("*.md"))
        pages = list((clone / "output" / "reports").rglob("index.html"))
        assert len(pages) == len(reports)
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """End the server and the processes pelican --listen/--autoreload started."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=20)
            return
        except subprocess.TimeoutExpired:
            continue


def test_test_command_runs_in_the_clone(clone):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    # A small part of the suite: the point is that ./dev test sets itself up.
    proc = subprocess.run(["./dev", "test", "tests/test_vocabulary.py", "-q", "-p", "no:cacheprovider"],
                          cwd=clone, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert re.search(r"\d+ passed", proc.stdout)


def test_test_command_fails_when_nothing_is_collected(clone):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    proc = subprocess.run(["./dev", "test", "-k", "no_test_has_this_name_xyz", "-q"], cwd=clone, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
    assert proc.returncode != 0
    assert "no tests were collected" in proc.stdout
