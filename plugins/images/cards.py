"""Open Graph / Twitter card images (1200×630 PNG) with the report's Thai
headline, its provinces and its Buddhist-era date.

Thai needs real shaping (stacked vowels and tone marks above and below the
consonant), so text goes through Pillow's raqm layout with the theme's own
Sarabun font. The theme ships Sarabun as woff2 subsets (Thai, Latin); FreeType
wants one TrueType font, so the subsets are decompressed and merged once with
fontTools into the cache. Lines break only between words (pythainlp)."""
from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from thaireports.reportfile import atomic_write_bytes

# Bump when the drawing changes: every card is redrawn.
DESIGN_VERSION = 3
WIDTH, HEIGHT = 1200, 630
MARGIN_X = 80
BACKGROUND = (15, 52, 67)
ACCENT = (242, 183, 5)
HEADLINE = (255, 255, 255)
MUTED = (200, 220, 228)
# Largest size first; the first size at which the headline fits in its line
# budget wins, the last one ellipsizes.
HEADLINE_SIZES = ((68, 3), (60, 3), (54, 4))
LINE_HEIGHT = 1.42   # room for Thai marks above and below
ELLIPSIS = "…"
_COMBINING_THAI = {"\u0e31", "\u0e33", *map(chr, range(0x0E34, 0x0E3B)), *map(chr, range(0x0E47, 0x0E4F))}


@dataclass(frozen=True)
class CardText:
    headline: str
    places: str          # Thai province names, joined
    date: str            # Buddhist-era date or range
    site: str

    def digest(self, fonts: tuple[str, ...]) -> str:
        # The fields by hand, not asdict(): it deep-copies them (a tenth of a
        # second per 5,000 cards); the text hashed is the same.
        fields = {"headline": self.headline, "places": self.places, "date": self.date,
                  "site": self.site}
        raw = json.dumps([DESIGN_VERSION, fields, list(fonts)], ensure_ascii=False)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


def require_raqm() -> None:
    if not features.check("raqm"):
        raise RuntimeError("Pillow was built without raqm: Thai headlines cannot be shaped. "
                           "Install the pinned Pillow wheel (it bundles raqm).")


# ---------------------------------------------------------------- fonts

def merged_font(sources: list[Path], cache_dir: Path) -> Path:
    """One TrueType font from the theme's woff2 subsets, built once into the
    cache (named by the sources' hash, so a new theme font is picked up)."""
    h = hashlib.sha256()
    for src in sources:
        h.update(src.name.encode() + b"\0" + src.read_bytes())
    target = cache_dir / "fonts" / f"{sources[0].name.split('-')[0]}-{h.hexdigest()[:16]}.ttf"
    if target.is_file():
        return target
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        plain = []
        for i, src in enumerate(sources):
            font = TTFont(src)
            font.flavor = None     # woff2 → plain sfnt
            path = Path(tmp) / f"{i}.ttf"
            font.save(path)
            plain.append(str(path))
        merged = Merger().merge(plain) if len(plain) > 1 else TTFont(plain[0])
        out = Path(tmp) / "merged.ttf"
        merged.save(out)
        os.replace(out, target)
    return target


def theme_fonts(font_dir: Path, weight: int) -> list[Path]:
    """The theme's woff2 subsets of one weight, Thai first."""
    found = sorted(font_dir.glob(f"*-{weight}-normal.woff2"),
                   key=lambda p: (0 if "-thai-" in p.name else 1, p.name))
    if not found:
        raise FileNotFoundError(f"no *-{weight}-normal.woff2 font in {font_dir}")
    return found


@lru_cache(maxsize=8)
def font_cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(path).getBestCmap())


@lru_cache(maxsize=32)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.RAQM)


def printable(text: str, font_path: str) -> str:
    """NFC text with single spaces, without characters the font lacks
    (emoji and the like): a missing glyph would print as a box."""
    cmap = font_cmap(font_path)
    text = unicodedata.normalize("NFC", text)
    text = " ".join(text.split())
    return "".join(ch for ch in text if ord(ch) in cmap)


# ---------------------------------------------------------------- line breaking

def words(text: str) -> list[str]:
    """`text` cut into words and runs of spaces; joined they give `text`
    back. Word boundaries come from the project's Thai tokenizer."""
    try:
        from thaireports.thaitext import tokenize
    except ImportError:   # pragma: no cover - the shared tokenizer is part of the project
        from pythainlp.tokenize import word_tokenize

        def tokenize(t):
            return [w for w in word_tokenize(t, engine="newmm") if w.strip()]
    pieces: list[str] = []
    pos = 0
    for tok in tokenize(text):
        start = text.find(tok, pos)
        if start < 0:        # the tokenizer normalized something: stop trusting offsets
            return _fallback_words(text)
        if start > pos:
            pieces.append(text[pos:start])
        pieces.append(tok)
        pos = start + len(tok)
    if pos < len(text):
        pieces.append(text[pos:])
    return pieces


def _fallback_words(text: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(text, engine="newmm", keep_whitespace=True)


# Never at the start of a line: closing punctuation, and (even after a space)
# dashes, closing quotes and the repetition mark ๆ; never at the end of one:
# opening quotes.
NO_BREAK_BEFORE = set("”’)]}»,.;:!?…%ฯ")
GLUE_ACROSS_SPACE = set("–—ๆ”’)]}»")
NO_BREAK_AFTER = set("“‘([{«")


def units(text: str) -> list[str]:
    """`words(text)` regrouped so that a line break between two units is
    always typographically acceptable. Units are unions of whole words."""
    pieces = words(text)
    out: list[str] = []
    i = 0
    while i < len(pieces):
        p = pieces[i]
        if (p.isspace() and out and i + 1 < len(pieces) and pieces[i + 1][0] in GLUE_ACROSS_SPACE):
            out[-1] += p + pieces[i + 1]
            i += 2
            continue
        if (out and not p.isspace() and not out[-1].isspace()
                and (p[0] in NO_BREAK_BEFORE or out[-1][-1] in NO_BREAK_AFTER)):
            out[-1] += p
        else:
            out.append(p)
        i += 1
    return out


def _clusters(word: str) -> list[str]:
    """Characters with their combining marks attached: where an over-long
    word may be cut without tearing a vowel or tone mark off its consonant."""
    out: list[str] = []
    for ch in word:
        if out and (ch in _COMBINING_THAI or unicodedata.category(ch).startswith("M")):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def wrap(text: str, font: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    """Greedy line filling, breaking only between words. A single word wider
    than a line (a long URL) is cut between characters.

    Word widths are measured once and added up: Thai shaping moves marks
    within a word but does not change the advance across a word boundary.
    Each finished line is still measured whole, and refilled with whole-line
    measuring on the rare miss."""
    pieces = units(text)
    lines = _fill(pieces, font, max_width, exact=False)
    if all(font.getlength(line) <= max_width for line in lines):
        return lines
    return _fill(pieces, font, max_width, exact=True)


def _fill(pieces: list[str], font: ImageFont.FreeTypeFont, max_width: int, *, exact: bool) -> list[str]:
    def width(piece: str) -> float:
        return _piece_width(font, piece)

    lines: list[str] = []
    line, w = "", 0.0
    gap, gap_w = "", 0.0
    for piece in pieces:
        if piece.isspace():
            if line:
                gap, gap_w = gap + piece, gap_w + width(piece)
            continue
        pw = width(piece)
        fits = (font.getlength(line + gap + piece) if exact else w + gap_w + pw) <= max_width
        if line and fits:
            line, w = line + gap + piece, w + gap_w + pw
        else:
            if line:
                lines.append(line)
            line, w = piece, pw
            if pw > max_width:
                *full, line = _split_word(piece, font, max_width)
                lines += full
                w = font.getlength(line)
        gap, gap_w = "", 0.0
    if line:
        lines.append(line)
    return lines


@lru_cache(maxsize=50_000)
def _piece_width(font: ImageFont.FreeTypeFont, piece: str) -> float:
    """Words recur from headline to headline: measure each once per font."""
    return font.getlength(piece)


def _split_word(word: str, font: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    out, line = [], ""
    for cl in _clusters(word):
        if line and font.getlength(line + cl) > max_width:
            out.append(line)
            line = ""
        line += cl
    return out + [line]


def ellipsize(lines: list[str], max_lines: int, font: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    """Keep `max_lines`; the last one ends with an ellipsis after a whole word."""
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = units(kept[-1])
    while last:
        candidate = "".join(last).rstrip() + ELLIPSIS
        if font.getlength(candidate) <= max_width:
            kept[-1] = candidate
            return kept
        last.pop()
    kept[-1] = ELLIPSIS
    return kept


def layout_headline(text: str, font_path: str, max_width: int) -> tuple[int, list[str]]:
    """(font size, lines) for the headline."""
    for size, max_lines in HEADLINE_SIZES:
        lines = wrap(text, _font(font_path, size), max_width)
        if len(lines) <= max_lines:
            return size, lines
    return size, ellipsize(lines, max_lines, _font(font_path, size), max_width)


# ---------------------------------------------------------------- drawing

def _fit_line(text: str, font: ImageFont.FreeTypeFont, max_width: int) -> str:
    lines = wrap(text, font, max_width)
    return ellipsize(lines, 1, font, max_width)[0] if lines else ""


RULE = (60, 96, 110)
LEVELS = 16     # antialiasing steps per text colour: smooth to the eye


@lru_cache(maxsize=1)
def _palette() -> list[int]:
    """Index 0 background, 1 accent bar, 2 rule, then LEVELS blends from the
    background to each text colour (site name, headline, footer)."""
    colours = [BACKGROUND, ACCENT, RULE]
    for fg in (ACCENT, HEADLINE, MUTED):
        colours += [tuple(round(b + (f - b) * k / LEVELS) for b, f in zip(BACKGROUND, fg))
                    for k in range(1, LEVELS + 1)]
    return [c for rgb in colours for c in rgb]


def _to_index(mask: Image.Image, colour_no: int) -> Image.Image:
    base = 3 + colour_no * LEVELS
    lut = [0] + [base + (v * LEVELS - 1) // 255 for v in range(1, 256)]
    return mask.point(lut)


# Horizontal bands, one per text colour; text never leaves its band.
SITE_BAND, HEADLINE_BAND, FOOTER_BAND = (0, 125), (125, 535), (535, HEIGHT)


def baselines(size: int, count: int) -> list[int]:
    """Baselines of `count` headline lines at `size`: the block sits centred
    between the site name and the footer."""
    step = round(size * LINE_HEIGHT)
    top, bottom = 130, 520
    first = top + (bottom - top - step * count) // 2 + round(size * 1.05)
    return [first + i * step for i in range(count)]


def _band(band: tuple[int, int], colour_no: int, texts) -> Image.Image:
    """Palette indices of one band: `texts` = [(x, baseline, text, font)]
    drawn as antialiased coverage, mapped onto the colour's blend levels."""
    mask = Image.new("L", (WIDTH, band[1] - band[0]), 0)
    draw = ImageDraw.Draw(mask)
    for x, y, text, font in texts:
        draw.text((x, y - band[0]), text, font=font, fill=255, anchor="ls", language="th")
    return _to_index(mask, colour_no)


def render_card(card: CardText, bold: str, regular: str) -> bytes:
    """PNG bytes of one card.

    Each text colour is drawn as an antialiased coverage mask and mapped
    straight into a small palette: a palette PNG (a third of the bytes of an
    RGB one) without the cost of quantizing a full-colour image."""
    require_raqm()
    text_w = WIDTH - 2 * MARGIN_X
    small = _font(regular, 34)
    site = _fit_line(printable(card.site, regular), small, text_w)

    size, lines = layout_headline(printable(card.headline, bold), bold, text_w)
    font = _font(bold, size)
    headline = [(MARGIN_X, y, line, font) for y, line in zip(baselines(size, len(lines)), lines)]

    footer = "  ·  ".join(p for p in (card.places, card.date) if p)
    footer = _fit_line(printable(footer, regular), small, text_w)

    index = Image.new("L", (WIDTH, HEIGHT), 0)
    index.paste(_band(SITE_BAND, 0, [(MARGIN_X, 92, site, small)]), (0, SITE_BAND[0]))
    index.paste(_band(HEADLINE_BAND, 1, headline), (0, HEADLINE_BAND[0]))
    index.paste(_band(FOOTER_BAND, 2, [(MARGIN_X, 592, footer, small)]), (0, FOOTER_BAND[0]))
    draw = ImageDraw.Draw(index)
    draw.rectangle((0, 0, 16, HEIGHT), fill=1)
    draw.line((MARGIN_X, 540, WIDTH - MARGIN_X, 540), fill=2, width=2)
    img = Image.frombytes("P", (WIDTH, HEIGHT), index.tobytes())
    img.putpalette(_palette())
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=3)   # level 6+ costs 2.5× the time for 18 % fewer bytes
    return buf.getvalue()


def card_job(card: CardText, bold: str, regular: str, target: str) -> str:
    """Render `card` into `target` (the cache file) unless it is already there."""
    path = Path(target)
    if not path.is_file():
        atomic_write_bytes(path, render_card(card, bold, regular), fsync=False)
    return target
