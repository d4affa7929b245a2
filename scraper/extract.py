"""Text in, record out: the pure heart of the scraper.

`extract(text, source)` takes a page's text (a text dump, or the text of a
saved HTML page with hints from its markup) and returns a `Record`, or raises
`NotAReport` with a one-line reason. No I/O beyond the cached vocabulary."""
from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass

from thaireports.thaidates import find_dates

from . import chrome, dates, fields
from .record import NotAReport, Record

_LIST_ITEM = re.compile(r"^[-•*▪●◦–]\s+\S")
_MID_WORD = re.compile(r"[\u0e30-\u0e3a\u0e45\u0e47-\u0e4e]")
_ANGLE = re.compile(r"<(?=[A-Za-z/!?\u0e01-\u0e4e])")
_MD_SPECIAL = re.compile(r"^(#|>|\+\s|=+$|-{3,}$|_{3,}$|\*{3,}$|\d+\)\s)")
_SPACES = re.compile(r"\t")  # tabs are layout; other spaces (NBSP) are the writer's
_PUB_PREFIX = re.compile(dates.PUB_WORDS + r"\s*(?:วันที่)?", re.IGNORECASE)
_CLOCK = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?\s*(?:น\.)?\s*")
_BYLINE = re.compile(r"^(?:โดย|by\b)\s*\S.{0,100}$", re.IGNORECASE)
_SHORT = 16          # characters: below this a stray line is a label, not text
_TAIL_LOOKBACK = 8   # lines from the end examined for teasers


@dataclass(frozen=True)
class Hints:
    """What the markup of an HTML page tells beyond its text."""
    title: str | None = None
    published: dt.date | None = None
    images: tuple[str, ...] = ()


def _lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    out: list[str] = []
    for raw in text.split("\n"):
        line = chrome.strip_inline(_SPACES.sub(" ", raw)).strip()
        if out and out[-1] and _MID_WORD.match(line) and not raw[:1].isspace():
            # A vowel or tone mark cannot begin a word: the page wrapped
            # the line inside one. Glue it back.
            out[-1] += line
            out.append("")
            continue
        out.append(line)
    return out


def _split_stamp(line: str) -> tuple[str, dt.date | None]:
    """`date 2025-08-14 “ศูนย์คุณธรรม”แถลงข่าว…` → (the headline, True): a
    publication stamp glued to the start of a line."""
    mentions = find_dates(line[:60])
    if not mentions or mentions[0].pos > 25:
        return line, None
    m = mentions[0]
    before = line[: m.pos].strip()
    if before and _PUB_PREFIX.fullmatch(before.rstrip(":： [")) and line[m.stop:].strip():
        return line[m.stop:].strip(" |:-–"), m.start
    return line, None


def _starts_with_event_date(line: str) -> bool:
    for m in find_dates(line[:80]):
        if m.pos < 40:
            return not dates.PUB_CUE.search(line[: m.pos])
    return False


_SITE_WORDS = re.compile(r"ออนไลน์|online|news|\.com|\.net|\.th\b|\.org|เว็บไซต์|website|ทีวี|\btv\b|blog|บล็อก",
                         re.IGNORECASE)


# A section or widget heading: `ข่าวเด่นจังหวัด…`, `ข่าวประชาสัมพันธ์ล่าสุด`,
# `บทความแนะนำ` — a kind of item, one word long, naming no event.
_SECTION_LABEL = re.compile(
    r"(?:ข่าว|บทความ|กิจกรรม|ภาพ)(?:สาร)?(?:เด่น|ล่าสุด|ประชาสัมพันธ์|แนะนำ|ยอดนิยม|ทั่วไป|ภูมิภาค|"
    r"ในประเทศ|ต่างประเทศ|ประจำวัน|หน่วยงาน|องค์กร|กิจกรรม|จังหวัด|ท้องถิ่น|อื่นๆ|ที่เกี่ยวข้อง|"
    r"รอบ|วันนี้)+"
)


def _is_banner(line: str) -> bool:
    """A site's masthead: nothing but the name of an agency or a province,
    or a short line naming a news site or a section of one."""
    from thaireports.vocabulary import load_vocabulary
    vocab = load_vocabulary()
    name = line.strip(" |-–:")
    if len(name) < 40 and " " not in name.strip() and _SITE_WORDS.search(name):
        return True
    label = _SECTION_LABEL.match(name) if len(name) < 40 and " " not in name else None
    if label:
        # what follows the kind of item may only name the province or agency
        rest = name[label.end():]
        if not rest or vocab.resolve("province", rest) or vocab.resolve("agency", rest):
            return True
    return bool(vocab.resolve("agency", name) or vocab.resolve("province", name))


def _is_teaser(line: str, event: dt.date | None) -> bool:
    """A line that advertises another article: an excerpt cut with `…`, or a
    headline carrying a date far from this event's."""
    if chrome.ends_with_ellipsis(line):
        return True
    if event:
        for m in find_dates(line):
            if m.start and abs((m.start - event).days) > 45:
                return True
    return False


def _drop_teasers(body: list[int], lines: list[str], event: dt.date | None) -> set[int]:
    """Indexes of teaser lines at the end of the body. A teaser block is an
    excerpt ending in `…`, the headline above it (sharing its opening words,
    or carrying a date unrelated to the event), and repeats of either."""
    dropped: set[int] = set()
    tail = body[-_TAIL_LOOKBACK:]
    # Walk up from the last line while lines keep looking like teasers.
    anchors = [i for i in tail if chrome.ends_with_ellipsis(lines[i]) and len(lines[i]) < 400]
    if not anchors:
        return dropped
    first_anchor = anchors[0]
    keys = {chrome.squash(lines[i])[:20] for i in anchors}
    for i in reversed(body):
        if i >= first_anchor:
            dropped.add(i)
            continue
        if chrome.squash(lines[i])[:20] in keys or _is_teaser(lines[i], event):
            dropped.add(i)
            continue
        break
    return dropped


def _classify_lines(lines: list[str], hints: Hints) -> tuple[list[str], list[str], list[dt.date]]:
    """Each line's kind (blank, chrome, image, stamp, text), the image links
    found, and the publication dates of stamps. Lines whose stamp prefix was
    split off are rewritten in place."""
    n = len(lines)
    kind = ["blank"] * n
    seen_paragraph = False
    images: list[str] = list(hints.images)
    stamp_dates: list[dt.date] = []
    for i, line in enumerate(lines):
        if not line:
            continue
        if seen_paragraph and chrome.starts_tail_section(line):
            # Related/popular/comment lists follow: the report is over.
            kind[i:] = ["chrome"] * (n - i)
            break
        if chrome.thai_count(line) >= 60:
            seen_paragraph = True
        url = chrome.image_url(line)
        if url:
            kind[i] = "image"
            if url not in images:
                images.append(url)
            continue
        mentions = find_dates(line) if any(ch.isdigit() for ch in line) else []
        date_only = bool(mentions) and dates.is_date_only(line, mentions)
        if date_only or (mentions and not chrome.THAI.search(line)
                         and dates.PUB_CUE.search(line[: mentions[0].pos])):
            # `Saturday, April 6, 2024`, `10 ธ.ค. 2564, 09:11`, `Posted on March 12, 2024 by admin`
            kind[i] = "stamp"
            if mentions[0].start and not date_only:
                stamp_dates.append(mentions[0].start)
            continue
        if chrome.is_chrome(line):
            kind[i] = "chrome"
            continue
        rest, stamped = _split_stamp(line)
        if stamped:
            stamp_dates.append(stamped)
            rest = _CLOCK.sub("", rest)
            if chrome.thai_count(rest) < 8 or chrome.is_chrome(rest) or _BYLINE.match(rest):
                kind[i] = "stamp"
                continue
            lines[i] = rest
        kind[i] = "text"
    return kind, images, stamp_dates


def _find_headline(lines: list[str], text_idx: list[int], hints: Hints) -> tuple[int | None, str | None]:
    """(line index, cleaned headline): the first substantial line, unless the
    text opens straight into the report's first sentence (then None: a
    headline is built from that sentence later)."""
    title = fields.clean_headline(hints.title) if hints.title and chrome.thai_count(hints.title) >= 4 else None
    for i in text_idx:
        line = lines[i]
        if len(line) < _SHORT or chrome.is_caption(line) or chrome.is_credit(line) or _is_banner(line):
            continue
        if title is not None:
            return (i if fields.same_text(line, title) else None), title
        # A long line carrying a full date is the report's first sentence.
        if fields.is_headline_like(line) and not _starts_with_event_date(line) \
                and not (len(line) > 150 and any(m.start for m in find_dates(line))):
            return i, fields.clean_headline(line)
        return None, None
    return None, title


def _body_lines(lines: list[str], text_idx: list[int], headline_i: int | None, title: str | None) -> list[int]:
    """The report's own lines: without repeats of the headline, labels above
    the text, and consecutive repeats (pages print their subtitle twice)."""
    body: list[int] = []
    started = False
    title_key = chrome.squash(title) if title else None
    raw_headline_key = chrome.squash(lines[headline_i]) if headline_i is not None else None
    for i in text_idx:
        line = lines[i]
        key = chrome.squash(line)
        if i == headline_i or key in (title_key, raw_headline_key):
            continue
        if not started:
            if len(line) < _SHORT or chrome.is_caption(line) or _is_banner(line):
                continue
            started = True
        if body and chrome.squash(lines[body[-1]]) == key:
            continue
        body.append(i)
    if not body:
        raise NotAReport("no report text beyond a headline")
    return body


def _trim_footer(body: list[int], lines: list[str]) -> list[int]:
    """Short lines after the last real paragraph go, unless they are credits."""
    last_long = max((k for k, i in enumerate(body) if chrome.thai_count(lines[i]) >= 40), default=len(body) - 1)
    return [i for k, i in enumerate(body)
            if k <= last_long or len(lines[i]) >= _SHORT or chrome.is_credit(lines[i])]


def extract(text: str, source: str = "<text>", *, hints: Hints | None = None,
            require_date: bool = True) -> Record:
    """A report's record from its text. Raises NotAReport."""
    if not isinstance(text, str):
        raise NotAReport("input is not text")
    hints = hints or Hints()
    if "\x00" in text:
        raise NotAReport("binary data, not a text report")
    if not text.strip():
        raise NotAReport("empty input")
    if chrome.thai_count(text) < 20:
        raise NotAReport("no Thai text")

    lines = _lines(text)
    kind, images, stamp_dates = _classify_lines(lines, hints)
    text_idx = [i for i, k in enumerate(kind) if k == "text"]
    if not text_idx:
        raise NotAReport("no report text (only menus, widgets or dates)")
    headline_i, title = _find_headline(lines, text_idx, hints)
    body = _body_lines(lines, text_idx, headline_i, title)

    # Dates are read before the teasers are cut: the event date tells which
    # trailing lines belong to other articles.
    date_lines = ["" if k in ("chrome", "image", "blank") else lines[i] for i, k in enumerate(kind)]
    published_hint = hints.published or (stamp_dates[0] if stamp_dates else None)
    cands = dates.classify(date_lines, headline_i)
    bylines = dates.stamp_lines(cands, date_lines) - {headline_i}
    body = [i for i in body if i not in bylines]
    event, end, published = dates.choose(date_lines, headline_i, published_hint, cands)
    teasers = _drop_teasers(body, lines, event)
    if teasers:
        body = [i for i in body if i not in teasers]
        date_lines = [("" if i in teasers else ln) for i, ln in enumerate(date_lines)]
        event, end, published = dates.choose(date_lines, headline_i, published_hint)
    body = _trim_footer(body, lines)
    if not body:
        raise NotAReport("no report text beyond a headline")

    paragraphs = [lines[i] for i in body]
    if not title:
        title = fields.headline_from_sentence(paragraphs[0], fields.venue(paragraphs[0]))
    else:
        title = fields.extend_truncated(title, paragraphs)
    title = re.sub(r"\s+", " ", title).strip()
    if not title or chrome.thai_count(title) < 2:
        raise NotAReport("no headline and no opening sentence to name the report")

    if require_date and event is None and published is None:
        raise NotAReport("no date: the text never says when the event happened")

    body_md = render_body(paragraphs)
    tags = _tag(title, body_md)
    return Record(
        source=source,
        title=title,
        body=body_md,
        date=event,
        end_date=end if end and event and end > event else None,
        published=published,
        provinces=tuple(tags.provinces),
        agencies=tuple(tags.agencies),
        programs=tuple(tags.programs),
        participants=fields.participants("\n".join([title, *paragraphs])),
        venue=fields.venue("\n".join(paragraphs)),
        summary=fields.summary(paragraphs),
        images=tuple(images),
    )


def render_body(paragraphs: list[str]) -> str:
    """Markdown: one paragraph per line of the page, consecutive `- ` items
    as one list. The words are the page's own; only Markdown's special line
    openings are escaped so they stay text."""
    out: list[str] = []
    prev_item = False
    for p in paragraphs:
        item = bool(_LIST_ITEM.match(p))
        if item:
            p = "- " + p[1:].lstrip() if p[0] != "-" else p
        elif _MD_SPECIAL.match(p):
            p = "\\" + p
        # `<…>` in a text would be read as an HTML tag and sanitized away.
        p = _ANGLE.sub("&lt;", p)
        if out:
            out.append("\n" if (item and prev_item) else "\n\n")
        out.append(p)
        prev_item = item
    return "".join(out) + "\n"


@dataclass(frozen=True)
class _NoTags:
    provinces: tuple = ()
    agencies: tuple = ()
    programs: tuple = ()


_warned = False


def _tag(title: str, body: str):
    """Province/agency/program keys from the shared tagger."""
    global _warned
    try:
        from thaireports.tagging import tag_text
        return tag_text(title, body)
    except ImportError:
        if not _warned:
            print("scraper: thaireports.tagging is not available; reports are left untagged", file=sys.stderr)
            _warned = True
        return _NoTags()
