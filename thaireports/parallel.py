"""Spreading independent work over the machine's cores.

Workers are forked, so they start with everything the parent has loaded
(settings, vocabulary, readers, templates); only item numbers go to them and
only results come back pickled."""
from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_job: tuple[Callable, Sequence] | None = None


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers_setting(settings) -> int:
    """BUILD_WORKERS: how many processes a build may use (default: the cores
    this process may run on; 1 keeps everything in one process)."""
    value = settings.get("BUILD_WORKERS") if settings else None
    return max(1, int(value)) if value else usable_cores()


def _call(i: int):
    fn, items = _job
    return fn(items[i])


def fork_map(fn: Callable[[T], R], items: Sequence[T], workers: int | None = None,
             min_items: int = 64) -> list[R]:
    """`[fn(x) for x in items]`, computed by `workers` forked processes when
    there are enough items to pay for them. An exception in `fn` is raised
    here, as in the list comprehension."""
    global _job
    workers = usable_cores() if workers is None else workers
    if workers < 2 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return [fn(x) for x in items]
    _job = (fn, items)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_call, range(len(items)), chunksize=max(1, len(items) // (workers * 8)))
    finally:
        _job = None
