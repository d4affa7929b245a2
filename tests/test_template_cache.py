"""Compiled templates are kept between builds, and only for the same
environment options: a template compiled with other options is compiled
again, never taken from the cache."""
from __future__ import annotations

import sys

import jinja2

from support import ROOT

sys.path.insert(0, str(ROOT / "plugins"))
from sitetheme import bytecode  # noqa: E402

TEMPLATES = {"page.html": "{% for x in items %}\n  <li>{{ x }}</li>\n{% endfor %}\n"}


class Counting(jinja2.Environment):
    compiled = 0

    def compile(self, *args, **kwargs):
        type(self).compiled += 1
        return super().compile(*args, **kwargs)


def _render(cache, **options):
    Counting.compiled = 0
    env = Counting(loader=jinja2.DictLoader(TEMPLATES), **options)
    bytecode.install(env, str(cache))
    html = env.get_template("page.html").render(items=["ก", "ข"])
    return html, Counting.compiled


def test_second_build_takes_the_compiled_template_from_the_cache(tmp_path):
    first, n1 = _render(tmp_path, trim_blocks=True, lstrip_blocks=True)
    again, n2 = _render(tmp_path, trim_blocks=True, lstrip_blocks=True)
    assert (n1, n2) == (1, 0)
    assert again == first == "  <li>ก</li>\n  <li>ข</li>\n"


def test_other_options_or_extensions_compile_again(tmp_path):
    trimmed, _ = _render(tmp_path, trim_blocks=True, lstrip_blocks=True)
    plain, n = _render(tmp_path)
    assert n == 1 and plain != trimmed
    _, n = _render(tmp_path, trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.do"])
    assert n == 1


def test_edited_template_is_compiled_again(tmp_path, monkeypatch):
    _render(tmp_path)
    monkeypatch.setitem(TEMPLATES, "page.html", "<p>{{ items|length }}</p>")
    html, n = _render(tmp_path)
    assert (html, n) == ("<p>2</p>", 1)


def test_no_cache_folder_without_cache_path(tmp_path):
    env = jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES))
    bytecode.install(env, None)
    assert env.bytecode_cache is None
