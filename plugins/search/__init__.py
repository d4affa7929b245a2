"""Thai full-text search with facet filters.

Adds the `/search/` page (theme template search.html) and, when the build
finishes, writes the static index that theme/static/js/search.js queries
(see indexer.py for why it indexes character n-grams). No separate step:
`pelican` (and so `invoke build`) produces it."""
from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from pelican import signals

from thaireports import thaitext
from thaireports.reportfile import atomic_write_bytes, split_list
from thaireports.thaidates import format_be
from thaireports.vocabulary import KINDS, load_vocabulary

from .indexer import SearchDoc, build_index, html_to_text, order

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
    vocab = load_vocabulary()
    browse = {}
    for kind in KINDS:
        seen = {}
        for art in generator.articles:
            for obj in getattr(art, _ATTR[kind], None) or ():
                if hasattr(obj, "url") and hasattr(obj, "name"):
                    seen.setdefault(str(obj.url), obj)
        browse[kind] = sorted(seen.values(), key=lambda o: str(o.name))
    generator.context["search_browse"] = browse
    generator.context.setdefault("vocabulary", vocab)


def to_doc(article) -> SearchDoc:
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
        text=html_to_text(article.content),
        facets=facets,
        provinces_th=[vocab.provinces[k].th for k in facets["province"]],
        names=names,
    )


def facet_labels() -> dict:
    vocab = load_vocabulary()
    return {kind: {k: (e.label_th, e.label_en) for k, e in vocab.entries(kind).items()}
            for kind in KINDS}


def write_index(output_path: str | os.PathLike, index_dir: str, articles) -> int:
    docs = order([to_doc(a) for a in articles])
    files = build_index(docs, facet_labels())
    target = Path(output_path) / index_dir
    # Only shards whose text changed are rewritten (a rebuild after one edited
    # report touches a few of thousands); shards the index no longer has are
    # removed so none linger when the shard count changes.
    for rel, text in files.items():
        path = target / rel
        data = text.encode("utf-8")
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                continue
        except FileNotFoundError:
            pass
        atomic_write_bytes(path, data, fsync=False)
    wanted = {(target / rel) for rel in files}
    if target.is_dir():
        for old in target.rglob("*"):
            if old.is_file() and old not in wanted:
                old.unlink()
    return sum(len(t.encode()) for t in files.values())


def finalized(pelican):
    start = time.perf_counter()
    size = write_index(pelican.output_path, pelican.settings["SEARCH_INDEX_DIR"], _articles)
    log.info("search: indexed %d reports (%.1f kB) in %.2f s", len(_articles), size / 1024,
             time.perf_counter() - start)


def register():
    signals.initialized.connect(initialized)
    signals.article_generator_finalized.connect(article_generator_finalized)
    signals.finalized.connect(finalized)
