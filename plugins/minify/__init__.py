"""Production only (enabled in publishconf.py): minifies the HTML, CSS and JS
in the output once everything is written (Pelican's `finalized`).

minify-html keeps <script type="application/ld+json"> bodies as they are
(it only minifies JavaScript script types), and each result is checked: a page
whose JSON-LD no longer parses is left unminified and reported, so minifying
can never break structured data. Minifying CSS/JS files goes through the same
library (wrapped in a <style>/<script> element and unwrapped)."""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import minify_html
from pelican import signals

from thaireports.reportfile import atomic_write

log = logging.getLogger(__name__)

HTML_OPTIONS = dict(minify_css=True, minify_js=True, keep_html_and_head_opening_tags=True,
                    keep_closing_tags=False, remove_processing_instructions=False)
_JSONLD = re.compile(r'<script type="?application/ld\+json"?[^>]*>(.*?)</script>', re.S | re.I)


def _jsonld_blocks(html: str) -> list:
    return [json.loads(m.group(1)) for m in _JSONLD.finditer(html)]


def minify_page(html: str) -> str:
    """Minified HTML with the same JSON-LD data (compared parsed), or the
    original when minifying would change it."""
    out = minify_html.minify(html, **HTML_OPTIONS)
    try:
        same = _jsonld_blocks(out) == _jsonld_blocks(html)
    except json.JSONDecodeError:
        same = False
    return out if same else html


def minify_css(css: str) -> str:
    out = minify_html.minify(f"<style>{css}</style>", minify_css=True)
    return out.removeprefix("<style>").removesuffix("</style>")


def minify_js(js: str) -> str:
    out = minify_html.minify(f"<script>{js}</script>", minify_js=True)
    return out.removeprefix("<script>").removesuffix("</script>")


def _write(path: Path, text: str) -> None:
    atomic_write(path, text, fsync=False)


def minify_output(pelican) -> None:
    root = Path(pelican.output_path)
    saved = 0
    for path in root.rglob("*"):
        if not path.is_file() or path.suffix not in (".html", ".css", ".js"):
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".html":
            out = minify_page(text)
            if out is text and _JSONLD.search(text):
                log.warning("%s: not minified, the JSON-LD would change", path)
        elif path.suffix == ".css":
            out = minify_css(text)
        else:
            out = minify_js(text)
        if len(out) < len(text):
            saved += len(text.encode()) - len(out.encode())
            _write(path, out)
    log.info("minify: %d bytes saved", saved)


def register():
    signals.finalized.connect(minify_output)
