"""Compiled templates kept between builds.

Every Pelican generator has its own Jinja environment, and every render
worker starts with the templates its parent had not loaded yet, so one build
compiled the same templates many times over (~0.15 s in the build process of
a 5,000-report rebuild, and again in each worker). Jinja's file-system
bytecode cache stores the compiled code by template name and source
checksum; what else shapes the compiled code (the environment's options,
extensions, code generator and filter names, Jinja's version) names the
cache folder, so `install` comes after everything else is set up."""
from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2
from jinja2 import FileSystemBytecodeCache

# Environment attributes that change what a template compiles to.
COMPILE_OPTIONS = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
    "comment_start_string", "comment_end_string", "line_statement_prefix",
    "line_comment_prefix", "trim_blocks", "lstrip_blocks", "newline_sequence",
    "keep_trailing_newline", "optimized", "autoescape", "enable_async",
)


def _option(value) -> str:
    # A callable (an autoescape function, say) counts by its name: its
    # address would change at every build.
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
    return repr(value)


def compile_key(env: jinja2.Environment) -> str:
    h = hashlib.sha256(jinja2.__version__.encode())
    for name in COMPILE_OPTIONS:
        h.update(f"{name}={_option(getattr(env, name, None))}\0".encode())
    for name in sorted(env.extensions):
        h.update(name.encode() + b"\0")
    # The code generator, and the filters a template may compile to calls
    # of (see directcalls).
    gen = env.code_generator_class
    h.update(f"{_option(gen)}:{getattr(gen, 'VERSION', '')}\0".encode())
    for name in sorted(env.filters):
        h.update(name.encode() + b"\0")
    return h.hexdigest()[:16]


def install(env: jinja2.Environment, cache_path: str | None) -> None:
    """Give `env` a bytecode cache under CACHE_PATH (none without one)."""
    if not cache_path:
        return
    folder = Path(cache_path) / "templates" / compile_key(env)
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
