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

Pelican's content cache (a million objects at 5,000 reports) is loaded
with the collector off, and frozen as soon as it is loaded (the prefetch
plugin calls `loading_caches` and `caches_loaded`): young collections
walked every object of it once or twice on its way to the oldest
generation, a third of the time of loading.

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


def loading_caches(*_) -> None:
    """get_generators: the generators are about to load Pelican's cache."""
    gc.disable()


def caches_loaded(*_) -> None:
    """article_generator_init: the content cache is loaded."""
    gc.freeze()
    gc.enable()


def build_finished(*_) -> None:
    global _normal, _finished_builds
    gc.enable()  # in case a build stopped before its cache was loaded
    gc.freeze()
    if _normal is not None:
        gc.set_threshold(*_normal)
        _normal = None
    _finished_builds += 1


def skip_final_collection() -> None:
    """At exit (also after a build that stopped early)."""
    gc.freeze()
