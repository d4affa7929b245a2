"""A saved or fetched HTML page → the page's text, one block per line, plus
what the markup says beyond the text (headline, publication date, images).

Navigation, headers, footers, sidebars, share bars and comment sections are
dropped by their elements and by their class/id names; whatever chrome is
left in the text is removed by the same line rules as for text dumps."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from thaireports.thaidates import parse_date_value

from .extract import Hints
from .record import NotAReport

_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "form", "button", "select",
              "input", "textarea", "nav", "aside", "footer", "header", "object", "embed", "canvas", "map")
_CHROME_NAME = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumbs?|share|sharing|social|sns|comments?|respond|related|"
    r"sidebar|widget|footer|masthead|cookie|banner|advert|ads?|sponsor|pagination|pager|tags?|tagcloud|"
    r"popular|recent|subscribe|newsletter|author-box|post-navigation|nav-links|toolbar|skip|search|"
    r"login|modal|popup|weather|clock|ticker|marquee|lang(?:uage)?-?switch\w*)(?:$|[-_\s])",
    re.IGNORECASE,
)
_CONTENT_SELECTORS = ("[itemprop=articleBody]", "article .entry-content", ".entry-content", ".post-content",
                      ".article-content", ".article-body", ".news-content", ".content-detail", ".td-post-content",
                      "article", "main", "#content", ".content")
_BLOCKS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
           "blockquote", "pre", "table", "tr", "dd", "dt", "dl", "figure", "figcaption", "address", "center"}
_ICON = re.compile(r"logo|icon|avatar|emoji|spacer|blank\.|pixel|sprite|banner|badge|button|loading|"
                   r"share|facebook|twitter|line-|gravatar|\.svg(?:$|\?)|data:", re.IGNORECASE)
_PUBLISHED_META = ("article:published_time", "og:published_time", "datePublished", "date", "pubdate",
                   "publish-date", "dc.date", "dc.date.issued", "article:modified_time")
_SITE_SEP = re.compile(r"\s+[|｜]\s+|\s+::\s+")
_DASH_SEP = re.compile(r"\s+[–—-]\s+")

# libxml2 silently drops whatever lies deeper than 256 elements, and the tree
# walks below recurse per level: a page nested deeper is refused, not half-read.
MAX_HTML_DEPTH = 250
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
_RAW_START = re.compile(r"<!--|<(script|style|textarea)\b", re.IGNORECASE)
# Void elements never nest; those whose end tag is optional are closed by
# their next sibling in real pages, so they do not add depth either.
_FLAT = frozenset("area base br col embed hr img input link meta param source track wbr "
                  "p li dt dd tr td th thead tbody tfoot option optgroup rt rp colgroup caption".split())


def _without_raw_text(html: str) -> str:
    """The page without comments and script/style bodies, whose `<div>`s are
    not elements. One pass: an unclosed one ends the page, as in a browser."""
    out: list[str] = []
    pos = 0
    lower = html.lower()
    while True:
        m = _RAW_START.search(html, pos)
        if not m:
            out.append(html[pos:])
            break
        out.append(html[pos:m.start()])
        end_mark = "-->" if m.group(0) == "<!--" else "</" + m.group(1).lower()
        end = lower.find(end_mark, m.end())
        if end < 0:
            break
        pos = end + len(end_mark)
    return "".join(out)


def nesting_depth(html: str, limit: int = MAX_HTML_DEPTH) -> int:
    """How deep the page's elements nest (stops counting past `limit`).
    A stack, not a parser: no recursion, linear in the page's size."""
    stack: list[str] = []
    deepest = 0
    for m in _TAG.finditer(_without_raw_text(html)):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if name in _FLAT or self_closing:
            continue
        if not closing:
            stack.append(name)
            if len(stack) > deepest:
                deepest = len(stack)
                if deepest > limit:
                    return deepest
        elif name in stack:
            # An end tag closes everything opened since its start tag.
            del stack[len(stack) - 1 - stack[::-1].index(name):]
    return deepest


def _is_chrome_element(el: Tag) -> bool:
    if el.name in _DROP_TAGS:
        return True
    role = (el.get("role") or "").lower()
    if role in ("navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"):
        return True
    names = " ".join([*(el.get("class") or []), el.get("id") or ""])
    return bool(names and _CHROME_NAME.search(names))


def _holds_the_article(el: Tag, total: int) -> bool:
    """A wrapper named after its sidebar (`class="has-sidebar"`) still holds
    the article: never drop an element with the article or most of the text."""
    if el.name in ("script", "style", "noscript", "template", "svg", "iframe", "nav", "form"):
        return False
    if el.find(("article", "main", "h1")) or el.find(attrs={"itemprop": "articleBody"}):
        return True
    return len(el.get_text(" ", strip=True)) > total * 0.5


def _thai_letters(text: str) -> int:
    return sum(1 for ch in text if "\u0e01" <= ch <= "\u0e4e")


def _headline(soup: BeautifulSoup, root: Tag | None, og: str | None, page_h1: str | None) -> str | None:
    """The article's headline: a heading inside the article first (many Thai
    CMS themes give the site's name the page's h1), then og:title, the page's
    h1, the <title> (without `| Site`)."""
    candidates: list[str] = []
    if root is not None:
        for h in root.find_all(("h1", "h2", "h3"), limit=3):
            candidates.append(h.get_text(" ", strip=True))
    candidates += [og or "", page_h1 or ""]
    if soup.title and soup.title.string:
        candidates.append(max(_title_parts(soup.title.string.strip()), key=_thai_letters))
    from .extract import _is_banner
    for c in candidates:
        c = c.strip()
        if len(c) >= 12 and _thai_letters(c) >= 8 and not _is_banner(c):
            return c
    return None


def _title_parts(title: str) -> list[str]:
    """`Headline | Site` always splits; `Headline - Site` only where a side
    names a site or an agency: `โครงการ STRONG - จิตพอเพียงต้านทุจริต` is one name."""
    from .extract import _SITE_WORDS, _is_banner
    out: list[str] = []
    for part in _SITE_SEP.split(title):
        pieces = _DASH_SEP.split(part)
        if len(pieces) > 1 and any(
                _is_banner(p) or (len(p) < 40 and (_SITE_WORDS.search(p) or not _thai_letters(p)))
                for p in pieces):
            out += pieces
        else:
            out.append(part)
    return out


def _published(soup: BeautifulSoup):
    for name in _PUBLISHED_META:
        el = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name}) \
            or soup.find(attrs={"itemprop": name})
        if el:
            value = el.get("content") or el.get("datetime") or el.get_text(" ", strip=True)
            d = parse_date_value(value)
            if d:
                return d
    t = soup.find("time", attrs={"datetime": True})
    return parse_date_value(t["datetime"]) if t else None


def _images(root: Tag, base: str | None) -> list[str]:
    out: list[str] = []
    for img in root.find_all("img"):
        src = img.get("data-src") or img.get("data-lazy-src") or img.get("data-original") or img.get("src")
        if not src or _ICON.search(src):
            continue
        try:
            if int(img.get("width") or 999) < 120 or int(img.get("height") or 999) < 80:
                continue
        except ValueError:
            pass
        url = urljoin(base, src.strip()) if base else src.strip()
        if url not in out:
            out.append(url)
    return out


def _text(root: Tag) -> str:
    parts: list[str] = []

    def walk(node):
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                # Newlines in the source are layout; blocks make the lines.
                parts.append(re.sub(r"\s*\n\s*", " ", str(child)))
                continue
            if not isinstance(child, Tag):
                continue
            if child.name == "br":
                parts.append("\n")
                continue
            block = child.name in _BLOCKS
            if block:
                parts.append("\n")
            if child.name == "li":
                parts.append("- ")
            walk(child)
            if block:
                parts.append("\n")

    walk(root)
    return "\n".join(ln.strip() for ln in "".join(parts).split("\n"))


def html_to_text(html: str, base_url: str | None = None) -> tuple[str, Hints]:
    """The text of the page's article and the hints its markup gives."""
    if nesting_depth(html) > MAX_HTML_DEPTH:
        raise NotAReport(f"HTML nested deeper than {MAX_HTML_DEPTH} levels, too deep to read reliably")
    soup = BeautifulSoup(html, "lxml")
    published = _published(soup)
    og_el = soup.find("meta", attrs={"property": "og:title"})
    og = og_el.get("content") if og_el else None
    h1 = soup.find("h1")
    page_h1 = h1.get_text(" ", strip=True) if h1 else None
    total = len(soup.get_text(" ", strip=True)) or 1
    for el in soup.find_all(True):
        if el.decomposed or el.name in ("html", "body"):
            continue
        if _is_chrome_element(el) and not _holds_the_article(el, total):
            el.decompose()
    root = None
    for sel in _CONTENT_SELECTORS:
        found = soup.select_one(sel)
        if found and len(found.get_text(strip=True)) > 200:
            root = found
            break
    title = _headline(soup, root, og, page_h1)
    root = root or soup.body or soup
    images = _images(root, base_url)
    text = _text(root)
    if title and title not in text:
        text = title + "\n\n" + text
    return text, Hints(title=title, published=published, images=tuple(images))
