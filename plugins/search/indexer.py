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
import re
from collections import defaultdict
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
    """Inverse of encode_set (used by tests and the benchmark)."""
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


# Reports per numpy batch, and per pass over the texts: each pass keeps only
# the n-grams whose first character falls in its share of the alphabet, so
# memory stays near one pass's pairs (about 180 MB) however large the archive.
BATCH_DOCS = 1000
DOCS_PER_PASS = 5000


def encoded_postings(texts: list[str]) -> dict[str, str]:
    """{n-gram: encoded document set} for normalized texts (document i =
    texts[i]). Same result as collecting `ngrams()` per text, computed with
    numpy: at 5,000 reports that is some 20 million (n-gram, report) pairs,
    too many for a Python loop on every build."""
    import numpy as np

    n = len(texts)
    if not n:
        return {}
    alphabet = sorted(set().union(*map(set, texts)) - {" "})
    base = len(alphabet) + 1                  # digits 1..len(alphabet): lengths never collide
    doc_bits = max(1, int(n).bit_length())
    if not alphabet or base ** 4 >= 2 ** (63 - doc_bits):   # too many characters to pack: slow path
        postings: dict[str, list[int]] = defaultdict(list)
        for i, text in enumerate(texts):
            for g in ngrams(text):
                postings[g].append(i)
        return {g: encode_set(ids, n) for g, ids in postings.items()}
    table = np.zeros(ord(alphabet[-1]) + 1, dtype=np.uint64)  # code point -> digit; 0 = space
    table[[ord(c) for c in alphabet]] = np.arange(1, base, dtype=np.uint64)
    passes = -(-n // DOCS_PER_PASS)
    out: dict[str, str] = {}
    for part in range(passes):
        batches = []
        for lo in range(0, n, BATCH_DOCS):
            batch = texts[lo:lo + BATCH_DOCS]
            codes = np.frombuffer(" ".join(batch).encode("utf-32-le"), dtype=np.uint32)
            digits = table[codes]             # a space ends every report: no n-gram spans two
            lengths = np.fromiter((len(t) + 1 for t in batch), dtype=np.int64, count=len(batch))
            doc_of = np.repeat(np.arange(lo, lo + len(batch), dtype=np.uint64), lengths)[:len(codes)]
            mine = (digits % np.uint64(passes)) == part
            for size in (2, 3, 4):
                m = len(codes) - size + 1
                if m <= 0:
                    continue
                ok = mine[:m] & (digits[:m] != 0)
                key = digits[:m].copy()
                for j in range(1, size):
                    ok &= digits[j:j + m] != 0
                    key = key * np.uint64(base) + digits[j:j + m]
                batches.append((key[ok] << np.uint64(doc_bits)) | doc_of[:m][ok])
        out.update(_group(np.concatenate(batches), doc_bits, base, alphabet, n))
    return out


def _group(pairs, doc_bits: int, base: int, alphabet: list[str], n: int) -> dict[str, str]:
    """Sorted (n-gram key, report) pairs → {n-gram: encoded report set}."""
    import numpy as np

    pairs.sort()
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    keys = pairs >> np.uint64(doc_bits)
    ids = (pairs & np.uint64((1 << doc_bits) - 1)).astype(np.int64)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    ends = np.append(starts[1:], len(keys))
    out: dict[str, str] = {}
    for start, end, key in zip(starts.tolist(), ends.tolist(), keys[starts].tolist()):
        gram = []
        while key:
            key, d = divmod(key, base)
            gram.append(alphabet[d - 1])
        out["".join(reversed(gram))] = _encode_array(ids[start:end], n)
    return out


def _encode_array(ids, n_docs: int) -> str:
    """encode_set for a sorted numpy array, without turning dense sets into
    Python lists."""
    import numpy as np

    count = len(ids)
    if count * 8 < n_docs // 3:
        return encode_set(ids.tolist(), n_docs)
    gaps = np.diff(ids, prepend=-1) - 1
    listed_len = int(count - 1 + (gaps >= 0).sum() + (gaps >= 36).sum() + (gaps >= 1296).sum()
                     + (gaps >= 46656).sum() + (gaps >= 1679616).sum())
    bits = np.zeros(int(ids[-1]) + 1, dtype=bool)
    bits[ids] = True
    packed = np.packbits(bits, bitorder="little").tobytes()
    bitmap_len = 1 + 4 * ((len(packed) + 2) // 3)
    if bitmap_len < listed_len:
        return "!" + base64.b64encode(packed).decode("ascii")
    return encode_set(ids.tolist(), n_docs)


def build_index(docs: list[SearchDoc], facet_labels: dict[str, dict[str, tuple[str, str]]]) -> dict[str, str]:
    """All index files as {relative path: JSON text}. `docs` must already be
    in `order()`. `facet_labels[kind][key] = (th, en)` comes from the
    vocabulary."""
    n = len(docs)
    encoded = encoded_postings([search_form(d.searchable()) for d in docs])
    total = sum(len(g) + len(c) + 6 for g, c in encoded.items())
    shards = 1
    while shards < MAX_SHARDS and total / shards > TARGET_SHARD_BYTES:
        shards *= 2
    buckets: list[dict[str, str]] = [{} for _ in range(shards)]
    for g in sorted(encoded):
        buckets[fnv1a(g) % shards][g] = encoded[g]

    files: dict[str, str] = {}
    for s, bucket in enumerate(buckets):
        files[f"s/{s}.json"] = _dump(bucket)
    for i, doc in enumerate(docs):
        files[f"d/{i}.json"] = _dump({
            "t": doc.title, "u": doc.url, "d": doc.date_be,
            "p": doc.provinces_th, "x": doc.text, "n": doc.names,
        })

    facets: dict[str, list[dict]] = {}
    for kind in KINDS:
        members: dict[str, list[int]] = defaultdict(list)
        for i, doc in enumerate(docs):
            for key in dict.fromkeys(doc.facets.get(kind, ())):
                members[key].append(i)
        labels = facet_labels.get(kind, {})
        values = [{"k": key, "th": labels.get(key, (key, key))[0], "en": labels.get(key, (key, key))[1],
                   "s": encode_set(ids, n)} for key, ids in members.items()]
        facets[kind] = sorted(values, key=lambda v: v["th"])
    years: dict[int, list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        years[doc.year].append(i)
    facets["year"] = [{"k": str(y), "th": str(y + 543), "en": str(y), "s": encode_set(ids, n)}
                      for y, ids in sorted(years.items(), reverse=True)]

    digest = hashlib.sha1("".join(files[k] for k in sorted(files)).encode()).hexdigest()[:12]
    files["meta.json"] = _dump({"v": FORMAT_VERSION, "n": n, "shards": shards,
                                "build": digest, "facets": facets})
    return files


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(?:p|div|li|h[1-6]|tr|td|th|blockquote|pre|figcaption|dd|dt)>")


def html_to_text(html: str) -> str:
    """Readable plain text of rendered report HTML: block elements end a
    line, so words from two paragraphs never run together."""
    import lxml.html

    if not html or not html.strip():
        return ""
    marked = _BLOCK_END.sub(lambda m: m.group(0) + "\n", html)
    root = lxml.html.fragment_fromstring(marked, create_parent="div")
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    text = root.text_content()
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
