"""Where the search index is written, and the cache that lets a rebuild skip
the work: CACHE_PATH/search/ keeps

  docs/<input digest>.json   each report's d/<id>.json text, by a digest of
                             everything it is made from (HTML, title, URL,
                             date, facets, and this plugin's code)
  blobs/<content hash>.json  the last index's shards and meta.json
  manifest.json              the last index: a digest of all its inputs and,
                             for every output file, its store file, size and hash

Output files are hard links to the store files (a copy where links are not
possible), so an output folder deleted between builds comes back by linking
instead of encoding again. Everything in the store is written atomically and
checked when read: a damaged or missing cache file is rebuilt, never served."""
from __future__ import annotations

import json
import os
import shutil

from thaireports.reportfile import atomic_write_bytes

from .indexer import content_hash

MANIFEST_VERSION = 1


class IndexStore:
    """Writes the index files under `target`; with a cache folder (`root`),
    through the content store described above. (Paths are plain strings:
    pathlib's overhead shows at thousands of files per build.)"""

    def __init__(self, target: str | os.PathLike, root: str | os.PathLike | None):
        self.target = os.fspath(target)
        self.root = os.fspath(root) if root is not None else None
        self.previous = self._load_manifest()
        self.files: dict[str, list] = {}      # rel -> [store name, size, hash]
        self._hash_of = {name: digest for name, _, digest in self.previous.get("files", {}).values()}

    # -- reading the cache

    def _load_manifest(self) -> dict:
        if self.root is None:
            return {}
        try:
            with open(os.path.join(self.root, "manifest.json"), "rb") as fh:
                manifest = json.loads(fh.read())
            if manifest.get("v") == MANIFEST_VERSION and isinstance(manifest.get("inputs"), str) and all(
                    isinstance(rel, str) and isinstance(name, str) and isinstance(size, int)
                    and isinstance(digest, str) for rel, (name, size, digest) in manifest["files"].items()):
                return manifest
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            pass
        return {}

    def restore(self, inputs: str) -> int | None:
        """When the last index was built from the same `inputs` and its store
        files are all there with their recorded sizes, put it in place
        (linking whatever the output lacks) and return its size in bytes;
        else None."""
        if self.root is None or self.previous.get("inputs") != inputs:
            return None
        files = self.previous["files"]
        for name, size, _ in files.values():
            try:
                if os.stat(os.path.join(self.root, name)).st_size != size:
                    return None
            except OSError:
                return None
        for rel, (name, size, _) in files.items():
            self._place(rel, name, size)
        self.files = files
        self.remove_stale()
        return sum(size for _, size, _ in files.values())

    def cached_doc(self, digest: str) -> bytes | None:
        """The d/ file text stored for a report input digest, unless missing
        or different from what the last build recorded."""
        if self.root is None:
            return None
        name = f"docs/{digest}.json"
        try:
            with open(os.path.join(self.root, name), "rb") as fh:
                data = fh.read()
        except OSError:
            return None
        recorded = self._hash_of.get(name)
        if recorded is not None and recorded != content_hash(data):
            return None
        return data

    def previous_file(self, rel: str) -> bytes | None:
        """Output file `rel` of the last build, from the store, if intact."""
        entry = self.previous.get("files", {}).get(rel)
        if self.root is None or entry is None:
            return None
        try:
            with open(os.path.join(self.root, entry[0]), "rb") as fh:
                data = fh.read()
        except OSError:
            return None
        return data if content_hash(data) == entry[2] else None

    def keep(self, rel: str, name: str) -> bool:
        """Output `rel` stays the last build's store file `name`, unread:
        true when the last build recorded that file for `rel` and the output
        is that very file (a hard link) with the recorded size. A copy, a
        replaced store file or another size returns False: the caller then
        reads the file through the cache, whose hash check catches damage."""
        entry = self.previous.get("files", {}).get(rel)
        if self.root is None or entry is None or entry[0] != name:
            return False
        try:
            have = os.stat(os.path.join(self.target, rel))
            want = os.stat(os.path.join(self.root, name))
        except OSError:
            return False
        if not os.path.samestat(have, want) or have.st_size != entry[1]:
            return False
        self.files[rel] = list(entry)
        return True

    # -- writing

    def put_doc(self, rel: str, digest: str, data: bytes, *, cached: bool) -> None:
        """A d/ file; `cached` when `data` came from cached_doc()."""
        self._put(rel, f"docs/{digest}.json", data, stored=cached)

    def put(self, rel: str, data: bytes, *, stored: bool = False) -> None:
        """A shard or meta.json; `stored` when `data` came from previous_file()."""
        digest = content_hash(data)
        self._put(rel, f"blobs/{digest}.json", data, stored=stored, digest=digest)

    def _put(self, rel: str, name: str, data: bytes, *, stored: bool, digest: str | None = None) -> None:
        digest = digest or content_hash(data)
        self.files[rel] = [name, len(data), digest]
        if self.root is None:
            path = os.path.join(self.target, rel)
            try:
                if os.stat(path).st_size == len(data):
                    with open(path, "rb") as fh:
                        if fh.read() == data:
                            return
            except OSError:
                pass
            atomic_write_bytes(path, data, fsync=False)
            return
        if not stored:
            source = os.path.join(self.root, name)
            try:
                if os.stat(source).st_size == len(data):
                    with open(source, "rb") as fh:
                        stored = content_hash(fh.read()) == digest
            except OSError:
                pass
            if not stored:
                atomic_write_bytes(source, data, fsync=False)
        self._place(rel, name, len(data))

    def _place(self, rel: str, name: str, size: int) -> None:
        """Make output `rel` the store file `name`: nothing to do when it is
        that file already, or a copy of it the last build made."""
        source, path = os.path.join(self.root, name), os.path.join(self.target, rel)
        try:
            have = os.stat(path)
        except OSError:
            have = None
        if have is not None:
            want = os.stat(source)
            if os.path.samestat(have, want):
                return
            if have.st_nlink == 1 and have.st_size == size \
                    and self.previous.get("files", {}).get(rel, [None])[0] == name:
                return
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            try:
                os.link(source, path)
                return
            except OSError:
                pass
        # Replacing (or no hard links: copying) through a temporary name, so
        # a reader never sees a half-written file.
        tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.tmp")
        try:
            os.link(source, tmp)
        except FileExistsError:
            os.unlink(tmp)
            os.link(source, tmp)
        except OSError:
            # Another file system, or no hard links: a copy.
            shutil.copyfile(source, tmp)
        os.replace(tmp, path)

    def finish(self, inputs: str, **notes) -> int:
        """Record the index just written (with `notes` for the next build),
        drop store files it no longer uses and output files it no longer
        has; returns its size."""
        self.remove_stale()
        if self.root is not None:
            manifest = {"v": MANIFEST_VERSION, "inputs": inputs, "files": self.files, **notes}
            atomic_write_bytes(os.path.join(self.root, "manifest.json"),
                               json.dumps(manifest, separators=(",", ":")).encode(), fsync=False)
            keep = {entry[0] for entry in self.files.values()}
            for folder in ("docs", "blobs"):
                for entry in _scan(os.path.join(self.root, folder)):
                    if f"{folder}/{entry.name}" not in keep:
                        _unlink(entry.path)
        return sum(size for _, size, _ in self.files.values())

    def remove_stale(self) -> None:
        """Output files the index no longer has (fewer shards or reports)."""
        wanted = set(self.files)
        for sub in ("", "d", "s"):
            for entry in _scan(os.path.join(self.target, sub)):
                rel = f"{sub}/{entry.name}" if sub else entry.name
                if entry.is_file() and rel not in wanted:
                    _unlink(entry.path)


def _scan(folder: str) -> list:
    try:
        with os.scandir(folder) as it:
            return list(it)
    except OSError:
        return []


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
