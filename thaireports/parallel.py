"""Spreading independent work over the machine's cores.

Workers are forked, so they start with everything the parent has loaded
(settings, vocabulary, readers, templates); nothing is sent to them and only
results come back."""
from __future__ import annotations

import gc
import logging
import os
import pickle
import select
import shutil
import signal
import struct
import sys
import tempfile
import time
import traceback
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")


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


def fork_call(fn: Callable[[], object]) -> int:
    """Run `fn()` in a forked child and return the child's pid at once. The
    child exits with 0 when `fn` returned, 1 when it raised (never running
    the parent's exit handlers)."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 1
        try:
            fn()
            code = 0
        except BaseException:  # noqa: BLE001 - the parent sees the exit code
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    return pid


_NONE = 2 ** 64 - 1
_HEADER = struct.Struct("<QQ")


def _stream(fn, items, w: int, workers: int, path: str) -> None:
    with open(path, "ab", buffering=0) as out:
        for i in range(w, len(items), workers):
            data = fn(items[i])
            size = _NONE if data is None else len(data)
            out.write(_HEADER.pack(i, size) + (data or b""))


class ForkStream:
    """`fn(items[i])` (bytes or None) for every i, computed ahead by forked
    workers while this process goes on with other work; `get(i)` waits for
    one. Worker w takes the items i ≡ w (mod workers), in order, so asking
    in order keeps every worker busy. Each worker appends its results to a
    file (no pipe to fill up while this process is busy elsewhere)."""

    def __init__(self, fn: Callable[[T], bytes | None], items: Sequence[T], workers: int):
        self._dir = tempfile.mkdtemp(prefix="fork-stream-")
        self._workers = workers
        self._pids: list[int | None] = []
        self._files = []
        self._got: dict[int, bytes | None] = {}
        for w in range(workers):
            path = os.path.join(self._dir, str(w))
            open(path, "wb").close()
            # A worker that fails leaves the rest of its items to the parent.
            self._pids.append(fork_call(lambda w=w, path=path: _stream(fn, items, w, workers, path)))
            self._files.append(open(path, "rb"))

    def _next(self, w: int) -> bool:
        """Take worker w's next result if it is complete; False if not yet."""
        fh = self._files[w]
        pos = fh.tell()
        have = os.fstat(fh.fileno()).st_size - pos
        if have < _HEADER.size:
            return False
        i, size = _HEADER.unpack(fh.read(_HEADER.size))
        need = 0 if size == _NONE else size
        if have - _HEADER.size < need:
            fh.seek(pos)
            return False
        self._got[i] = None if size == _NONE else fh.read(need)
        return True

    def get(self, i: int, missing=None):
        """Item i's result; `missing` when its worker stopped without it."""
        w = i % self._workers
        while i not in self._got:
            if self._next(w):
                continue
            pid = self._pids[w]
            if pid is None or os.waitpid(pid, os.WNOHANG)[0]:
                self._pids[w] = None
                if not self._next(w):      # whatever it wrote before stopping
                    return missing
                continue
            time.sleep(0.0005)
        return self._got.pop(i)

    def close(self) -> None:
        """Stop the workers that are still running and remove their files."""
        for w, pid in enumerate(self._pids):
            if pid is not None:
                try:
                    os.kill(pid, signal.SIGTERM)
                    os.waitpid(pid, 0)
                except (ProcessLookupError, ChildProcessError):
                    pass
                self._pids[w] = None
        for fh in self._files:
            fh.close()
        self._files = []
        shutil.rmtree(self._dir, ignore_errors=True)


class _Held(logging.Handler):
    """Keeps a side process's log records (as plain text) for the parent."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg = record.getMessage()
        record.args = None
        if record.exc_info:
            record.msg += "\n" + "".join(traceback.format_exception(*record.exc_info))
            record.exc_info = None
        self.records.append(record)


class SideTasks:
    """Work a build can do beside its pages: it needs the finished content in
    memory but produces nothing a page shows (the search index, the data
    files, the social card files). `add` tasks while the content is being
    finished, `start` forks one process that runs them in order while this
    one writes pages, `result(name)` gives a task's return value.

    A task whose process failed or died runs again here, so its error is
    raised where the build can report it. Log records of the side process
    are passed back and logged here, where Pelican counts warnings and
    errors (`--fatal`). Until `start`, or with `workers` < 2, tasks run here
    when their result is asked for."""

    def __init__(self):
        self._pid: int | None = None
        self.reset()

    def connect(self) -> None:
        """For each plugin that uses these: forget the last build's tasks
        when a build starts (Pelican's autoreload runs many builds in one
        process; `get_generators` is sent at the start of each)."""
        from pelican import signals

        signals.get_generators.connect(_new_build, weak=False)

    def reset(self) -> None:
        if self._pid is not None:   # left by a build that failed
            self.wait()
        self._tasks: dict[str, tuple[Callable, tuple]] = {}
        self._results: dict[str, object] = {}
        self._fd: int | None = None

    def add(self, name: str, fn: Callable, *args) -> None:
        self._tasks[name] = (fn, args)

    def start(self, workers: int = 2) -> None:
        todo = [n for n in self._tasks if n not in self._results]
        if self._pid is not None or not todo or workers < 2 or not hasattr(os, "fork"):
            return
        # The parent goes on allocating: frozen objects are not touched (and
        # so not copied) by its collector while the side process shares them.
        gc.freeze()
        sys.stdout.flush()
        sys.stderr.flush()
        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the side process
            os.close(rfd)
            gc.disable()
            held = _Held()
            root = logging.getLogger()
            root.handlers[:] = [held]
            out = {}
            for n in todo:
                fn, args = self._tasks[n]
                try:
                    out[n] = ("ok", fn(*args))
                except BaseException:  # noqa: BLE001 - the parent runs it again
                    out[n] = ("failed", None)
            try:
                data = pickle.dumps((out, held.records), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(wfd, "wb") as fh:
                    fh.write(data)
            finally:  # an unpicklable result: the parent redoes every task
                os._exit(0)
        os.close(wfd)
        self._pid, self._fd = pid, rfd

    def busy(self) -> bool:
        """Whether the side process is still at work (it answers all at once,
        when its last task is done)."""
        if self._pid is None:
            return False
        ready, _, _ = select.select([self._fd], [], [], 0)
        return not ready

    def wait(self) -> None:
        """Wait for the side process (the render workers fork after it is
        done, so no three processes hold copies of the site at once)."""
        if self._pid is None:
            return
        with os.fdopen(self._fd, "rb") as fh:
            data = fh.read()
        os.waitpid(self._pid, 0)
        self._pid = self._fd = None
        gc.unfreeze()
        try:
            out, records = pickle.loads(data)
        except Exception:  # noqa: BLE001 - died before it could answer
            out, records = {}, []
        for record in records:
            logging.getLogger(record.name).handle(record)
        for n, (status, value) in out.items():
            if status == "ok":
                self._results[n] = value

    def result(self, name: str, otherwise: Callable | None = None):
        """Task `name`'s return value, run here if the side process did not
        give it; `otherwise()` (or None) when this build added no such task."""
        if name not in self._tasks:
            return otherwise() if otherwise is not None else None
        self.wait()
        if name not in self._results:
            fn, args = self._tasks[name]
            self._results[name] = fn(*args)
        return self._results[name]


SIDE = SideTasks()


def _new_build(_pelican):
    SIDE.reset()
