"""HTML for responsive photos: `<picture>` with WebP and JPEG `srcset`s,
explicit size, lazy loading, and the rewrite of `<img>` tags in report bodies."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Callable

IMG_TAG = re.compile(r"<img\b[^>]*>", re.I | re.S)
# Attributes we set ourselves; the source's values are dropped.
OWN_ATTRS = {"src", "srcset", "sizes", "width", "height", "loading", "decoding", "fetchpriority", "alt"}


class _AttrReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        self.attrs = {k.lower(): (v or "") for k, v in attrs}

    handle_startendtag = handle_starttag


def img_attrs(tag: str) -> dict[str, str]:
    """Attributes of one `<img ...>` tag, entities decoded."""
    reader = _AttrReader()
    reader.feed(tag)
    reader.close()
    return reader.attrs


def _attr(name: str, value) -> str:
    return f' {name}="{html.escape(str(value), quote=True)}"'


def picture_html(img: dict, *, loading: str = "lazy", extra: dict[str, str] | None = None) -> str:
    """`<picture>` for one processed photo as described by the dicts in
    `article.gallery` (keys webp_srcset, srcset, sizes, src, width, height, alt)."""
    parts = ["<picture>"]
    if img.get("webp_srcset"):
        parts.append(f'<source type="image/webp"{_attr("srcset", img["webp_srcset"])}'
                     f'{_attr("sizes", img["sizes"])}>')
    attrs = "".join(_attr(k, v) for k, v in (extra or {}).items() if k not in OWN_ATTRS)
    parts.append(
        f"<img{_attr('src', img['src'])}{_attr('srcset', img['srcset'])}{_attr('sizes', img['sizes'])}"
        f"{_attr('width', img['width'])}{_attr('height', img['height'])}{_attr('alt', img['alt'])}"
        f"{attrs}{_attr('loading', loading)}{_attr('decoding', 'async')}"
        + (_attr("fetchpriority", "high") if loading == "eager" else "")
        + "></picture>")
    return "".join(parts)


def _text_len(fragment: str) -> int:
    return len(re.sub(r"<[^>]+>|\s+", "", fragment))


def rewrite_body(body: str, lookup: Callable[[str], dict | None], *, eager_chars: int = 300) -> str:
    """Replace every `<img>` whose src `lookup` knows with a `<picture>`;
    drop the ones `lookup` rejects (it returns None and has logged why).
    `lookup` returning the string "keep" leaves the tag alone.

    The first photo is loaded eagerly when little text precedes it (it is
    then above the fold); every other one lazily."""
    out: list[str] = []
    pos = 0
    first = True
    for m in IMG_TAG.finditer(body):
        out.append(body[pos:m.start()])
        pos = m.end()
        attrs = img_attrs(m.group(0))
        found = lookup(attrs.get("src", ""))
        if found == "keep":
            out.append(m.group(0))
            continue
        if found is None:
            continue
        img = dict(found)
        if attrs.get("alt", "").strip():
            img["alt"] = attrs["alt"].strip()
        eager = first and _text_len(body[:m.start()]) < eager_chars
        first = False
        out.append(picture_html(img, loading="eager" if eager else "lazy", extra=attrs))
    out.append(body[pos:])
    return "".join(out)
