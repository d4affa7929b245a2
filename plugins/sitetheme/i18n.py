"""Interface strings in Thai and English from one catalogue, and the English
mirror of the site.

Every page is written twice by `MirrorWriter`: the Thai page at its usual path
and the same page with an English interface under `en/`. Switching language is
then an ordinary link, so it works without JavaScript, and each language costs
nothing in the other's page weight. Report texts stay as written (Thai)."""
from __future__ import annotations

import datetime as dt
import posixpath
from functools import lru_cache
from pathlib import Path

from jinja2 import pass_context
from pelican.writers import Writer

from thaireports import yamltext
from thaireports.thaidates import format_be_range

from .memo import card as cached_card
from .memo import url_of

LANGS = ("th", "en")
MIRROR_PREFIX = "en/"
EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)


class CatalogueError(ValueError):
    pass


@lru_cache(maxsize=None)
def load_catalogue(path: str) -> dict[str, dict[str, str]]:
    """`messages.yaml`: key → {th: ..., en: ...}; both languages required."""
    text = Path(path).read_text(encoding="utf-8")
    data = yamltext.load(text)
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: expected a mapping of message keys")
    # YAML keeps the last of two equal keys silently; a second definition
    # would change a text somewhere else on the site.
    seen = set()
    for key_node, _value in yamltext.compose(text).value:
        if key_node.value in seen:
            raise CatalogueError(f"{path}:{key_node.start_mark.line + 1}: message {key_node.value!r} "
                                 f"is defined twice; keep one")
        seen.add(key_node.value)
    for key, forms in data.items():
        if not isinstance(forms, dict) or any(not str(forms.get(lang) or "").strip() for lang in LANGS):
            raise CatalogueError(f"{path}: message {key!r} needs both a th and an en text")
    return data


def lang_of(ctx) -> str:
    return ctx.get("LANG") or "th"


@pass_context
def translate(ctx, key: str, n: int | None = None, **values) -> str:
    """The interface text for `key` in the page's language. With `n`, the
    `key_one` form is used for 1 when the catalogue has one, and `{n}` is
    filled with the number grouped by thousands."""
    cat = ctx["MESSAGES"]
    lang = lang_of(ctx)
    if n is not None and n == 1 and f"{key}_one" in cat:
        key = f"{key}_one"
    if key not in cat:
        raise KeyError(f"theme/messages.yaml has no message {key!r}")
    text = cat[key][lang]
    if n is not None:
        values["n"] = f"{n:,}"
    return text.format(**values) if values else text


@pass_context
def other_lang(ctx) -> str:
    return "th" if lang_of(ctx) == "en" else "en"


@pass_context
def href(ctx, target="") -> str:
    """Link to a page of the site in the current language. `target` is a
    content object (anything with `.url`) or a site-relative URL."""
    url = target if isinstance(target, str) else url_of(target)
    return f"{ctx['SITEURL']}/{ctx.get('LANG_PREFIX', '')}{url}"


@pass_context
def static(ctx, path: str) -> str:
    return f"{ctx['SITEURL']}/{ctx.get('THEME_STATIC_DIR', 'theme')}/{path}"


def _page_url(output_file: str) -> str:
    """The public URL of an output file: `a/b/index.html` → `a/b/`."""
    head, tail = posixpath.split(output_file)
    if tail == "index.html":
        return f"{head}/" if head else ""
    return output_file


@pass_context
def lang_url(ctx, lang: str) -> str:
    """This same page in `lang`."""
    out = str(ctx.get("output_file") or "index.html").replace("\\", "/")
    if out.startswith(MIRROR_PREFIX):
        out = out[len(MIRROR_PREFIX):]
    prefix = MIRROR_PREFIX if lang == "en" else ""
    return f"{ctx['SITEURL']}/{prefix}{_page_url(out)}"


@pass_context
def name(ctx, obj) -> str:
    """Name of a vocabulary entry, region or facet object in the page's
    language; the short form (ป.ป.ช. / NACC) when `short=True` is not needed
    here because labels use `label`."""
    entry = getattr(obj, "entry", obj)
    if lang_of(ctx) == "en":
        return getattr(entry, "en", None) or str(obj)
    return getattr(entry, "th", None) or str(obj)


@pass_context
def label(ctx, obj) -> str:
    """Short label (abbreviation for agencies) in the page's language."""
    entry = getattr(obj, "entry", obj)
    if hasattr(entry, "label_th"):
        return entry.label_en if lang_of(ctx) == "en" else entry.label_th
    return name(ctx, obj)


def _as_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def format_en_range(start: dt.date, end: dt.date | None) -> str:
    """`5 April 2024`, `20–21 June 2024`, `30 June – 1 July 2025`: the parts
    both ends share (month, year) are written once, at the end."""
    def words(d):
        return [str(d.day), EN_MONTHS[d.month - 1], str(d.year)]
    if not end or end == start:
        return " ".join(words(start))
    first, last = words(start), words(end)
    shared = 2 if first[1:] == last[1:] else 1 if first[2] == last[2] else 0
    head = " ".join(first[:3 - shared])
    return f"{head}–{' '.join(last)}" if shared == 2 else f"{head} – {' '.join(last)}"


def event_dates(article) -> tuple[dt.date, dt.date | None]:
    start = _as_date(getattr(article, "date", None))
    end = _as_date(getattr(article, "end_date", None) or article.metadata.get("end_date"))
    if end is not None and (start is None or end <= start):
        end = None
    return start, end


@pass_context
def when(ctx, article) -> dict:
    """The event date for display: `text` in the page's language (Buddhist era
    in Thai), `iso` (`2024-04-05` or `2024-04-05 – 2024-04-06`), and
    `start`/`end` ISO strings for <time datetime>."""
    start, end = event_dates(article)
    if start is None:
        return {"text": "", "iso": "", "start": "", "end": ""}
    text = format_en_range(start, end) if lang_of(ctx) == "en" else format_be_range(start, end)
    iso = start.isoformat() + (f" – {end.isoformat()}" if end else "")
    return {"text": text, "iso": iso, "start": start.isoformat(), "end": end.isoformat() if end else ""}


@pass_context
def year_label(ctx, year: int) -> str:
    """`2567 (2024)` in Thai, `2024` in English."""
    return str(year) if lang_of(ctx) == "en" else f"{year + 543} ({year})"


class MirrorWriter(Writer):
    """Writes each HTML page in Thai, then again under `en/` with LANG=en.
    Other outputs (feeds, JSON, XML) are written once."""

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):
        kwargs.pop("LANG", None)
        kwargs.pop("LANG_PREFIX", None)
        super().write_file(name, template, context, relative_urls, paginated, template_name,
                           override_output, url, LANG="th", LANG_PREFIX="", **kwargs)
        if not name or not str(name).endswith(".html") or not self.settings.get("THEME_ENGLISH_MIRROR", True):
            return
        en_url = None if url is None else MIRROR_PREFIX + url
        super().write_file(MIRROR_PREFIX + str(name), template, context, relative_urls, paginated,
                           template_name, override_output, en_url, LANG="en",
                           LANG_PREFIX=MIRROR_PREFIX, **kwargs)


GLOBALS = {
    "_": translate,
    "href": href,
    "static": static,
    "lang_url": lang_url,
    "other_lang": other_lang,
    "when": when,
    "year_label": year_label,
    "cached_card": cached_card,
}
FILTERS = {"name": name, "label": label}
