"""Read the report files on every core before Pelican asks for them.

Pelican reads and converts the Markdown of each report one after the other.
At `article_generator_init` this plugin has worker processes (forked: they
share the parent's readers and settings) run the very same reader on every
report that Pelican's own reader cache does not already hold; Pelican then
gets each result from its reader instead of converting the file again.
Everything after reading (metadata defaults, content objects, signals) stays
in Pelican's hands, in order. A file a worker could not read is left to
Pelican, so its error is reported the usual way.

Pelican also formats a report's `url` and `save_as` from the settings on
every access (the generators, the exports, the search index and the sitemap
ask about ten times per report). Once every report's status is final
(`article_generator_pretaxonomy`), each gets both values pinned through
Pelican's own `override_url` / `override_save_as` attributes."""
from __future__ import annotations

import logging
import os
import pickle
import time

from pelican import signals

from thaireports.parallel import fork_map, workers_setting

log = logging.getLogger(__name__)
MIN_FILES = 64


def _prefetching(reader, results: dict):
    """A copy of `reader` that answers from `results` first. It keeps the
    reader's class name, which Pelican stores as the `reader` metadata."""
    base = type(reader)

    def read(self, path):
        data = results.pop(path, None)
        if data is not None:
            return pickle.loads(data)
        return base.read(self, path)

    cls = type(base.__name__, (base,), {"read": read, "__module__": base.__module__})
    clone = object.__new__(cls)
    clone.__dict__.update(reader.__dict__)
    return clone


def _read_one(reader, path: str) -> bytes | None:
    try:
        return pickle.dumps(reader.read(path), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - Pelican reads it again and reports the error
        return None


def prefetch(generator) -> None:
    settings = generator.settings
    workers = workers_setting(settings)
    if workers < 2:
        return
    readers = generator.readers
    todo: dict[str, list[str]] = {}
    for rel in sorted(generator.get_files(settings["ARTICLE_PATHS"],
                                          exclude=settings.get("ARTICLE_EXCLUDES") or ())):
        path = os.path.abspath(os.path.join(generator.path, rel))
        fmt = os.path.splitext(path)[1][1:]
        if fmt in readers.readers and readers.get_cached_data(path, (None, None))[0] is None:
            todo.setdefault(fmt, []).append(path)
    for fmt, paths in todo.items():
        if len(paths) < MIN_FILES:
            continue
        start = time.perf_counter()
        reader = readers.readers[fmt]
        data = fork_map(lambda p, r=reader: _read_one(r, p), paths, workers, min_items=MIN_FILES)
        results = {p: d for p, d in zip(paths, data) if d is not None}
        readers.readers[fmt] = _prefetching(reader, results)
        log.info("prefetch: %d %s files read by %d processes in %.2f s", len(results), fmt,
                 workers, time.perf_counter() - start)


def pin_urls(generator) -> None:
    """Drafts and future-dated reports change status (and so URL) while the
    content object is built: pinning waits until the generator is done."""
    for group in ("articles", "translations", "drafts", "drafts_translations",
                  "hidden_articles", "hidden_translations"):
        for content in getattr(generator, group, ()):
            content.override_url = content.url
            content.override_save_as = content.save_as


def register():
    signals.article_generator_init.connect(prefetch)
    signals.article_generator_pretaxonomy.connect(pin_urls)
