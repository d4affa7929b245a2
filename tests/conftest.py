from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, build_site, serve_dir


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots and rendered images kept after the run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Path:
    """The archive's real content/ built once with the production settings
    (absolute URLs on a local address, feeds on, minified)."""
    out = tmp_path_factory.mktemp("published") / "output"
    build_site(ROOT / "content", out, settings="publishconf.py",
               env={"SITEURL": "http://127.0.0.1:8765"})
    return out


@pytest.fixture(scope="session")
def dev_site(tmp_path_factory) -> Path:
    """The archive's real content/ built once with the development settings
    (relative URLs), the site the browser tests drive."""
    out = tmp_path_factory.mktemp("dev") / "output"
    build_site(ROOT / "content", out)
    return out


@pytest.fixture(scope="session")
def dev_server(dev_site):
    with serve_dir(dev_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; never a downloaded build."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `./dev test` (it installs it) or apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and every request's URL;
    tests assert on page.console_errors and page.requested_urls."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.console_errors = []
    pg.requested_urls = []
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    pg.on("request", lambda r: pg.requested_urls.append(r.url))
    yield pg
    context.close()
