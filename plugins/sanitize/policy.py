"""What report HTML may contain, and how metadata becomes plain text.

Reports come from contributors' Markdown (which may hold raw HTML) and from
scraped pages: all of it is untrusted. Everything is passed through nh3 (the
Rust `ammonia` sanitizer) with the allow-list below; anything not listed is
removed. Pure functions, no Pelican imports, so the scraper and the tests use
the same policy."""
from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import nh3

# Structure, text semantics, links, images, tables, figures. Deliberately
# absent: script, style, iframe, frame, object, embed, applet, svg, math,
# form and its controls, base, meta, link, template, audio/video (their
# sources are other hosts), area/map.
ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "div", "span",
    "h1", "h2", "h3", "h4", "h5", "h6",
    "a", "img", "picture", "source", "figure", "figcaption",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "blockquote", "q", "cite", "abbr", "dfn", "time",
    "strong", "b", "em", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
    "code", "pre", "kbd", "samp", "var", "wbr",
    "details", "summary",
})

# Tags removed together with everything inside them (the rest are unwrapped,
# keeping their text).
REMOVED_WITH_CONTENT = frozenset({
    "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object",
    "embed", "applet", "svg", "math", "form", "textarea", "select", "button", "title",
    "xmp", "noembed", "noframes", "plaintext",
})

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height", "srcset", "sizes", "loading", "decoding"},
    "source": {"srcset", "sizes", "type", "media", "width", "height"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "abbr": {"title"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    # Footnote anchors written by Python-Markdown (filtered by _ID).
    "*": {"id", "lang", "dir"},
}

# Classes Python-Markdown's extensions write (footnotes); any other class is
# dropped so report text cannot dress itself up as the site's own interface.
ALLOWED_CLASSES = {
    "div": {"footnote"},
    "a": {"footnote-ref", "footnote-backref"},
    "sup": {"footnote-ref"},
}

# Link targets: the web, e-mail, and relative URLs (including Pelican's
# {filename}/{static} placeholders). No javascript:, vbscript:, data:, file:.
URL_SCHEMES = frozenset({"http", "https", "mailto"})

_ENUMS = {
    ("img", "loading"): {"lazy", "eager"},
    ("img", "decoding"): {"async", "sync", "auto"},
    ("ol", "type"): {"1", "a", "A", "i", "I"},
    ("th", "scope"): {"row", "col", "rowgroup", "colgroup"},
    ("*", "dir"): {"ltr", "rtl", "auto"},
}
_NUMERIC = {"width", "height", "colspan", "rowspan", "span", "start", "value"}
# Only the ids Python-Markdown's footnotes write: a report must not be able to
# reuse the page's own ids (#main, #site-q …) or clobber names scripts use.
_ID = re.compile(r"^(fn|fnref)[:-][A-Za-z0-9_:.-]{1,60}$")
_CONTROL_CHARS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")
# Anything _plain_text would change: a tag or entity character, a control
# character, or whitespace that is not a single inner space.
_NOT_PLAIN = re.compile(rf"[{_CONTROL_CHARS}<>&]|[^\S ]|\s\s|^\s|\s$")


def safe_url(value: str) -> bool:
    """True for http(s)/mailto URLs and relative URLs; False for any other
    scheme, however it is disguised (case, whitespace or control characters)."""
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(value or ""))
    if not squeezed:
        return False
    scheme = urlsplit(squeezed).scheme.lower()
    if not scheme:
        return True  # relative, or protocol-relative (which is http or https)
    return scheme in URL_SCHEMES


def _srcset_ok(value: str) -> bool:
    for candidate in value.split(","):
        url = candidate.strip().split(" ", 1)[0]
        if url and not safe_url(url):
            return False
    return True


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    allowed = _ENUMS.get((tag, attr)) or _ENUMS.get(("*", attr))
    if allowed is not None:
        return value if value in allowed else None
    if attr in _NUMERIC:
        return value if re.fullmatch(r"\d{1,5}%?", value.strip()) else None
    if attr == "srcset":
        return value if _srcset_ok(value) else None
    if attr == "cite":  # a URL nh3 itself does not check
        return value if safe_url(value) else None
    if attr in ("href", "src"):
        # nh3 checks the scheme; this also refuses values that only old
        # browsers' quirks turn into one (`javascript:…` in backticks).
        return value if safe_url(value.lstrip("`'\" ")) else None
    if attr == "id":
        return value if _ID.match(value) else None
    return value


def clean_html(fragment: str) -> str:
    """`fragment` with everything outside the allow-list removed."""
    if not fragment:
        return fragment or ""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        allowed_classes={k: set(v) for k, v in ALLOWED_CLASSES.items()},
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel="noopener noreferrer",
    )


def plain_text(value: str) -> str:
    """A metadata value as plain text: tags removed (also tags hidden behind
    entities, such as `&lt;script&gt;`), entities decoded, control and
    bidi-override characters dropped, whitespace collapsed. The result holds
    no `<tag` at all, so even a template or JSON block that forgot to escape
    it cannot be made to run anything."""
    text = str(value)
    # Most values are plain words already: nothing in _plain_text would change them.
    return _plain_text(text) if _NOT_PLAIN.search(text) else text


def _plain_text(text: str) -> str:
    # Without these characters there is no tag and no entity: nh3 would give
    # the text back unchanged.
    clean = not any(c in text for c in "<>&")
    for _ in range(0 if clean else 5):
        stripped = html.unescape(nh3.clean(text, tags=set(),
                                           clean_content_tags=set(REMOVED_WITH_CONTENT)))
        if stripped == text:
            break
        text = stripped
    text = _CONTROL.sub("", text)
    # Whatever still looks like the start of a tag loses its angle bracket.
    text = re.sub(r"<(?=[A-Za-z/!?])", "‹", text)
    return re.sub(r"\s+", " ", text).strip()


def http_url(value: str) -> str | None:
    """`value` when it is an absolute http(s) URL with a host, else None."""
    v = (value or "").strip()
    if not v or any(c in v for c in "\x00\r\n\t <>\"'`"):
        return None
    parts = urlsplit(v)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return v
