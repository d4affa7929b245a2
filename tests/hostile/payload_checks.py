"""Finders of executable content in built output: each returns a list of
human-readable findings (empty = clean), so a failing test names the file and
the exact element."""
from __future__ import annotations

import csv
import io
import json
import re

import lxml.etree
from bs4 import BeautifulSoup

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "data", "poster", "background",
                  "cite", "longdesc", "xlink:href", "{http://www.w3.org/1999/xlink}href", "content"}
BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|livescript|data)\s*:", re.I)
HARMLESS_DATA = re.compile(r"^data:(,|image/(png|jpeg|gif|webp|avif)[;,])", re.I)
# (The theme draws its own inline SVG; script inside it is caught as <script>.)
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "math",
                  "video", "audio", "template", "noscript", "style", "foreignobject"}
# Attributes whose value is only ever shown as text: a payload there, once
# parsed as the attribute's value, is inert words.
TEXT_ATTRIBUTES = {"alt", "title", "content", "aria-label", "placeholder", "datetime"}
PAYLOAD_MARK = re.compile(r"XSS-[a-z]+-\d+|alert\(|expression\(|msgbox\(", re.I)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _squeeze(value: str) -> str:
    return re.sub(r"[\x00-\x20]+", "", value)


def html_findings(text: str, where: str, own_origin: str = "") -> list[str]:
    """Script elements other than our own (src on our origin, or ld+json
    data), on* attributes, javascript:/vbscript:/data: URLs, embedding
    elements, <meta http-equiv=refresh>, forms posting elsewhere, and payload
    markers inside attributes or scripts. Parsed with Python's html.parser
    (through BeautifulSoup): unlike libxml2 it has no nesting limit, so
    nothing deep inside a hostile document escapes the check."""
    if not text.strip():
        return []
    soup = BeautifulSoup(text, "html.parser")
    out = []
    for el in soup.find_all(True):
        tag = el.name.lower()
        line = f"{where}:{el.sourceline}"
        if tag == "script":
            stype = (el.get("type") or "").lower()
            src = el.get("src")
            body = el.string or ""
            if stype == "application/ld+json":
                if "</" in body or "<!--" in body:
                    out.append(f"{line}: JSON-LD holds markup that could close the script: {body[:120]!r}")
                try:
                    json.loads(body)
                except ValueError as exc:
                    out.append(f"{line}: JSON-LD is not valid JSON ({exc})")
            elif src:
                if re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.I) and not (own_origin and src.startswith(own_origin)):
                    out.append(f"{line}: script from another origin: {src}")
                if body.strip():
                    out.append(f"{line}: script with src also has inline code")
            else:
                out.append(f"{line}: inline script: {body[:120]!r}")
            continue
        if tag in FORBIDDEN_TAGS:
            out.append(f"{line}: <{tag}> element")
        if tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            out.append(f"{line}: meta refresh")
        if tag == "form":
            action = el.get("action") or ""
            if re.match(r"^[a-z][a-z0-9+.-]*:|^//", action, re.I) and not (own_origin and action.startswith(own_origin)):
                out.append(f"{line}: form posting to {action}")
        for name, value in el.attrs.items():
            if isinstance(value, list):
                value = " ".join(value)
            value = value or ""
            lname = name.lower()
            if lname.startswith("on"):
                out.append(f"{line}: event handler attribute {name}={value[:80]!r}")
            if lname in URL_ATTRIBUTES or lname.endswith("href"):
                parts = [value] if lname != "srcset" else [p.strip().split(" ")[0] for p in value.split(",")]
                for part in parts:
                    squeezed = _squeeze(part)
                    if BAD_SCHEME.match(squeezed) and not HARMLESS_DATA.match(squeezed):
                        out.append(f"{line}: {name} with a dangerous URL {value[:80]!r}")
            if lname == "style" and re.search(r"expression\(|javascript:|url\(", value, re.I):
                out.append(f"{line}: style attribute with code {value[:80]!r}")
            if PAYLOAD_MARK.search(value) and lname not in TEXT_ATTRIBUTES:
                out.append(f"{line}: payload marker in attribute {name}={value[:80]!r}")
    return out


def text_of(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text()


def atom_findings(xml: bytes, where: str, own_origin: str = "") -> list[str]:
    """Every title is plain text; every html content/summary is clean HTML."""
    root = lxml.etree.fromstring(xml)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    out = []
    for el in root.iterfind(".//a:title", ns):
        if re.search(r"<\s*[a-z/!]", el.text or "", re.I):
            out.append(f"{where}: feed title holds markup: {el.text[:120]!r}")
    for el in [*root.iterfind(".//a:content", ns), *root.iterfind(".//a:summary", ns)]:
        if el.get("type") in ("html", "xhtml"):
            out += html_findings(f"<html><body>{el.text or ''}</body></html>", f"{where} <{el.tag.split('}')[1]}>",
                                 own_origin)
    for el in root.iter():
        for name, value in el.attrib.items():
            if BAD_SCHEME.match(_squeeze(value)):
                out.append(f"{where}: {name}={value[:80]!r}")
    return out


# Fields that are names and labels: they must be plain text. (Body text in
# the search index may mention "<" as words; the search client inserts text
# with textContent, never as HTML — see test_search_client_never_inserts_html.)
PLAIN_KEYS = {"title", "name", "headline", "venue", "summary", "description", "alternateName",
              "source", "source_label", "t", "v"}


def json_findings(data, where: str) -> list[str]:
    """No string holds a javascript:/vbscript:/data: URL or an event handler;
    no name/title/venue/summary field holds a tag."""
    out = []

    def walk(node, path, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{path}.{k}", k)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]", key)
        elif isinstance(node, str):
            if BAD_SCHEME.match(_squeeze(node)) and not HARMLESS_DATA.match(_squeeze(node)):
                out.append(f"{where}{path}: script URL {node[:120]!r}")
            if key in PLAIN_KEYS and re.search(r"<\s*[a-z/!]", node, re.I):
                out.append(f"{where}{path}: markup in a plain-text field {node[:120]!r}")

    walk(data, "")
    return out


def csv_findings(text: str, where: str) -> list[str]:
    """No cell a spreadsheet would run as a formula."""
    out = []
    for r, row in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff")))):
        for c, cell in enumerate(row):
            if cell.startswith(FORMULA_START):
                out.append(f"{where} row {r + 1} col {c + 1}: {cell[:80]!r}")
    return out
