"""Nothing a report carries can run in a reader's browser.

At `content_object_init` — before any template, feed, summary, search index or
export sees a report — this plugin
  * passes the body HTML (rendered Markdown, raw HTML inside it, scraped HTML)
    and the rendered `Summary:` through the allow-list in `policy.py` (nh3);
  * turns every other metadata value (title, venue, source, images …) into
    plain text, so no field holds markup;
  * keeps `Source:` only when it is an http(s) URL; anything else is taken out
    of `source` (a file name stays readable as `source_label`; a
    `javascript:`/`data:`… value is dropped and reported with its line).
Other plugins set attributes from the report file too, so the same plain-text
rule runs again when the reports are read (before Pelican keeps them between
builds) and when the generators finish, before anything is written; values
it has already made plain (the same objects) are passed over.

The body and the formatted fields are cleaned as soon as a reader returns them
(a wrapper put around every reader at `readers_init`), so the work happens
wherever the reading does: in the prefetch plugin's worker processes, and only
once per file while Pelican's reader cache holds it. Cleaned text is marked
(`Cleaned`, with the policy's digest); `content_object_init` cleans whatever
does not carry the mark of the current policy.

Templates escape every value (JINJA_ENVIRONMENT autoescape in pelicanconf.py);
only the sanitized body and summary are printed with |safe."""
from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path

import nh3
from pelican import signals
from pelican.contents import Static

from thaireports.contentgroups import ARTICLE_GROUPS, PAGE_GROUPS, contents_of

from . import policy
from .policy import clean_html, http_url, plain_text

logger = logging.getLogger(__name__)

# Attributes other plugins may (re)set from the raw file; cleaned again at the end.
PLAIN_ATTRIBUTES = ("title", "venue", "source", "source_label", "lang", "slug")


POLICY_DIGEST = hashlib.sha256(Path(policy.__file__).read_bytes()
                               + getattr(nh3, "__version__", "").encode()).hexdigest()[:16]


class Cleaned(str):
    """HTML that went through the policy whose digest it carries. Any change
    to the text gives a plain `str` again, which is cleaned anew."""

    policy = ""


def cleaned(fragment: str) -> Cleaned:
    if _is_cleaned(fragment):
        return fragment
    out = Cleaned(clean_html(fragment))
    out.policy = POLICY_DIGEST
    return out


def _is_cleaned(value) -> bool:
    return type(value) is Cleaned and value.policy == POLICY_DIGEST


def _formatted(settings) -> set:
    return set(settings.get("FORMATTED_FIELDS", ["summary"]))


def _cleaning_reader(cls):
    def read(self, path):
        content, metadata = cls.read(self, path)
        if isinstance(content, str):
            content = cleaned(content)
        for key in _formatted(self.settings):
            if isinstance(metadata.get(key), str):
                metadata[key] = cleaned(metadata[key])
        return content, metadata

    return type(cls.__name__, (cls,), {"read": read, "_sanitizing": True,
                                       "__module__": cls.__module__,
                                       "__qualname__": cls.__qualname__})


def clean_on_read(readers) -> None:
    """readers_init: every reader's output is cleaned where it is read."""
    for fmt, cls in list(readers.reader_classes.items()):
        if isinstance(cls, type) and not getattr(cls, "_sanitizing", False):
            readers.reader_classes[fmt] = _cleaning_reader(cls)


def _source_line(path: str) -> int:
    try:
        from thaireports.reportfile import parse_report
        with open(path, encoding="utf-8", errors="replace") as fh:
            return parse_report(fh.read()).line_of("source")
    except OSError:
        return 1


def _clean_source(content, value) -> tuple[str | None, str | None]:
    """(link, label): the URL when it is http(s); otherwise no link, and the
    value as a label when it is a plain file name or path."""
    if value is None:
        return None, None
    text = plain_text(value)
    url = http_url(text)
    if url:
        return url, None
    label = None
    head = text.split("/", 1)[0]
    if ":" in head and not (len(head) == 2 and head[0].isalpha()):
        # Has a scheme (javascript:, data:, file:, ftp: …): never shown, reported.
        path = getattr(content, "source_path", None) or "?"
        line = _source_line(path) if os.path.exists(path) else 1
        if getattr(content, "_sanitize_reported", False) is False:
            logger.warning(
                "%s:%d: Source %r is not a plain http(s) URL; it was left out of the page.\n"
                "%s:%d: แหล่งที่มา (Source) %r ไม่ใช่ลิงก์ http(s) จึงไม่แสดงบนหน้าเว็บ "
                "แก้เป็นลิงก์ที่ขึ้นต้นด้วย https:// หรือลบบรรทัดนี้",
                path, line, text[:80], path, line, text[:80])
            content._sanitize_reported = True
    elif text:
        label = text
    return None, label


_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def _plain(value):
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return type(value)(plain_text(v) for v in value)
    return value


def sanitize_content(content) -> None:
    if isinstance(content, Static) or not isinstance(getattr(content, "_content", None), str):
        return
    if content.__dict__.get("_sanitized") == POLICY_DIGEST:
        return  # a content object Pelican kept from an earlier build
    content._content = cleaned(content._content)
    formatted = _formatted(content.settings)
    meta = content.metadata
    for key in list(meta):
        value = meta[key]
        if key in formatted:
            if isinstance(value, str):
                value = cleaned(value)
        elif key == "source":
            link, label = _clean_source(content, value)
            value = link
            content.source_label = label
        elif key == "lang":
            # Printed into lang="" attributes and used to pair translations.
            value = value if isinstance(value, str) and _LANG.match(value.strip()) else \
                content.settings.get("DEFAULT_LANG", "th")
        else:
            value = _plain(value)
        if value is None:
            del meta[key]
            if hasattr(content, key):
                setattr(content, key, None)
            continue
        meta[key] = value
        if key == "summary":
            content._summary = value
        elif key not in ("date", "modified") and hasattr(content, key):
            setattr(content, key, value)
    _remember_plain(content, [attr for attr in PLAIN_ATTRIBUTES
                              if attr in meta or attr == "source_label" and "source" in meta])
    content._sanitized = POLICY_DIGEST


def _remember_plain(content, attrs) -> None:
    """Record the values of `attrs` a pass has made plain, so a later pass
    can pass over an attribute that still holds the very same object (kept
    with the content object between builds, pickled together: the identity
    survives). Strings only: a list could be changed in place."""
    content._plain_values = {attr: content.__dict__[attr] for attr in attrs
                             if type(content.__dict__.get(attr)) is str}


def _recheck(content) -> None:
    """Re-apply the plain-text rule to attributes set after our first pass."""
    done = content.__dict__.get("_plain_values") or {}
    cleaned_any = False
    for attr in PLAIN_ATTRIBUTES:
        value = getattr(content, attr, None)
        if value is None or not isinstance(value, (str, list, tuple)) or done.get(attr) is value:
            continue
        cleaned_any = True
        if attr == "source":
            link, label = _clean_source(content, value)
            content.source = link
            if label and not getattr(content, "source_label", None):
                content.source_label = label
        else:
            try:
                setattr(content, attr, _plain(value))
            except AttributeError:
                pass  # a read-only property (e.g. Pelican's own)
    if cleaned_any or "_plain_values" not in content.__dict__:
        # Otherwise every string attribute is recorded already, as it is.
        _remember_plain(content, PLAIN_ATTRIBUTES)


def recheck_articles(generator) -> None:
    for article in contents_of(generator, ARTICLE_GROUPS):
        _recheck(article)


def recheck_pages(generator) -> None:
    for page in contents_of(generator, PAGE_GROUPS):
        _recheck(page)


def register():
    signals.readers_init.connect(clean_on_read)
    signals.content_object_init.connect(sanitize_content)
    # Once before Pelican saves the reports it keeps between builds (so they
    # are kept clean, with the record that lets the next pass skip them) and
    # once at the end, for what other plugins set in between.
    signals.article_generator_pretaxonomy.connect(recheck_articles)
    signals.article_generator_finalized.connect(recheck_articles)
    signals.page_generator_finalized.connect(recheck_pages)
