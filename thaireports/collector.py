"""When Python's cyclic garbage collector runs during a build.

A build holds one large graph that lives until the end: reports, pages,
their contexts, Pelican's cache. A full collection walks all of it and
finds next to nothing to free (at 5,000 reports: 9-10 full collections per
build, 0.9-1.0 s of the build process, a few hundred objects freed each).
So during a build only the young generations are collected, which is where
short-lived cycles die. When the build ends its graph is frozen: the full
collections that resume, and Python's last one at exit (~0.4 s at 5,000
reports), leave it out. Frozen objects are still freed by reference
counting, and files are flushed and closed as usual.

In a process that builds again (Pelican's autoreload), the next build first
unfreezes and collects what the last one left, so memory holds at most one
finished build's garbage."""
from __future__ import annotations

import gc

# A full collection only after this many collections of the middle generation.
NO_FULL_COLLECTIONS = 1 << 30

_normal: tuple[int, ...] | None = None
_finished_builds = 0


def build_started(*_) -> None:
    global _normal
    if _finished_builds:
        gc.unfreeze()
        gc.collect()
    if _normal is None:   # a failed build never restored them: keep the first
        _normal = gc.get_threshold()
    gc.set_threshold(_normal[0], _normal[1], NO_FULL_COLLECTIONS)


def build_finished(*_) -> None:
    global _normal, _finished_builds
    gc.freeze()
    if _normal is not None:
        gc.set_threshold(*_normal)
        _normal = None
    _finished_builds += 1


def skip_final_collection() -> None:
    """At exit (also after a build that stopped early)."""
    gc.freeze()
