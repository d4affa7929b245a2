"""Values the templates ask for again and again within one build.

A report appears on many pages: its own, the related lists of its
neighbours, its province, agency, program, year and home listings, each in
Thai and English. Pelican computes `url` from the settings on every access
and Jinja pays a macro call for every card, so at 5,000 reports a build
spent most of its time recomputing the same links and cards. Everything
here is keyed by object identity and dropped when the next build starts:
content objects do not change once the generators start writing."""
from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup

_urls: dict[int, tuple[object, str]] = {}
_cards: dict[tuple, tuple[object, Markup]] = {}
_per_object: dict[tuple, tuple[object, object]] = {}


def clear() -> None:
    _urls.clear()
    _cards.clear()
    _per_object.clear()


def per_object(fn):
    """`fn(obj, *args)` computed once per build for each object and args."""
    def memoized(obj, *args):
        key = (fn, id(obj), *args)
        hit = _per_object.get(key)
        if hit is None:
            hit = (obj, fn(obj, *args))
            _per_object[key] = hit
        return hit[1]
    memoized.__wrapped__ = fn
    memoized.__qualname__ = fn.__qualname__
    return memoized


def url_of(obj) -> str:
    """`obj.url` computed once per build (the object is kept so its id
    cannot be reused by another)."""
    hit = _urls.get(id(obj))
    if hit is None:
        hit = (obj, str(getattr(obj, "url", "") or ""))
        _urls[id(obj)] = hit
    return hit[1]


@pass_context
def card(ctx, render, article, heading: str, facet) -> Markup:
    """The card macro's output for `article`. It depends on the page only
    through the language, the link root (relative links differ by page
    depth) and whether the listing's facet was inferred for this report."""
    inferred = facet.kind if facet is not None and facet.is_inferred_for(article) else None
    key = (id(article), ctx.get("LANG"), ctx.get("LANG_PREFIX"), ctx.get("SITEURL"), heading,
           inferred)
    hit = _cards.get(key)
    if hit is None:
        hit = (article, Markup(render(article, heading, facet)))
        _cards[key] = hit
    return hit[1]
