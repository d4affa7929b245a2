"""Spreading independent work over the machine's cores.

Workers are forked, so they start with everything the parent has loaded
(settings, vocabulary, readers, templates); nothing is sent to them and only
results come back."""
from __future__ import annotations

import os
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


_NONE = 2 ** 64 - 1
_HEADER = struct.Struct("<QQ")


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
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the worker
                code = 0
                try:
                    with open(path, "ab", buffering=0) as out:
                        for i in range(w, len(items), workers):
                            data = fn(items[i])
                            size = _NONE if data is None else len(data)
                            out.write(_HEADER.pack(i, size) + (data or b""))
                except BaseException:  # noqa: BLE001 - the parent does that item itself
                    traceback.print_exc()
                    code = 1
                finally:
                    os._exit(code)
            self._pids.append(pid)
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
