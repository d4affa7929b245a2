"""Read the report files on every core before Pelican asks for them.

Pelican reads and converts the Markdown of each report one after the other.
At `article_generator_init` this plugin has worker processes (forked: they
share the parent's readers and settings) run the very same reader on every
report that Pelican's own reader cache does not already hold; Pelican then
gets each result from its reader instead of converting the file again.
Everything after reading (metadata defaults, content objects, signals) stays
in Pelican's hands, in order. A file a worker could not read is left to
Pelican, so its error is reported the usual way.

This plugin also has Pelican keep whole content objects between builds
(CONTENT_CACHING_LAYER = "generator"; KEEP_CONTENT_OBJECTS = False turns it
off), so an unchanged report is neither read nor built again. It is set
here, not in the settings file, because kept objects are only right with the
two steps below. Pelican checks only each file's date; what our plugins, our
data and the settings put into the objects it does not know, so when any of
them changed the kept objects are dropped (`check_cache`).
A kept object still points at the build that made it: it is given this
build's context and settings and initialised again (`content_object_init`,
where our plugins attach this build's facet objects and state).

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

import hashlib
import logging
import os
import pickle
import time
from pathlib import Path

import pelican

from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from thaireports.codeversion import code_digest, settings_digest
from thaireports.parallel import fork_map, workers_setting
from thaireports.reportfile import atomic_write

log = logging.getLogger(__name__)
MIN_FILES = 64
META_PRIORITY = 27  # where markdown.extensions.meta registers its step
# Pelican's generator-level cache files (named after the generator classes)
# and the key they were written under.
CACHE_FILES = ("ArticlesGenerator", "PagesGenerator")
KEY_FILE = "content-objects.key"
ARTICLE_GROUPS = ("articles", "translations", "drafts", "drafts_translations",
                  "hidden_articles", "hidden_translations")
PAGE_GROUPS = ("pages", "translations", "hidden_pages", "hidden_translations", "draft_pages",
               "draft_translations")


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
        if fmt in readers.readers and readers.get_cached_data(path, (None, None))[0] is None \
                and generator.get_cached_data(rel, None) is None:
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


def cache_key(settings) -> str:
    return hashlib.sha256(pelican.__version__.encode() + code_digest()
                          + settings_digest(settings)).hexdigest()


def check_cache(pelican_obj) -> None:
    """initialized: keep content objects, and drop the kept ones when our
    code, our data or the settings are not those they were made with."""
    settings = pelican_obj.settings
    if not settings.get("KEEP_CONTENT_OBJECTS", True) or not settings.get("CACHE_CONTENT"):
        return
    settings["CONTENT_CACHING_LAYER"] = "generator"
    folder = Path(settings["CACHE_PATH"])
    key = cache_key(settings)
    try:
        if (folder / KEY_FILE).read_text(encoding="utf-8") == key:
            return
    except OSError:
        pass
    for name in CACHE_FILES:
        (folder / name).unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(folder / KEY_FILE, key, fsync=False)


def _adopt(generator, groups) -> int:
    """Content objects Pelican served from its cache belong to this build
    from now on; the ones it read now already do."""
    context, settings = generator.context, generator.settings
    n = 0
    for group in groups:
        for content in getattr(generator, group, ()):
            if content._context is not context:
                content._context = context
                content.settings = settings
                signals.content_object_init.send(content)
                n += 1
    return n


def adopt_articles(generator) -> None:
    n = _adopt(generator, ARTICLE_GROUPS)
    if n:
        log.info("prefetch: %d reports from Pelican's content cache", n)


def adopt_pages(generator) -> None:
    _adopt(generator, PAGE_GROUPS)


def pin_urls(generator) -> None:
    """Drafts and future-dated reports change status (and so URL) while the
    content object is built: pinning waits until the generator is done."""
    for group in ARTICLE_GROUPS:
        for content in getattr(generator, group, ()):
            content.override_url = content.url
            content.override_save_as = content.save_as


def register():
    signals.initialized.connect(check_cache)
    signals.readers_init.connect(reuse_converters)
    signals.article_generator_init.connect(prefetch)
    signals.article_generator_pretaxonomy.connect(adopt_articles)
    signals.article_generator_pretaxonomy.connect(pin_urls)
    signals.page_generator_finalized.connect(adopt_pages)
