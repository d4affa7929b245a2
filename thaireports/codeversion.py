"""A digest of the project's own code and data, for caches whose entries
are only valid for the code that made them."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=None)
def code_digest(dirs: tuple[str, ...] = ("plugins", "thaireports", "data")) -> bytes:
    """Every file below `dirs` (relative to the repository root), by path and
    bytes."""
    h = hashlib.sha256()
    for d in dirs:
        for p in sorted((ROOT / d).rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(ROOT)).encode())
                h.update(p.read_bytes())
    return h.digest()


def _plain(value):
    """`value` as JSON-able data; what is not plain data counts by its type
    (a function, a template loader...), so an unstable repr never makes
    every digest different."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, dict):
        return sorted(([repr(k), _plain(v)] for k, v in value.items()), key=lambda kv: kv[0])
    kind = value if isinstance(value, type) else type(value)
    return f"<{kind.__module__}.{kind.__qualname__}>"


def settings_digest(settings) -> bytes:
    """Digest of Pelican's settings (the upper-case names) as plain data."""
    plain = sorted((k, _plain(v)) for k, v in settings.items() if k.isupper())
    return hashlib.sha256(json.dumps(plain, ensure_ascii=False, default=repr).encode()).digest()
