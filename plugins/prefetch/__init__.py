"""Read the report files on every core before Pelican asks for them.

Pelican reads and converts the Markdown of each report one after the other.
At `article_generator_init` this plugin has worker processes (forked: they
share the parent's readers and settings) run the very same reader on every
report that Pelican's own reader cache does not already hold; Pelican then
gets each result from its reader instead of converting the file again.
Everything after reading (metadata defaults, content objects, signals) stays
in Pelican's hands, in order. A file a worker could not read is left to
Pelican, so its error is reported the usual way.

Pelican's Markdown reader also builds a new converter (all of `extra`'s
extensions) for every file, which took as long as converting a report. Each
process keeps one converter instead and resets it between files, the way
Pelican itself resets it between a report's body and its Summary.

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

from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from thaireports.parallel import fork_map, workers_setting

log = logging.getLogger(__name__)
MIN_FILES = 64
META_PRIORITY = 27  # where markdown.extensions.meta registers its step


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


def _reusing_converter(cls):
    """`cls` (Pelican's Markdown reader) with one converter per process."""

    def read(self, source_path):
        md = self.__dict__.get("_converter")
        if md is None:
            md = self._converter = Markdown(**self.settings["MARKDOWN"])
            # Pelican takes the metadata step out before converting Summary.
            self._meta_step = md.preprocessors["meta"]
        else:
            md.reset()
            if "meta" not in md.preprocessors:
                md.preprocessors.register(self._meta_step, "meta", META_PRIORITY)
        self._source_path = source_path
        self._md = md
        with pelican_open(source_path) as text:
            content = md.convert(text)
        return content, self._parse_metadata(md.Meta)

    return type(cls.__name__, (cls,), {"read": read, "__module__": cls.__module__,
                                       "__qualname__": cls.__qualname__})


def reuse_converters(readers) -> None:
    """readers_init: Markdown files are read with one converter per process."""
    for fmt, cls in list(readers.reader_classes.items()):
        if isinstance(cls, type) and issubclass(cls, MarkdownReader):
            readers.reader_classes[fmt] = _reusing_converter(cls)


def pin_urls(generator) -> None:
    """Drafts and future-dated reports change status (and so URL) while the
    content object is built: pinning waits until the generator is done."""
    for group in ("articles", "translations", "drafts", "drafts_translations",
                  "hidden_articles", "hidden_translations"):
        for content in getattr(generator, group, ()):
            content.override_url = content.url
            content.override_save_as = content.save_as


def register():
    signals.readers_init.connect(reuse_converters)
    signals.article_generator_init.connect(prefetch)
    signals.article_generator_pretaxonomy.connect(pin_urls)
