"""The archive's static search index: pure functions from report records to
the files search.js reads.

Why character n-grams: Thai has no spaces, and any word segmenter cuts the
same letters differently depending on what surrounds them (the browser's ICU
vs pythainlp's dictionary, or one dictionary on a query and on a sentence).
Indexing every 2-, 3- and 4-character sequence of each report's text makes the
index side and the query side agree by construction: a query is found
wherever its letters occur, inside a longer run or typed unspaced, in Thai,
English or digits. Postings are document sets (compact: a delta list or a
bitmap, whichever is shorter), sharded by a hash of the n-gram so a query
fetches only the few shards its n-grams live in. The search page then checks
each shown result against the report's text for the exact phrase and
highlights it.

Layout under the output folder (`search/index/`):
  meta.json        facet values with their document sets, shard count, version
  s/<n>.json       shard n: {"ngram": postings}
  d/<id>.json      one report: title, URL, BE date, provinces, text, facet names
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from thaireports.thaitext import search_form

FORMAT_VERSION = 1
TARGET_SHARD_BYTES = 12_000
MAX_SHARDS = 4096
KINDS = ("province", "agency", "program")


@dataclass
class SearchDoc:
    """One report as the index sees it. `facets` maps kind → vocabulary keys;
    `names` are the facet names (Thai and English) that are searchable too."""

    url: str
    title: str
    date: str            # ISO, for ordering
    year: int
    date_be: str         # shown in results
    text: str            # plain body text
    facets: dict[str, list[str]] = field(default_factory=dict)
    provinces_th: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    def searchable(self) -> str:
        """Title, body and facet names, each on its own line so no n-gram
        spans two of them."""
        return "\n".join([self.title, self.text, *self.names])


def fnv1a(s: str) -> int:
    """32-bit FNV-1a over code points; search.js computes the same."""
    h = 0x811C9DC5
    for ch in s:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def ngrams(normalized: str) -> set[str]:
    """Every 2-, 3- and 4-character sequence inside each space-free run."""
    out: set[str] = set()
    for run in normalized.split(" "):
        n = len(run)
        out.update([run[i:i + 2] for i in range(n - 1)])
        out.update([run[i:i + 3] for i in range(n - 2)])
        out.update([run[i:i + 4] for i in range(n - 3)])
    return out


def query_ngrams(term: str) -> list[str]:
    """The n-grams a (normalized, space-free) query term is looked up by:
    its 4-grams, or the term itself when it is two to four characters long.
    (4-grams rather than 3-grams: a chain of 3-grams is too often made of
    pieces from different places, as in จังหวัด … จัดคุณธรรม.)"""
    if len(term) < 2:
        return []
    if len(term) <= 4:
        return [term]
    return [term[i:i + 4] for i in range(len(term) - 3)]


def encode_set(ids: list[int], n_docs: int) -> str:
    """A sorted list of document ids as the shorter of a base-36 delta list
    (`"3,1,a"`) or a base64 bitmap (`"!..."`, bit i of byte i>>3 = doc i)."""
    prev = -1
    parts = []
    for i in ids:
        parts.append(_b36(i - prev - 1))
        prev = i
    listed = ",".join(parts)
    if len(ids) * 8 < n_docs // 3:          # sparse: a list always wins
        return listed
    bits = bytearray((ids[-1] >> 3) + 1 if ids else 0)
    for i in ids:
        bits[i >> 3] |= 1 << (i & 7)
    bitmap = "!" + base64.b64encode(bytes(bits)).decode("ascii")
    return bitmap if len(bitmap) < len(listed) else listed


def decode_set(code: str) -> list[int]:
    """Inverse of encode_set."""
    if code.startswith("!"):
        bits = base64.b64decode(code[1:])
        return [i * 8 + b for i, byte in enumerate(bits) for b in range(8) if byte >> b & 1]
    out, prev = [], -1
    for part in filter(None, code.split(",")):
        prev = prev + int(part, 36) + 1
        out.append(prev)
    return out


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if n < 36:
        return digits[n]
    s = ""
    while n:
        n, r = divmod(n, 36)
        s = digits[r] + s
    return s


def order(docs: list[SearchDoc]) -> list[SearchDoc]:
    """Newest first: document ids follow this order, so results sorted by id
    are sorted by date with no dates shipped to the browser."""
    return sorted(docs, key=lambda d: (d.date, d.url), reverse=True)


# Memory bounds of encoded_postings: texts go through numpy in batches of
# about BATCH_CHARS characters, and the distinct (n-gram, report) pairs are
# sorted and encoded about PAIRS_PER_PASS at a time (the other passes' pairs
# wait in temporary files), so the work arrays stay near 180 MB however large
# the archive (measured at 20,000 reports; 8 M pairs per pass took 420 MB).
BATCH_CHARS = 1_000_000
PAIRS_PER_PASS = 4_000_000
THREADS = 2
_B36 = b"0123456789abcdefghijklmnopqrstuvwxyz"


def encoded_postings(texts: list[str], spill_dir: str | None = None) -> dict[str, str]:
    """{n-gram: encoded document set} for normalized texts (document i =
    texts[i]). Same result as collecting `ngrams()` per text and calling
    `encode_set`, computed with numpy: at 5,000 reports that is some 12
    million (n-gram, report) pairs, too many for a Python loop on every
    build."""
    out: dict[str, str] = {}
    for grams, codes, _ in postings(texts, spill_dir):
        out.update(zip(grams, codes))
    return out


def postings(texts: list[str], spill_dir: str | None = None):
    """encoded_postings in parts: yields (n-grams, their encoded sets, their
    fnv1a hashes as a numpy array), one part per pass."""
    import numpy as np

    n = len(texts)
    if not n:
        return
    batches = _batches(texts)
    seen = np.zeros(0x110000, dtype=bool)
    for lo, hi in batches:
        seen[_code_points(texts[lo:hi])] = True
    seen[ord(" ")] = False
    alphabet = np.flatnonzero(seen).astype(np.uint32)
    base = len(alphabet) + 1                  # digits 1..len(alphabet): lengths never collide
    doc_bits = max(1, int(n).bit_length())
    if not len(alphabet) or base ** 4 >= 2 ** (63 - doc_bits):   # too many characters to pack
        yield _python_postings(texts)
        return
    table = np.zeros(max(int(alphabet[-1]), ord(" ")) + 1, dtype=np.uint64)  # code point -> digit
    table[alphabet] = np.arange(1, base, dtype=np.uint64)
    points = np.concatenate(([0], alphabet)).astype(np.uint32)             # digit -> code point
    positions = 3 * sum(map(len, texts))
    passes = max(1, -(-positions // (2 * PAIRS_PER_PASS)))   # about half the positions are repeats
    with _Spill(passes, spill_dir) as spill, ThreadPoolExecutor(THREADS) as pool:
        # numpy releases the GIL in sorting and arithmetic: batches go
        # through both cores, at most THREADS of them in memory at once.
        running: deque = deque()
        for lo, hi in batches:
            running.append(pool.submit(_batch_pairs, texts[lo:hi], lo, table, base, doc_bits))
            if len(running) >= THREADS:
                spill.add(running.popleft().result(), doc_bits)
        while running:
            spill.add(running.popleft().result(), doc_bits)
        for pairs in spill.parts():
            if len(pairs):
                yield _encode_part(pairs, doc_bits, base, points, n)


def _batches(texts: list[str]) -> list[tuple[int, int]]:
    out, lo, size = [], 0, 0
    for i, text in enumerate(texts):
        size += len(text) + 1
        if size >= BATCH_CHARS:
            out.append((lo, i + 1))
            lo, size = i + 1, 0
    if lo < len(texts):
        out.append((lo, len(texts)))
    return out


def _code_points(batch: list[str]):
    import numpy as np

    # A space ends every report: no n-gram spans two.
    return np.frombuffer(" ".join(batch).encode("utf-32-le"), dtype=np.uint32)


def _batch_pairs(batch: list[str], lo: int, table, base: int, doc_bits: int):
    """Sorted distinct (n-gram key << doc_bits | report) of a batch of texts;
    the key packs an n-gram's characters as base-`base` digits."""
    import numpy as np

    codes = _code_points(batch)
    digits = table[codes]
    del codes
    lengths = np.fromiter((len(t) + 1 for t in batch), dtype=np.int64, count=len(batch))
    doc_of = np.repeat(np.arange(lo, lo + len(batch), dtype=np.uint64), lengths)[:len(digits)]
    found = []
    for size in (2, 3, 4):
        m = len(digits) - size + 1
        if m <= 0:
            continue
        ok = digits[:m] != 0
        key = digits[:m].copy()
        for j in range(1, size):
            ok &= digits[j:j + m] != 0
            key *= np.uint64(base)
            key += digits[j:j + m]
        found.append((key[ok] << np.uint64(doc_bits)) | doc_of[:m][ok])
    return _distinct(np.concatenate(found)) if found else np.zeros(0, dtype=np.uint64)


def _distinct(values):
    """Sorted distinct values of a fresh array (sorted in place: np.unique
    hashes large integer arrays, many times slower than sorting them)."""
    import numpy as np

    values.sort()
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


class _Spill:
    """Pairs split by n-gram ranges into passes: kept in memory when one pass
    holds them all, else appended to one temporary file per pass."""

    def __init__(self, passes: int, spill_dir: str | None):
        self.passes, self.spill_dir = passes, spill_dir
        self.chunks: list = []
        self.tmp = None
        self.bounds = None

    def __enter__(self):
        if self.passes > 1:
            import tempfile

            if self.spill_dir:
                os.makedirs(self.spill_dir, exist_ok=True)
            self.tmp = tempfile.TemporaryDirectory(prefix="search-pairs-", dir=self.spill_dir)
            self.files = [open(os.path.join(self.tmp.name, f"{p}.bin"), "wb") for p in range(self.passes)]
        return self

    def __exit__(self, *exc):
        if self.tmp is not None:
            for fh in self.files:
                fh.close()
            self.tmp.cleanup()

    def add(self, pairs, doc_bits: int) -> None:
        """`pairs` sorted: each pass's share is a slice."""
        import numpy as np

        if self.tmp is None:
            self.chunks.append(pairs)
            return
        if not len(pairs):
            return
        if self.bounds is None:
            # The first batch's n-gram quantiles split the rest about evenly
            # too; a bound is the smallest pair of its n-gram, so an n-gram's
            # pairs never straddle two passes.
            at = len(pairs) * np.arange(1, self.passes) // self.passes
            shift = np.uint64(doc_bits)
            self.bounds = (pairs[at] >> shift) << shift
        cuts = [0, *np.searchsorted(pairs, self.bounds).tolist(), len(pairs)]
        for p, fh in enumerate(self.files):
            pairs[cuts[p]:cuts[p + 1]].tofile(fh)

    def parts(self):
        import numpy as np

        if self.tmp is None:
            pairs = np.concatenate(self.chunks) if self.chunks else np.zeros(0, dtype=np.uint64)
            self.chunks = []
            pairs.sort()
            yield pairs
            return
        for p, fh in enumerate(self.files):
            fh.close()
            pairs = np.fromfile(fh.name, dtype=np.uint64)
            os.unlink(fh.name)
            pairs.sort()
            yield pairs


def _encode_part(pairs, doc_bits: int, base: int, points, n: int):
    """Sorted distinct pairs → (n-grams, encoded sets, fnv1a hashes)."""
    import numpy as np

    keys = pairs >> np.uint64(doc_bits)
    first = np.empty(len(keys), dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    del first
    gkeys = keys[starts]
    del keys
    ids = (pairs & np.uint64((1 << doc_bits) - 1)).astype(np.int32)   # n < 2**31
    codes = encode_groups(ids, np.diff(np.append(starts, len(ids))), n)
    del ids

    # n-gram characters, right-aligned (shorter n-grams have leading zeros)
    digits = np.zeros((len(gkeys), 4), dtype=np.int64)
    rest = gkeys
    for col in (3, 2, 1, 0):
        digits[:, col] = (rest % np.uint64(base)).astype(np.int64)
        rest = rest // np.uint64(base)
    chars = points[digits]
    present = digits != 0
    hashes = np.full(len(gkeys), 0x811C9DC5, dtype=np.uint64)
    for col in range(4):
        mixed = ((hashes ^ chars[:, col]) * np.uint64(0x01000193)) & np.uint64(0xFFFFFFFF)
        hashes = np.where(present[:, col], mixed, hashes)
    cells = np.concatenate((chars, np.full((len(gkeys), 1), ord(" "), dtype=np.uint32)), axis=1)
    keep = np.concatenate((present, np.ones((len(gkeys), 1), dtype=bool)), axis=1)
    grams = cells[keep].tobytes().decode("utf-32-le").split(" ")[:-1]
    return grams, codes, hashes


def encode_groups(ids, counts, n: int) -> list[str]:
    """encode_set for many sets at once: `ids` (an integer numpy array) holds
    consecutive sorted groups of counts[0], counts[1], ... ids; returns one
    string per group, the same strings encode_set gives."""
    import numpy as np

    counts = np.asarray(counts, dtype=np.int64)
    starts = np.cumsum(counts) - counts
    last = ids[starts + counts - 1]
    gaps = np.empty_like(ids)                 # each id minus the previous one minus one
    gaps[0] = ids[0]
    np.subtract(ids[1:], ids[:-1] + 1, out=gaps[1:])
    gaps[starts] = ids[starts]
    width = np.ones(len(ids), dtype=np.int8)    # base-36 digits of each gap
    power = 36
    while power <= n:
        width += gaps >= power
        power *= 36
    listed_len = np.add.reduceat(width, starts, dtype=np.int64) + counts - 1
    bitmap_bytes = (last >> 3) + 1
    bitmap = ~(counts * 8 < n // 3) & (1 + 4 * ((bitmap_bytes + 2) // 3) < listed_len)

    codes = np.empty(len(starts), dtype=object)
    in_list = np.repeat(~bitmap, counts)
    if in_list.any():
        codes[~bitmap] = _delta_lists(gaps[in_list], width[in_list], counts[~bitmap])
    if bitmap.any():
        codes[bitmap] = _bitmaps(ids[~in_list], counts[bitmap], bitmap_bytes[bitmap])
    return codes.tolist()


def decode_ids(code: str):
    """decode_set as a numpy array."""
    import numpy as np

    if code.startswith("!"):
        bits = np.unpackbits(np.frombuffer(base64.b64decode(code[1:]), dtype=np.uint8), bitorder="little")
        return np.flatnonzero(bits).astype(np.int64)
    if not code:
        return np.zeros(0, dtype=np.int64)
    return np.cumsum(np.array([int(part, 36) for part in code.split(",")], dtype=np.int64) + 1) - 1


def _delta_lists(gaps, width, counts) -> list[str]:
    """encode_set's base-36 delta lists for consecutive groups of gaps."""
    import numpy as np

    step = width + 1                          # digits and a comma
    offsets = np.cumsum(step) - step
    buf = np.full(int(step.sum()), ord(","), dtype=np.uint8)
    table = np.frombuffer(_B36, dtype=np.uint8)
    k, power = 0, 1
    while True:
        sel = np.flatnonzero(width > k)
        if not len(sel):
            break
        buf[offsets[sel] + width[sel] - 1 - k] = table[(gaps[sel] // power) % 36]
        k, power = k + 1, power * 36
    text = buf.tobytes().decode("ascii")
    firsts = np.cumsum(counts) - counts
    lasts = firsts + counts - 1
    begin = offsets[firsts].tolist()
    end = (offsets[lasts] + width[lasts]).tolist()
    return [text[a:b] for a, b in zip(begin, end)]


def _bitmaps(ids, counts, nbytes) -> list[str]:
    """encode_set's "!" + base64 bitmaps for consecutive groups of ids."""
    import numpy as np

    offsets = np.cumsum(nbytes) - nbytes
    bits = np.zeros(int(nbytes.sum()) * 8, dtype=bool)
    bits[np.repeat(offsets * 8, counts) + ids] = True
    data = np.packbits(bits, bitorder="little").tobytes()
    return ["!" + base64.b64encode(data[a:a + m]).decode("ascii")
            for a, m in zip(offsets.tolist(), nbytes.tolist())]


def _python_postings(texts: list[str]):
    found: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        for g in ngrams(text):
            found[g].append(i)
    grams = list(found)
    return grams, [encode_set(found[g], len(texts)) for g in grams], [fnv1a(g) for g in grams]


def build_index(docs: list[SearchDoc], facet_labels: dict[str, dict[str, tuple[str, str]]]) -> dict[str, str]:
    """All index files as {relative path: JSON text}. `docs` must already be
    in `order()`. `facet_labels[kind][key] = (th, en)` comes from the
    vocabulary. (The Pelican plugin builds the same files from cached
    records, writing them as it goes.)"""
    records = [doc_record(d) for d in docs]
    shards, _ = shard_files([search_form(d.searchable()) for d in docs])
    files: dict[str, str] = {}
    digest = build_digest()
    for i in path_order(len(records)):
        files[f"d/{i}.json"] = records[i]
        digest.update(content_hash(records[i].encode()).encode())
    for s in path_order(len(shards)):
        files[f"s/{s}.json"] = shards[s]
        digest.update(content_hash(shards[s].encode()).encode())
    files["meta.json"] = meta_file([d.facets for d in docs], [d.year for d in docs],
                                   facet_labels, len(shards), digest)
    return files


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def build_digest():
    """meta.json's "build" (the version search.js adds to every index URL):
    fed the content hash of every d/ and s/ file, in path order, so a
    rebuild that keeps most files need not read them."""
    return hashlib.sha1()


def doc_record(doc: SearchDoc) -> str:
    """The text of d/<id>.json: what a result shows, and the text the search
    page checks phrases against."""
    return _dump({"t": doc.title, "u": doc.url, "d": doc.date_be,
                  "p": doc.provinces_th, "x": doc.text, "n": doc.names})


def record_search_form(record: dict) -> str:
    """search_form(doc.searchable()) from a parsed doc_record."""
    return search_form("\n".join([record["t"], record["x"], *record["n"]]))


def path_order(count: int) -> list[int]:
    """0..count-1 in the order their "<i>.json" names sort: the order the
    meta.json build digest reads the files in."""
    return sorted(range(count), key=lambda i: f"{i}.json")


def shard_files(texts: list[str], spill_dir: str | None = None) -> tuple[list[str], int]:
    """The JSON text of every shard, s/<n>.json = shard_files(...)[0][n], and
    the size measure that chose their count (see shard_count): each n-gram of
    `texts` (normalized, in document id order) goes to shard
    fnv1a(n-gram) % shard count, n-grams sorted within a shard."""
    import numpy as np

    grams: list[str] = []
    codes: list[str] = []
    hashes = []
    for part_grams, part_codes, part_hashes in postings(texts, spill_dir):
        grams += part_grams
        codes += part_codes
        hashes.append(np.asarray(part_hashes, dtype=np.uint64))
    total = sum(map(len, grams)) + sum(map(len, codes)) + 6 * len(grams)
    shards = shard_count(total)
    where = (np.concatenate(hashes) % np.uint64(shards)).tolist() if hashes else []
    buckets: list[dict[str, str]] = [{} for _ in range(shards)]
    for i in sorted(range(len(grams)), key=grams.__getitem__):
        buckets[where[i]][grams[i]] = codes[i]
    return [shard_json(b) for b in buckets], total


def shard_json(shard: dict[str, str]) -> str:
    return _dump(shard)


def shard_count(total: int) -> int:
    """The power of two that brings shards near TARGET_SHARD_BYTES, for
    postings whose n-grams and codes sum to `total` (plus 6 per entry)."""
    shards = 1
    while shards < MAX_SHARDS and total / shards > TARGET_SHARD_BYTES:
        shards *= 2
    return shards


def gram_changes(changes: list[tuple[int, str, str]]) -> dict[str, tuple[list[int], list[int]]]:
    """(document id, old normalized text, new normalized text) for changed
    documents → {n-gram: (ids that no longer have it, ids that now have it)}."""
    out: dict[str, tuple[list[int], list[int]]] = {}
    for i, old, new in changes:
        before, after = ngrams(old), ngrams(new)
        for g in before - after:
            out.setdefault(g, ([], []))[0].append(i)
        for g in after - before:
            out.setdefault(g, ([], []))[1].append(i)
    return out


# Up to this many changed n-grams (one edited report, typically) are patched
# in plain Python: importing numpy took longer (~0.15 s) than the patch.
PYTHON_PATCH_MAX = 256


def apply_gram_changes(shards: dict[int, dict[str, str]], count: int,
                       changes: dict[str, tuple[list[int], list[int]]], n: int) -> int:
    """Updates parsed shards in place (`shards` must hold every shard number
    fnv1a(g) % count of the changed n-grams) so they equal the shards
    shard_files would build from the new texts with the same shard count;
    returns the change of shard_files' size measure."""
    grams = sorted(changes)
    olds = [shards[fnv1a(g) % count].get(g) for g in grams]
    new_codes = _new_codes_python if len(grams) <= PYTHON_PATCH_MAX else _new_codes_numpy
    delta = -sum(len(g) + len(old) + 6 for g, old in zip(grams, olds) if old is not None)
    touched = set()
    for g, code in zip(grams, new_codes(grams, olds, changes, n)):
        s = fnv1a(g) % count
        touched.add(s)
        if code is not None:
            shards[s][g] = code
            delta += len(g) + len(code) + 6
        else:
            shards[s].pop(g, None)
    for s in touched:                    # shard_files writes n-grams sorted
        shards[s] = dict(sorted(shards[s].items()))
    return delta


def _new_codes_python(grams, olds, changes, n: int) -> list[str | None]:
    """Each gram's new document set, encoded (None: no document left)."""
    out = []
    for g, old in zip(grams, olds):
        ids = set(decode_set(old)) if old is not None else set()
        lost, gained = changes[g]
        ids.difference_update(lost)
        ids.update(gained)
        out.append(encode_set(sorted(ids), n) if ids else None)
    return out


def _new_codes_numpy(grams, olds, changes, n: int) -> list[str | None]:
    """_new_codes_python for many grams at once."""
    import numpy as np

    sets = []
    for g, old in zip(grams, olds):
        ids = decode_ids(old) if old is not None else np.zeros(0, dtype=np.int64)
        lost, gained = changes[g]
        if lost:
            ids = ids[~np.isin(ids, lost)]
        if gained:
            ids = np.union1d(ids, np.array(gained, dtype=np.int64))
        sets.append(ids)
    kept = [k for k, ids in enumerate(sets) if len(ids)]
    codes = dict(zip(kept, encode_groups(np.concatenate([sets[k] for k in kept]),
                                         [len(sets[k]) for k in kept], n))) if kept else {}
    return [codes.get(k) for k in range(len(grams))]


def meta_file(facets_of: list[dict[str, list[str]]], years_of: list[int],
              facet_labels: dict[str, dict[str, tuple[str, str]]], shards: int, digest) -> str:
    """meta.json: facet values with their document sets (document i has
    facets_of[i] and year years_of[i]); `digest` is a hashlib object fed every
    d/ and s/ file in sorted path order."""
    n = len(facets_of)
    facets: dict[str, list[dict]] = {}
    for kind in KINDS:
        members: dict[str, list[int]] = defaultdict(list)
        for i, doc_facets in enumerate(facets_of):
            for key in dict.fromkeys(doc_facets.get(kind, ())):
                members[key].append(i)
        labels = facet_labels.get(kind, {})
        values = [{"k": key, "th": labels.get(key, (key, key))[0], "en": labels.get(key, (key, key))[1],
                   "s": encode_set(ids, n)} for key, ids in members.items()]
        facets[kind] = sorted(values, key=lambda v: v["th"])
    years: dict[int, list[int]] = defaultdict(list)
    for i, year in enumerate(years_of):
        years[year].append(i)
    facets["year"] = [{"k": str(y), "th": str(y + 543), "en": str(y), "s": encode_set(ids, n)}
                      for y, ids in sorted(years.items(), reverse=True)]
    return _dump({"v": FORMAT_VERSION, "n": n, "shards": shards,
                  "build": digest.hexdigest()[:12], "facets": facets})


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


_BLANKS = re.compile("[ \t\u00a0]+")
_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(?:p|div|li|h[1-6]|tr|td|th|blockquote|pre|figcaption|dd|dt)>")


def html_to_text(html: str) -> str:
    """Readable plain text of rendered report HTML: block elements end a
    line, so words from two paragraphs never run together."""
    import lxml.html

    if not html or not html.strip():
        return ""
    marked = _BLOCK_END.sub("\\g<0>\n", html)
    root = lxml.html.fragment_fromstring(marked, create_parent="div")
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    text = _BLANKS.sub(" ", root.text_content())
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
