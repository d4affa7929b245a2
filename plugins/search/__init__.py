"""Thai full-text search with facet filters.

Adds the `/search/` page (theme template search.html) and, when the build
finishes, writes the static index that theme/static/js/search.js queries
(see indexer.py for why it indexes character n-grams). No separate step:
`pelican` (and so `invoke build`) produces it."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from functools import lru_cache
from pathlib import Path

from pelican import signals

from thaireports import thaitext
from thaireports.parallel import SIDE
from thaireports.thaitext import search_form
from thaireports.reportfile import split_list
from thaireports.thaidates import format_be
from thaireports.vocabulary import KINDS, load_vocabulary

from .indexer import (SearchDoc, apply_gram_changes, build_digest, doc_record, fnv1a, gram_changes,
                      html_to_text, meta_file, path_order, record_search_form, shard_count, shard_files,
                      shard_json)
from .store import IndexStore

log = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCH_URL": "search/",
    "SEARCH_SAVE_AS": "search/index.html",
    "SEARCH_INDEX_DIR": "search/index",
}
_ATTR = {"province": "provinces", "agency": "agencies", "program": "programs"}
_articles: list = []


def initialized(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    templates = list(settings.get("DIRECT_TEMPLATES", []))
    if "search" not in templates:
        settings["DIRECT_TEMPLATES"] = templates + ["search"]
    cache = settings.get("CACHE_PATH")
    if cache:
        thaitext.set_cache_dir(Path(cache) / "thaitext")
    _articles.clear()


def facet_keys(article, kind: str) -> list[str]:
    """Vocabulary keys of an article's facets: from the facets plugin's
    objects when present, else from the metadata list."""
    objs = getattr(article, _ATTR[kind], None)
    if objs and not isinstance(objs, str):
        keys = [getattr(getattr(o, "entry", None), "key", None) for o in objs]
        if all(keys):
            return keys
    raw = article.metadata.get(_ATTR[kind])
    values = split_list(raw) if isinstance(raw, str) else [str(v) for v in raw or ()]
    vocab = load_vocabulary()
    return [k for k in (vocab.resolve(kind, v) for v in values) if k]


def article_generator_finalized(generator):
    _articles[:] = list(generator.articles)
    SIDE.add("search", _write_site_index, generator.output_path, generator.settings)
    vocab = load_vocabulary()
    browse = {}
    for kind in KINDS:
        # Reports share their facet objects: each one's URL (which Pelican
        # formats from the settings on every access) is looked at once.
        objs = {}
        for art in generator.articles:
            for obj in getattr(art, _ATTR[kind], None) or ():
                objs.setdefault(id(obj), obj)
        seen = {}
        for obj in objs.values():
            if hasattr(obj, "url") and hasattr(obj, "name"):
                seen.setdefault(str(obj.url), obj)
        browse[kind] = sorted(seen.values(), key=lambda o: str(o.name))
    generator.context["search_browse"] = browse
    generator.context.setdefault("vocabulary", vocab)


def to_doc(article, *, with_text: bool = True) -> SearchDoc:
    """The index's view of an article; without its text (the costly part:
    parsing the HTML) when `with_text` is false."""
    vocab = load_vocabulary()
    facets = {kind: facet_keys(article, kind) for kind in KINDS}
    names: list[str] = []
    for kind in KINDS:
        for key in facets[kind]:
            e = vocab.entries(kind)[key]
            names += [e.th, e.en] + [x for x in (e.short_th, e.short_en) if x and x not in (e.th, e.en)]
    return SearchDoc(
        url=article.url,
        title=str(article.title),
        date=article.date.isoformat(),
        year=article.date.year,
        date_be=format_be(article.date),
        text=html_to_text(article.content) if with_text else "",
        facets=facets,
        provinces_th=[vocab.provinces[k].th for k in facets["province"]],
        names=names,
    )


def facet_labels() -> dict:
    vocab = load_vocabulary()
    return {kind: {k: (e.label_th, e.label_en) for k, e in vocab.entries(kind).items()}
            for kind in KINDS}


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of the code that shapes the index: a change to it invalidates
    every cached record."""
    h = hashlib.blake2b(digest_size=16)
    for path in (*sorted(Path(__file__).parent.glob("*.py")), Path(thaitext.__file__)):
        h.update(path.read_bytes())
    return h.hexdigest()


def _input_digest(doc: SearchDoc, article) -> str:
    """Digest of everything d/<id>.json is made from."""
    head = json.dumps([code_digest(), doc.url, doc.title, doc.date_be, doc.provinces_th, doc.names],
                      ensure_ascii=False)
    return hashlib.blake2b(f"{head}\0{article.content}".encode(), digest_size=16).hexdigest()


def _cached_record(data: bytes | None, doc: SearchDoc) -> dict | None:
    """The parsed cached record when it is whole and belongs to `doc`."""
    if data is None:
        return None
    try:
        record = json.loads(data)
    except ValueError:
        return None
    if not isinstance(record, dict) or not isinstance(record.get("x"), str):
        return None
    expected = {"t": doc.title, "u": doc.url, "d": doc.date_be, "p": doc.provinces_th, "n": doc.names}
    return record if all(record.get(k) == v for k, v in expected.items()) else None


# Above this many changed reports a rebuild re-encodes the whole index
# instead of patching the shards their n-grams live in.
MAX_PATCHED_REPORTS = 50


def write_index(output_path: str | os.PathLike, index_dir: str, articles,
                cache_dir: str | os.PathLike | None = None) -> tuple[int, str]:
    """Writes the index of `articles` under output_path/index_dir; returns
    its size in bytes and how it was made. With a cache folder, the cheapest
    way that gives the same files:

    - "unchanged": the last index had the same inputs; its files are linked
      back from the cache where the output lacks them;
    - "patched": a few reports changed and none moved: only the shards
      holding n-grams those reports gained or lost are re-encoded;
    - "built": every report's postings encoded again (unchanged reports'
      records still come from the cache instead of re-parsing their HTML).

    Files whose content did not change are not rewritten."""
    pairs = sorted(((to_doc(a, with_text=False), a) for a in articles),
                   key=lambda p: (p[0].date, p[0].url), reverse=True)      # as indexer.order()
    labels = facet_labels()
    digests = [_input_digest(doc, article) for doc, article in pairs]
    inputs = hashlib.blake2b(json.dumps(
        [code_digest(), labels, [[d, doc.facets, doc.year] for d, (doc, _) in zip(digests, pairs)]],
        ensure_ascii=False).encode(), digest_size=16).hexdigest()
    store = IndexStore(Path(output_path) / index_dir, cache_dir)
    size = store.restore(inputs)
    if size is not None:
        return size, "unchanged"
    size = _patch_index(store, pairs, digests, labels, inputs)
    if size is not None:
        return size, "patched"
    store.files.clear()               # whatever a patch attempt put before giving up
    spill = str(Path(cache_dir) / "tmp") if cache_dir else None
    return _build_index(store, pairs, digests, labels, inputs, spill), "built"


def _put_records(store: IndexStore, pairs, digests, build, texts: dict | list) -> None:
    """Puts every d/ file in place, feeding `build` in path order, and sets
    texts[i] to report i's normalized text where texts[i] is None (where it
    is "", an unchanged record is not even read: see IndexStore.keep)."""
    for i in path_order(len(pairs)):
        rel = f"d/{i}.json"
        want = texts[i] is None
        if not want and store.keep(rel, f"docs/{digests[i]}.json"):
            build.update(store.files[rel][2].encode())
            continue
        doc, article = pairs[i]
        data = store.cached_doc(digests[i])
        if data is not None and want:
            record = _cached_record(data, doc)
            if record is None:
                data = None
            else:
                texts[i] = record_search_form(record)
        cached = data is not None
        if not cached:
            doc.text = html_to_text(article.content)
            data = doc_record(doc).encode()
            if want:
                texts[i] = search_form(doc.searchable())
            doc.text = ""             # kept in the record; a text per report adds up at 20,000
        store.put_doc(rel, digests[i], data, cached=cached)
        build.update(store.files[rel][2].encode())


def _build_index(store: IndexStore, pairs, digests, labels, inputs: str, spill: str | None) -> int:
    texts: list = [None] * len(pairs)
    build = build_digest()
    _put_records(store, pairs, digests, build, texts)
    shards, total = shard_files(texts, spill)
    del texts
    for s in path_order(len(shards)):
        store.put(f"s/{s}.json", shards[s].encode())
        build.update(store.files[f"s/{s}.json"][2].encode())
    store.put("meta.json", meta_file([doc.facets for doc, _ in pairs], [doc.year for doc, _ in pairs],
                                     labels, len(shards), build).encode())
    return store.finish(inputs, total=total, shards=len(shards))


def _patch_index(store: IndexStore, pairs, digests, labels, inputs: str) -> int | None:
    """The "patched" way of write_index, or None when it does not apply:
    no usable last index, another report count, too many reports changed
    (a report that moved counts as changed), a cache file missing or
    damaged, or a shard count that would change."""
    previous = store.previous.get("files", {})
    count, total = store.previous.get("shards"), store.previous.get("total")
    n = len(pairs)
    if not isinstance(count, int) or not isinstance(total, int) \
            or sum(rel.startswith("d/") for rel in previous) != n:
        return None
    changed = [i for i in range(n)
               if previous.get(f"d/{i}.json", [""])[0] != f"docs/{digests[i]}.json"]
    if len(changed) > MAX_PATCHED_REPORTS:
        return None
    old_texts = {}
    for i in changed:
        old = store.previous_file(f"d/{i}.json")
        if old is None:
            return None
        old_texts[i] = record_search_form(json.loads(old))
    texts = {i: (None if i in old_texts else "") for i in range(n)}
    build = build_digest()
    _put_records(store, pairs, digests, build, texts)
    changes = gram_changes([(i, old_texts[i], texts[i]) for i in changed])
    shards: dict[int, dict] = {}
    for s in {fnv1a(g) % count for g in changes}:
        old = store.previous_file(f"s/{s}.json")
        if old is None:
            return None
        shards[s] = json.loads(old)
    total += apply_gram_changes(shards, count, changes, n)
    if shard_count(total) != count:
        return None
    for s in path_order(count):
        rel = f"s/{s}.json"
        if s in shards:
            store.put(rel, shard_json(shards[s]).encode())
        elif not store.keep(rel, previous.get(rel, [""])[0]):
            data = store.previous_file(rel)
            if data is None:
                return None
            store.put(rel, data, stored=True)
        build.update(store.files[rel][2].encode())
    store.put("meta.json", meta_file([doc.facets for doc, _ in pairs], [doc.year for doc, _ in pairs],
                                     labels, count, build).encode())
    return store.finish(inputs, total=total, shards=count)


def _write_site_index(output_path, settings) -> None:
    """The site's index, written beside the pages (see SideTasks): it is
    made from the reports alone, read when every plugin has finished them."""
    start = time.perf_counter()
    cache = settings.get("CACHE_PATH")
    size, how = write_index(output_path, settings["SEARCH_INDEX_DIR"], _articles,
                            Path(cache) / "search" if cache else None)
    log.info("search: indexed %d reports (%.1f kB) in %.2f s (%s)", len(_articles), size / 1024,
             time.perf_counter() - start, how)


def finalized(pelican):
    SIDE.result("search", lambda: _write_site_index(pelican.output_path, pelican.settings))


def register():
    SIDE.connect()
    signals.initialized.connect(initialized)
    signals.article_generator_finalized.connect(article_generator_finalized)
    signals.finalized.connect(finalized)
