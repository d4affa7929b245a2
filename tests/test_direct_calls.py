"""The theme's helpers are compiled as direct calls (sitetheme.directcalls):
the pages are exactly what Jinja's ordinary calls render, a template that
reuses a helper's name keeps its own meaning, and the compiled-template
cache does not mix the two kinds of compiled code."""
from __future__ import annotations

import json
import sys
import textwrap
import traceback

import jinja2
import pytest
from jinja2 import pass_context
from jinja2.compiler import CodeGenerator

from support import ROOT, build_with_render_hook

sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402
from sitetheme import bytecode, directcalls  # noqa: E402

CALLS = []


@pass_context
def shout(ctx, word, n=1, **extra):
    CALLS.append(word)
    suffix = "".join(f" {k}={v}" for k, v in sorted(extra.items()))
    return f"{ctx.get('LANG', '?')}:{word * n}{suffix}"


def counted(x):
    CALLS.append(x)
    return f"<{x}>"


TEMPLATES = {
    "macros.html": "{% macro tag(w) %}[{{ shout(w) }}]{% endmacro %}",
    "page.html": textwrap.dedent("""\
        {% import "macros.html" as m with context %}
        {{ shout('a') }}|{{ shout('b', n=2) }}|{{ shout(*['c']) }}|{{ shout('d', **{'k': 1}) }}
        {% for x in items %}{% set y = 2 %}{{ shout(x, n=y) }},{% endfor %}
        {{ m.tag('e') }}|{{ counted('z') }}|{{ counted('z') }}
        {% macro wrap() %}({{ caller() }}){% endmacro %}{% call wrap() %}{{ shout('f') }}{% endcall %}
        """),
    "shadowed.html": textwrap.dedent("""\
        {% set shout = 'mine' %}{{ shout }}
        {% macro twice(counted) %}{{ counted(2) }}{% endmacro %}{{ twice(range) }}
        """),
}


def _env(direct: bool) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES), autoescape=True)
    helpers = {"shout": shout, "counted": counted}
    if direct:
        directcalls.install(env, helpers)
    else:
        env.globals.update(helpers)
    return env


def test_helpers_are_no_longer_called_through_jinjas_context_call():
    env = _env(True)
    code = env.compile(TEMPLATES["page.html"], "page.html", raw=True)
    assert "environment.filters['shout()']" in code
    assert "context.call(l_0_shout" not in code and "context.call(l_1_shout" not in code
    # Macro calls (and the call block's own call) keep Jinja's call.
    assert "context.call(" in code


def test_direct_calls_render_what_ordinary_calls_render():
    ctx = {"items": ["x", "y"], "LANG": "th"}
    plain = _env(False).get_template("page.html").render(ctx)
    CALLS.clear()
    direct = _env(True).get_template("page.html").render(ctx)
    assert direct == plain
    assert "th:a|th:bb|th:c|th:d k=1" in direct
    assert "th:xx,th:yy," in direct  # n set inside the loop reaches the helper
    assert "[th:e]" in direct and "(th:f)" in direct
    # A helper without pass_context is called at render time, every time.
    assert CALLS.count("z") == 2 and "&lt;z&gt;" in direct


def test_a_template_that_reuses_a_helper_name_keeps_its_meaning():
    html = _env(True).get_template("shadowed.html").render()
    assert "mine" in html and "range(0, 2)" in html


def test_errors_in_a_helper_point_at_the_template_line(tmp_path):
    (tmp_path / "t.html").write_text("ok\n{{ broken('x') }}\n", encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))

    def broken(x):
        raise KeyError(f"theme/messages.yaml has no message {x!r}")

    directcalls.install(env, {"broken": broken})
    with pytest.raises(KeyError, match="no message 'x'") as info:
        env.get_template("t.html").render()
    frames = traceback.extract_tb(info.value.__traceback__)
    assert (str(tmp_path / "t.html"), 2) in [(f.filename, f.lineno) for f in frames]


def test_compiled_template_cache_keeps_direct_and_ordinary_code_apart(tmp_path):
    direct, plain = _env(True), _env(False)
    assert direct.code_generator_class is not CodeGenerator
    assert bytecode.compile_key(direct) != bytecode.compile_key(plain)
    for env in (direct, plain):
        bytecode.install(env, str(tmp_path))
    ctx = {"items": [3], "LANG": "en"}
    first = plain.get_template("page.html").render(ctx)
    assert direct.get_template("page.html").render(ctx) == first
    # A fresh environment with direct calls finds its own compiled code.
    again = _env(True)
    bytecode.install(again, str(tmp_path))
    assert "environment.filters['shout()']" in again.compile(
        TEMPLATES["page.html"], "page.html", raw=True)
    assert again.get_template("page.html").render(ctx) == first


# Every page of a real build, rendered by the theme's templates compiled
# both ways, in the build process itself (one worker, no render cache).
_COMPARE = r"""
import json
from jinja2.compiler import CodeGenerator
plain_envs, pages, differ = {}, [], []

def _process(self, jobs):
    for template, base, own, path, name, call in jobs:
        env = template.environment
        if env not in plain_envs:
            plain = env.overlay(cache_size=400)
            plain.code_generator_class, plain.bytecode_cache = CodeGenerator, None
            plain_envs[env] = plain
        ctx = {**base, **own}
        direct = template.render(ctx)
        if plain_envs[env].get_template(template.name).render(ctx) != direct:
            differ.append(name)
        pages.append(name)
    return original(self, jobs)

import atexit
atexit.register(lambda: print("RESULT " + json.dumps({"pages": pages, "differ": differ})))
"""


@pytest.mark.slow
def test_every_page_of_a_build_is_the_same_with_ordinary_calls(tmp_path):
    content = tmp_path / "content"
    corpus.generate(30, content, images_every=0)
    out = tmp_path / "out"
    proc = build_with_render_hook(_COMPARE, content, out, tmp_path / "cache",
                                  "RENDER_CACHE=false", "BUILD_WORKERS=1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    line = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")][-1]
    result = json.loads(line[len("RESULT "):])
    assert result["differ"] == []
    names = result["pages"]
    # Every kind of page went through the comparison, in both languages.
    for kind in ("index.html", "en/index.html", "search/index.html", "provinces/index.html"):
        assert kind in names, kind
    assert sum(n.startswith("reports/") for n in names) >= 30
    assert sum(n.startswith("en/reports/") for n in names) >= 30
    assert any(n.startswith("province/") for n in names)
    assert any(n.startswith("agency/") for n in names)
