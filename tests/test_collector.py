"""The build's garbage-collection policy: no full collections while a
build runs, the finished build's objects frozen, everything back to normal
(and the last build's garbage collected) when the next build starts."""
from __future__ import annotations

import gc

import pytest

from thaireports import collector


@pytest.fixture(autouse=True)
def fresh_collector(monkeypatch):
    before = gc.get_threshold()
    monkeypatch.setattr(collector, "_normal", None)
    monkeypatch.setattr(collector, "_finished_builds", 0)
    gc.set_threshold(700, 10, 10)
    yield
    gc.enable()
    gc.unfreeze()
    gc.set_threshold(*before)


class Node:
    def __init__(self):
        self.me = self      # a cycle: only the collector frees it


def test_no_full_collection_during_a_build_and_normal_thresholds_after():
    collector.build_started()
    assert gc.get_threshold()[:2] == (700, 10)
    assert gc.get_threshold()[2] >= collector.NO_FULL_COLLECTIONS
    collector.build_finished()
    assert gc.get_threshold() == (700, 10, 10)


def test_the_finished_build_is_frozen_and_freed_when_the_next_starts():
    collector.build_started()
    site = [Node() for _ in range(1000)]
    collector.build_finished()
    assert gc.get_freeze_count() >= len(site)
    count = len(site)
    del site
    assert gc.collect() < count          # frozen: not collected yet
    collector.build_started()            # the next build lets them go first
    assert gc.get_freeze_count() == 0
    assert not any(isinstance(o, Node) for o in gc.get_objects())
    collector.build_finished()


def test_a_build_that_stopped_early_does_not_lose_the_normal_thresholds():
    collector.build_started()
    collector.loading_caches()
    collector.build_started()            # the first never finished
    collector.build_finished()
    assert gc.get_threshold() == (700, 10, 10)
    assert gc.isenabled()


def test_pelicans_cache_is_loaded_without_collections_and_then_frozen():
    collector.loading_caches()
    collector.build_started()
    assert not gc.isenabled()
    before = gc.get_count()[0]
    cache = [Node() for _ in range(5000)]    # more than a young collection's worth
    assert gc.get_count()[0] >= before + len(cache)   # no collection ran
    collector.caches_loaded()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(cache)
    collector.build_finished()


def test_exit_handler_freezes_everything():
    site = [Node() for _ in range(1000)]
    collector.skip_final_collection()
    assert gc.get_freeze_count() >= len(site)
