"""A digest of the project's own code and data, for caches whose entries
are only valid for the code that made them."""
from __future__ import annotations

import hashlib
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
