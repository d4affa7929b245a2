"""Bytes of an input (a file or a fetched page) as text, in the encoding it
was really written in.

Thai sites still publish TIS-620 / windows-874 pages; reading them as UTF-8
or Latin-1 gives mojibake that would then be archived for ever. The order of
trust: a byte-order mark, then a strict UTF-8 decode (UTF-8 almost never
decodes by accident), then the charset the page or server declares, then
detection. Whatever is chosen must decode without errors and must not look
like mojibake."""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from .record import NotAReport

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE
)
_HTML_SNIFF = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|meta|div|p|article)\b", re.IGNORECASE)
# Thai UTF-8 decoded as Latin-1/cp1252 shows as `à¸` / `à¹` pairs.
_MOJIBAKE = re.compile(r"[àÃ][\u0080-\u00bf¸¹º»]|\ufffd")
# TIS-620 is windows-874 without the few extra punctuation marks; decode both
# as cp874, which is a superset.
_THAI_ALIASES = {"tis-620", "tis620", "tis_620", "iso-8859-11", "iso8859-11", "iso8859_11",
                 "windows-874", "cp874", "x-windows-874", "ms874", "dos-874"}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _normalize_charset(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("'\"").lower()
    if name in _THAI_ALIASES:
        return "cp874"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if b"\x00" in head and not (head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE)):
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.05


def _thai_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if "\u0e00" <= ch <= "\u0e7f") / len(letters)


def decode(data: bytes, *, declared: str | None = None, name: str = "input") -> Decoded:
    """`data` as text. `declared` is a charset from outside (HTTP header)."""
    if not data or not data.strip():
        raise NotAReport("empty input")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return Decoded(data.decode(enc, errors="replace"), enc)
    if _looks_binary(data):
        raise NotAReport("binary data, not a text or HTML report")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    meta = _META_CHARSET.search(data[:8192])
    for enc in (_normalize_charset(declared), _normalize_charset(meta.group(1).decode("ascii", "ignore")) if meta else None):
        if enc and enc not in candidates and enc != "utf-8":
            candidates.append(enc)
    best = from_bytes(data[:200_000]).best()
    if best is not None:
        enc = _normalize_charset(best.encoding)
        if enc and enc not in candidates:
            candidates.append(enc)
    # Bytes in 0xA1–0xFB dominate a Thai single-byte page; cp874 is the
    # right reading whenever it decodes and yields mostly Thai letters.
    if "cp874" not in candidates:
        candidates.append("cp874")
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if _MOJIBAKE.search(text[:20000]):
            continue
        if enc != "cp874" and _thai_share(text) < 0.05 and _thai_share(data.decode("cp874", "replace")) > 0.3:
            continue
        return Decoded(text, enc)
    raise NotAReport(f"{name}: cannot tell its text encoding (not UTF-8, TIS-620 or windows-874)")


def looks_like_html(text: str, name: str = "") -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml", ".php", ".asp", ".aspx")):
        return True
    return bool(_HTML_SNIFF.search(text[:4096]))
