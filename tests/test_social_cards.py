"""Open Graph cards: Thai headlines shaped by raqm with the theme's Sarabun,
wrapped only between words, ellipsized when too long, every character in
the font."""
from __future__ import annotations

import datetime as dt
import io
import json
import sys

import pytest
from PIL import Image, ImageFont, features
from pythainlp.tokenize import word_tokenize

from support import CORPUS, ROOT

sys.path.insert(0, str(ROOT / "plugins"))
from images import cards  # noqa: E402

from thaireports.thaidates import format_be_range  # noqa: E402
from thaireports.thaitext import tokenize  # noqa: E402
from thaireports.vocabulary import load_vocabulary  # noqa: E402

FONTS = ROOT / "theme" / "static" / "fonts"
LONG = ("สำนักงาน ป.ป.ช. ประจำจังหวัดพิษณุโลก ร่วมกับศูนย์ปฏิบัติการต่อต้านการทุจริตจังหวัดเพชรบูรณ์ "
        "จัดกิจกรรม “ชมรม STRONG – จิตพอเพียงต้านทุจริต” เสริมสร้างธรรมาภิบาลและความโปร่งใสใน"
        "องค์กรปกครองส่วนท้องถิ่นทั่วทั้งจังหวัด ประจำปีงบประมาณ พ.ศ. 2567 ครั้งที่ 1 ณ ห้องประชุมศาลากลางจังหวัด")


@pytest.fixture(scope="module")
def fonts(tmp_path_factory):
    cache = tmp_path_factory.mktemp("card-fonts")
    return (str(cards.merged_font(cards.theme_fonts(FONTS, 700), cache)),
            str(cards.merged_font(cards.theme_fonts(FONTS, 400), cache)))


def boundaries(tokens: list[str], text: str) -> set[int]:
    """Offsets in `text` where a token starts or ends."""
    out, pos = {0, len(text)}, 0
    for tok in tokens:
        start = text.index(tok, pos)
        out |= {start, start + len(tok)}
        pos = start + len(tok)
    return out


def break_offsets(lines: list[str], text: str) -> list[int]:
    """Where in `text` each line but the last ends."""
    offsets, pos = [], 0
    for line in lines[:-1]:
        start = text.index(line, pos)
        assert text[pos:start].strip() == "", f"text lost between lines: {text[pos:start]!r}"
        pos = start + len(line)
        offsets.append(pos)
    return offsets


def test_pillow_has_raqm():
    assert features.check("raqm"), "Pillow lacks raqm: Thai cannot be shaped"
    assert features.check("fribidi") and features.check("harfbuzz")


def test_raqm_stacks_the_tone_mark_above_the_upper_vowel(fonts):
    bold, _ = fonts
    shaped = ImageFont.truetype(bold, 100, layout_engine=ImageFont.Layout.RAQM)
    plain = ImageFont.truetype(bold, 100, layout_engine=ImageFont.Layout.BASIC)
    # ที่: with shaping the mai ek sits above sara i instead of on top of it.
    assert shaped.getbbox("ที่", anchor="ls")[1] < plain.getbbox("ที่", anchor="ls")[1] - 15


def test_long_headline_breaks_only_between_words_and_is_ellipsized(fonts):
    bold, _ = fonts
    text = cards.printable(LONG, bold)
    width = cards.WIDTH - 2 * cards.MARGIN_X
    size, lines = cards.layout_headline(text, bold, width)
    font = ImageFont.truetype(bold, size, layout_engine=ImageFont.Layout.RAQM)
    assert 3 <= len(lines) <= 4
    assert lines[-1].endswith(cards.ELLIPSIS)
    for line in lines:
        assert font.getlength(line) <= width
        assert line == line.strip() and line[0] not in "–”ๆ" and not line[0] in "\u0e31\u0e34\u0e47\u0e48"
    kept = lines[:-1] + [lines[-1][: -len(cards.ELLIPSIS)].rstrip()]
    offsets = break_offsets(kept + [""], text)      # every line break and the ellipsis cut
    project = boundaries(tokenize(text), text)
    newmm = boundaries([t for t in word_tokenize(text, engine="newmm") if t], text)
    for off in offsets:
        assert off in project, f"break inside a word: …{text[off - 8:off]}|{text[off:off + 8]}…"
        assert off in newmm, f"break inside a pythainlp newmm word: …{text[off - 8:off]}|{text[off:off + 8]}…"


def test_short_headline_fits_without_ellipsis(fonts):
    bold, _ = fonts
    size, lines = cards.layout_headline("เวทีธรรมนูญตำบลบ้านโป่ง", bold, 1040)
    assert size == cards.HEADLINE_SIZES[0][0] and lines == ["เวทีธรรมนูญตำบลบ้านโป่ง"]


def headlines() -> list[str]:
    """Real headlines: the gold titles of the corpus."""
    return [json.loads(p.read_text("utf-8"))["title"] for p in sorted(CORPUS.glob("*.json"))]


def test_font_covers_every_character_of_real_headlines_provinces_and_dates(fonts):
    bold, regular = fonts
    vocab = load_vocabulary()
    texts = headlines() + [LONG, "“คำพูด” – ‘อ้าง’ … ๑๒๓ ฿ 100%"]
    texts += [e.th for e in vocab.provinces.values()]
    texts += [format_be_range(dt.date(2024, m, 1), dt.date(2024, m, 3)) for m in range(1, 13)]
    texts += [format_be_range(dt.date(2023, 12, 31), dt.date(2024, 1, 2))]
    assert len(headlines()) >= 30
    for font in (bold, regular):
        cmap = cards.font_cmap(font)
        for text in texts:
            missing = {ch for ch in text if ord(ch) not in cmap and not ch.isspace()}
            assert not missing, f"{text!r}: no glyph for {sorted(missing)}"
            assert cards.printable(text, font) == " ".join(text.split())


def test_characters_the_font_lacks_are_dropped_not_boxed(fonts):
    bold, _ = fonts
    assert cards.printable("ประชุม 🎉 คณะกรรมการ 中文", bold) == "ประชุม  คณะกรรมการ "


def test_card_is_1200x630_png_with_headline_and_footer(fonts, artifacts):
    bold, regular = fonts
    card = cards.CardText(headline=LONG, places="พิษณุโลก, เพชรบูรณ์",
                          date=format_be_range(dt.date(2024, 2, 9), dt.date(2024, 2, 10)),
                          site="คลังข่าวเครือข่ายสุจริต")
    data = cards.render_card(card, bold, regular)
    (artifacts / "social-card-thai.png").write_bytes(data)
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "PNG" and im.size == (1200, 630)
        rgb = im.convert("RGB")
    # White headline pixels fill the middle band; muted footer text at the bottom.
    band = rgb.crop((cards.MARGIN_X, 140, 1120, 520))
    assert sum(1 for px in band.get_flattened_data() if min(px) > 235) > 5000
    footer = rgb.crop((cards.MARGIN_X, 550, 1120, 610))
    assert sum(1 for px in footer.get_flattened_data() if sum(px) > 450) > 500


def test_card_digest_changes_with_what_is_drawn():
    a = cards.CardText("หัวข้อ", "พิษณุโลก", "5 เมษายน 2567", "คลัง")
    assert a.digest(("f.ttf",)) == cards.CardText("หัวข้อ", "พิษณุโลก", "5 เมษายน 2567", "คลัง").digest(("f.ttf",))
    assert a.digest(("f.ttf",)) != cards.CardText("หัวข้อใหม่", "พิษณุโลก", "5 เมษายน 2567", "คลัง").digest(("f.ttf",))
    assert a.digest(("f.ttf",)) != a.digest(("g.ttf",))


def test_a_word_longer_than_a_line_is_cut_between_characters_not_marks(fonts):
    bold, _ = fonts
    font = ImageFont.truetype(bold, 68, layout_engine=ImageFont.Layout.RAQM)
    url = "https://www.nacc.go.th/categorydetail/20190805133045361/" + "ทุจริตคอร์รัปชั่น" * 3
    lines = cards.wrap("ดูรายละเอียด " + url, font, 600)
    assert len(lines) >= 3 and all(font.getlength(ln) <= 600 for ln in lines)
    assert "".join(lines).replace(" ", "") == ("ดูรายละเอียด" + url).replace(" ", "")
    for ln in lines:
        assert ln[0] not in "\u0e31\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c"


@pytest.mark.parametrize("text", ["ขับเคลื่อนการสร้างสังคมสุขภาวะพื้นที่ภาคเหนือตอนล่าง 1 ” เพชรบูรณ์",
                                  "ชมรม STRONG – จิตพอเพียงต้านทุจริต", "ตำบลต่าง ๆ ทั่วจังหวัด"])
def test_no_line_starts_with_a_closing_quote_dash_or_mai_yamok(fonts, text):
    bold, _ = fonts
    font = ImageFont.truetype(bold, 68, layout_engine=ImageFont.Layout.RAQM)
    for width in range(400, 1060, 20):       # the card has 1040 px for text
        for line in cards.wrap(text, font, width):
            assert line[0] not in "”–ๆ", (width, line)


@pytest.mark.parametrize("headline", [LONG, "เวทีธรรมนูญตำบล", "ญู ฐุ ปี่ ฟ้ำ " * 12])
def test_headline_ink_stays_inside_its_band(fonts, headline):
    """Tall Thai marks above and below the line must not be clipped."""
    bold, _ = fonts
    size, lines = cards.layout_headline(cards.printable(headline, bold), bold, 1040)
    font = ImageFont.truetype(bold, size, layout_engine=ImageFont.Layout.RAQM)
    for y, line in zip(cards.baselines(size, len(lines)), lines):
        _, top, _, bottom = font.getbbox(line, anchor="ls")
        assert cards.HEADLINE_BAND[0] < y + top and y + bottom < cards.HEADLINE_BAND[1]


def test_card_cache_names_stay_those_of_earlier_builds():
    """A card's cache name is a digest of its text fields in declaration
    order: computing it differently must not rename (and so redraw) every
    card an earlier build cached."""
    import dataclasses
    import hashlib

    text = cards.CardText(headline="ประชุมเครือข่าย ป.ป.ช.", places="พิษณุโลก", date="5 เมษายน 2567",
                          site="คลังข่าว")
    fonts = ("bold-abc.ttf", "regular-def.ttf")
    raw = json.dumps([cards.DESIGN_VERSION, dataclasses.asdict(text), list(fonts)], ensure_ascii=False)
    assert text.digest(fonts) == hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]
    assert [f.name for f in dataclasses.fields(cards.CardText)] == ["headline", "places", "date", "site"]
