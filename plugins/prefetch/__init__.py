"""Read the report files on every core before Pelican asks for them.

Pelican reads and converts the Markdown of each report one after the other.
At `article_generator_init` this plugin starts worker processes (forked:
they share the parent's readers and settings) that run the very same reader
on every report Pelican's caches do not already hold, in the order Pelican
will ask for them, and returns at once: validation and Pelican's own work
on each report (metadata defaults, content objects, signals) go on in this
process, in order, while they read. Pelican gets each result from its
reader instead of converting the file again. A file a worker could not read
is left to Pelican, so its error is reported the usual way.

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

Pelican writes its cache files in place: a build stopped while writing one
(killed, out of disk) left a truncated file that made every later build
fail in Pickle's EOFError. Its cache files are written under a temporary
name and renamed when complete, and a cache file that does not end like a
complete pickle is removed before Pelican loads it.

Saving the content objects (a 30 MB pickle at 5,000 reports, ~0.3 s) is
done by a forked process while the build goes on; the build waits for it at
its end.

Pelican's period archives took time quadratic in the number of reports;
their report lists are filled in one pass instead
(`period_archives_in_linear_time`).

Pelican also formats a report's `url` and `save_as` from the settings on
every access (the generators, the exports, the search index and the sitemap
ask about ten times per report). Once every report's status is final
(`article_generator_pretaxonomy`), each gets both values pinned through
Pelican's own `override_url` / `override_save_as` attributes."""
from __future__ import annotations

import atexit
import contextlib
import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

import pelican
from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from thaireports import collector
from thaireports.codeversion import code_digest, settings_digest
from thaireports.contentgroups import ARTICLE_GROUPS, PAGE_GROUPS, contents_of
from thaireports.parallel import ForkStream, fork_call, workers_setting
from thaireports.reportfile import atomic_write

log = logging.getLogger(__name__)
MIN_FILES = 64
META_PRIORITY = 27  # where markdown.extensions.meta registers its step
# Pelican's generator-level cache files (named after the generator classes)
# and the key they were written under.
CACHE_FILES = ("ArticlesGenerator", "PagesGenerator")
KEY_FILE = "content-objects.key"


class _Prefetch:
    """The files handed to worker processes in this build, in the order
    Pelican will ask for them."""

    def __init__(self, readers, items: list[tuple[str, str]], workers: int):
        self.index = {path: i for i, (_, path) in enumerate(items)}
        self.formats = [fmt for fmt, _ in items]
        self.workers = workers
        self.served: dict[str, int] = {}
        self.stream = ForkStream(lambda item: _read_one(readers.readers[item[0]], item[1]),
                                 items, workers)

    def take(self, path: str):
        i = self.index.pop(path, None)
        if i is None:
            return None
        data = self.stream.get(i)
        if data is None:
            return None
        self.served[self.formats[i]] = self.served.get(self.formats[i], 0) + 1
        return pickle.loads(data)

    def close(self) -> None:
        self.stream.close()
        for fmt, n in self.served.items():
            log.info("prefetch: %d %s files read by %d processes", n, fmt, self.workers)


_active: _Prefetch | None = None


def _prefetching(reader, source: _Prefetch):
    """A copy of `reader` that takes what the workers read first. It keeps
    the reader's class name, which Pelican stores as the `reader` metadata."""
    base = type(reader)

    def read(self, path):
        result = source.take(path)
        return result if result is not None else base.read(self, path)

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
    """article_generator_init: start the workers and return at once, so
    that validation and Pelican's own work on each report run while they
    read; Pelican then takes each file from them in its own order."""
    global _active
    finish_reading()
    settings = generator.settings
    workers = workers_setting(settings)
    if workers < 2:
        return
    readers = generator.readers
    items = []
    for rel in generator.get_files(settings["ARTICLE_PATHS"],
                                   exclude=settings.get("ARTICLE_EXCLUDES") or ()):
        path = os.path.abspath(os.path.join(generator.path, rel))
        fmt = os.path.splitext(path)[1][1:]
        # Kept content objects first: in a rebuild nearly every file is one.
        if fmt in readers.readers and generator.get_cached_data(rel, None) is None \
                and readers.get_cached_data(path, (None, None))[0] is None:
            items.append((fmt, path))
    if len(items) < MIN_FILES:
        return
    _active = _Prefetch(readers, items, workers)
    for fmt in set(_active.formats):
        readers.readers[fmt] = _prefetching(readers.readers[fmt], _active)


def remember_files(generator) -> None:
    """article/page_generator_init: the file listing and each file's date
    are looked up once per build. Validation, the readers started above and
    Pelican each asked for both (three walks of the folder and three stat
    calls per report). A file changed during the build is read again by the
    next one: the date kept with it is the earlier one."""
    listings: dict[tuple, set] = {}
    stamps: dict[str, object] = {}
    pelicans_files, pelicans_stamp = generator.get_files, generator._get_file_stamp

    def get_files(paths, exclude=None, extensions=None):
        key = (tuple([paths] if isinstance(paths, str) else paths or ()),
               tuple(exclude or ()), extensions if extensions in (None, False)
               else tuple(extensions))
        if key not in listings:
            listings[key] = pelicans_files(paths, exclude=exclude, extensions=extensions)
        return set(listings[key])

    def get_file_stamp(filename):
        if filename not in stamps:
            stamps[filename] = pelicans_stamp(filename)
        return stamps[filename]

    generator.get_files = get_files
    generator._get_file_stamp = get_file_stamp


def finish_reading(*_) -> None:
    """Once Pelican has read every report (and when a build stops early):
    the workers are done or stopped, and their files removed."""
    global _active
    if _active is not None:
        _active.close()
        _active = None


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


def _file_mode(path: str) -> int:
    """The mode a file written with open() would get: the existing file's,
    else what the umask allows (mkstemp makes its files private)."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


class _Replacing:
    """Pelican's `with open(cache, "wb") as fh: pickle.dump(...)`, written to
    a temporary file beside the cache file and renamed over it on success."""

    def __init__(self, opener, path: str, mode: str):
        folder, name = os.path.split(path)
        fd, self._tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder or ".")
        os.close(fd)
        os.chmod(self._tmp, _file_mode(path))
        self._path = path
        self._fh = opener(self._tmp, mode)

    def __enter__(self):
        return self._fh.__enter__()

    def __exit__(self, kind, value, tb):
        self._fh.__exit__(kind, value, tb)
        if kind is None:
            os.replace(self._tmp, self._path)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._tmp)
        return False


def _atomic_opener(opener):
    def open_cache(path, mode="rb", *args, **kwargs):
        if "w" not in mode:
            return opener(path, mode, *args, **kwargs)
        return _Replacing(opener, path, mode)

    open_cache.atomic = True
    return open_cache


def write_caches_atomically(generator) -> None:
    """article/page_generator_init: the generator's cache files (content
    objects, and its readers' when the reader layer caches) are replaced,
    never rewritten in place."""
    for cacher in (generator, getattr(generator, "readers", None)):
        opener = getattr(cacher, "_cache_open", None)
        if opener is not None and not getattr(opener, "atomic", False):
            cacher._cache_open = _atomic_opener(opener)


_savers: list[int] = []


def save_in_background(generator) -> None:
    """article_generator_init: the generator's `save_cache` forks, and the
    child runs Pelican's own (through the atomic opener above). The child
    pickles what the generator holds at that moment, as Pelican would."""
    if workers_setting(generator.settings) < 2 or not hasattr(os, "fork"):
        return
    pelicans_save = generator.save_cache

    def save_cache():
        if generator._cache_data_policy:
            _savers.append(fork_call(pelicans_save))

    generator.save_cache = save_cache


def period_archives_in_linear_time(generator) -> None:
    """article_generator_init: Pelican builds each period's report list by
    testing every report against that period's list, `[a for a in articles
    if a in dates]`: 17 years times 5,000 reports times a few hundred
    comparisons, ~0.2 s of every build. Pelican's own method still makes the
    archives, given no report list; the lists are then filled by identity
    (what `in` tests for content objects), in the same order."""
    pelicans_build = generator._build_period_archives

    def build(sorted_articles, articles, settings):
        archives = pelicans_build(sorted_articles, [], settings)
        for periods in archives.values():
            where = {id(a): i for i, period in enumerate(periods) for a in period["dates"]}
            for period in periods:
                period["articles"] = []
            for a in articles:
                i = where.get(id(a))
                if i is not None:
                    periods[i]["articles"].append(a)
        return archives

    generator._build_period_archives = build


def wait_for_saves(*_) -> None:
    """finalized (and at exit): the cache files are complete before the
    build ends."""
    while _savers:
        pid = _savers.pop()
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            continue
        if os.waitstatus_to_exitcode(status) != 0:
            log.warning("prefetch: Pelican's content cache could not be saved; "
                        "the next build reads every report again")


def drop_truncated_caches(folder: Path) -> None:
    """Remove Pelican cache files a stopped build left half-written (every
    complete pickle ends with its STOP opcode, b"."). A gzipped cache is
    left to Pelican."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if not path.is_file() or not (path.name in CACHE_FILES or path.name.endswith("-Readers")):
            continue
        try:
            with open(path, "rb") as fh:
                head = fh.read(2)
                fh.seek(-1, os.SEEK_END)
                tail = fh.read(1)
        except OSError:  # empty, or unreadable
            head, tail = b"", b""
        if head[:2] == b"\x1f\x8b":
            continue
        if tail != b".":
            log.warning("prefetch: removing %s, left incomplete by an earlier build", path)
            path.unlink(missing_ok=True)


def cache_key(settings) -> str:
    return hashlib.sha256(pelican.__version__.encode() + code_digest()
                          + settings_digest(settings)).hexdigest()


def check_cache(pelican_obj) -> None:
    """initialized: keep content objects, and drop the kept ones when our
    code, our data or the settings are not those they were made with."""
    settings = pelican_obj.settings
    if settings.get("LOAD_CONTENT_CACHE") and settings.get("CACHE_PATH"):
        drop_truncated_caches(Path(settings["CACHE_PATH"]))
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
    for content in contents_of(generator, groups):
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
    for content in contents_of(generator, ARTICLE_GROUPS):
        content.override_url = content.url
        content.override_save_as = content.save_as


def register():
    atexit.register(finish_reading)
    signals.initialized.connect(check_cache)
    signals.readers_init.connect(reuse_converters)
    atexit.register(wait_for_saves)
    signals.get_generators.connect(collector.loading_caches)
    # First: the readers forked below run with the collector on.
    signals.article_generator_init.connect(collector.caches_loaded)
    signals.article_generator_init.connect(remember_files)
    signals.page_generator_init.connect(remember_files)
    signals.article_generator_init.connect(write_caches_atomically)
    signals.page_generator_init.connect(write_caches_atomically)
    signals.article_generator_init.connect(save_in_background)
    signals.article_generator_init.connect(period_archives_in_linear_time)
    signals.finalized.connect(wait_for_saves)
    signals.article_generator_init.connect(prefetch)
    signals.article_generator_pretaxonomy.connect(finish_reading)
    signals.article_generator_pretaxonomy.connect(adopt_articles)
    signals.article_generator_pretaxonomy.connect(pin_urls)
    signals.page_generator_finalized.connect(adopt_pages)
