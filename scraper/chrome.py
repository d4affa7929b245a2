"""Site chrome: the menus, share buttons, counters, widgets, photo placeholders
and teasers that pages wrap around a report. Decided line by line from the
line's shape (no Thai sentence, known widget vocabulary, image file names)
rather than from the wording of any one site."""
from __future__ import annotations

import re

THAI = re.compile(r"[\u0e01-\u0e4e]")
THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+")
INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")

# Whole lines that are widget labels, in Thai or English. Kept to generic
# website vocabulary: share/print/comment/related/popular/vote/view counters.
_CHROME_LINE = re.compile(
    r"""^(?:
      ฟังวิทยุออนไลน์ | วิทยุออนไลน์ | แบ่งปัน | แชร์(?:\s*\d+)? | พิมพ์ | ส่งต่อ | อีเมล |
      share(?:\s+(?:this|on\s+\w+))? | print | e-?mail | tweet | like |
      submit\s+to\b.* | (?:share|แชร์)\s+(?:to|on|ไปยัง)\b.* |
      -?\s*[\d,]+\s*(?:views?|ครั้ง|reads?|hits?|ผู้เข้าชม|จำนวนผู้เข้าชม|เข้าชม|วิว)\s*\|?\s* |
      (?:views?|hits?|เข้าชม|ผู้เข้าชม|อ่าน)\s*:?\s*[\d,]+(?:\s*ครั้ง)? |
      related\s+posts? | related\s+articles? | you\s+may\s+also\s+like.* |
      leave\s+a\s+(?:reply|comment).* | \d*\s*comments? | no\s+comments?.* | post\s+navigation |
      this\s+site\s+uses\s+akismet.* | learn\s+how\s+your\s+comment.* |
      คะแนนโหวต.* | โหวต\s*:? | ให้คะแนน.* |
      บทความ(?:ที่น่าสนใจ|ยอดนิยม|ล่าสุด|ที่เกี่ยวข้อง|แนะนำ|ก่อนหน้า|ถัดไป)? |
      ข่าว(?:ที่เกี่ยวข้อง|ใหม่ล่าสุด|ล่าสุด|ยอดนิยม|แนะนำ|ก่อนหน้า|ถัดไป|ทั้งหมด)? |
      ข่าวสาร(?:และกิจกรรม)? | ข่าวประชาสัมพันธ์ | กิจกรรม(?:ล่าสุด)? |
      อ่านต่อ.* | อ่านเพิ่มเติม.* | อ่านทั้งหมด | ดูทั้งหมด | ดูเพิ่มเติม | read\s+more.* | more\s+news |
      แสดงความคิดเห็น.* | ความคิดเห็น(?:\s*\d+)? | เขียนความคิดเห็น |
      back\s+to\s+top | top\s+of\s+page | กลับสู่ด้านบน | ขึ้นด้านบน | skip\s+to\s+content |
      หน้าหลัก | หน้าแรก | home | menu | เมนู | ค้นหา | search | login | เข้าสู่ระบบ | สมัครสมาชิก |
      ภาษาไทย | english | ไทย | th | en |
      tags?\s*:.* | แท็ก\s*:.* | หมวดหมู่\s*:.* | category\s*:.* |
      (?:image|รูปภาพ|ภาพ|photo|picture)(?:\s+(?:image|รูปภาพ|ภาพ|photo|picture))* |
      ภาพประกอบ | ภาพกิจกรรม(?:เพิ่มเติม)?\s*:? | แกลเลอรี่ | gallery |
      a-\s*a\s*a\+ | a\+\s*a\s*a- | ขนาดตัวอักษร.* |
      spot_img | advertisement | โฆษณา | sponsored |
      (?:previous|next)\s+(?:post|article).* | ก่อนหน้า | ถัดไป
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Words of navigation bars and language switches; a line made only of these
# (and of Latin-script words) is a menu: `ภาษาไทย english หน้าหลัก`.
_NAV_WORDS = frozenset("""
ภาษาไทย ไทย หน้าหลัก หน้าแรก เมนู ค้นหา เข้าสู่ระบบ สมัครสมาชิก ติดต่อเรา ติดต่อ เกี่ยวกับเรา เกี่ยวกับ
ข่าว ข่าวสาร กิจกรรม บทความ ภาพกิจกรรม วิดีโอ ดาวน์โหลด เว็บบอร์ด ถาม-ตอบ แผนผังเว็บไซต์ หน่วยงาน
ผลงาน บริการ ประชาสัมพันธ์ ข่าวประชาสัมพันธ์ ร้องเรียน สมัคร ลงทะเบียน ปฏิทิน ลิงก์ ลิงค์ แชร์ แบ่งปัน
|  /  ·  •  -  »
""".split())

# Headings of the lists sites append after an article (related, popular,
# latest, comments): from such a heading on, nothing is the report's.
_TAIL_SECTION = re.compile(
    r"""^(?:ข่าว(?:ที่เกี่ยวข้อง|ล่าสุด|ยอดนิยม|แนะนำ|อื่นๆ|อื่น\s?ๆ|ก่อนหน้า|ถัดไป)|บทความ(?:ที่เกี่ยวข้อง|ยอดนิยม|ที่น่าสนใจ|แนะนำ|ล่าสุด)|
      อ่านข่าวอื่น.*|เรื่องอื่น.*|เนื้อหาที่เกี่ยวข้อง|กิจกรรมอื่น.*|related\s+(?:posts?|articles?|news)|you\s+may\s+also\s+like.*|
      more\s+(?:news|stories)|(?:previous|next)\s+(?:post|article).*|leave\s+a\s+(?:reply|comment).*|
      แสดงความคิดเห็น.*|ความคิดเห็น(?:\s*\d+)?|comments?)\s*:?$""",
    re.IGNORECASE | re.VERBOSE,
)
# Counters: `อ่านแล้ว 1,234 ครั้ง`, `ผู้ชม 88`, `1.2K views`.
_COUNTER = re.compile(r"(?:views?|hits?|reads?|อ่าน(?:แล้ว)?|เข้าชม|ผู้ชม|ผู้เข้าชม|วิว)", re.IGNORECASE)

# Embed shortcodes of blog engines: `[fbalbum url=…]`, `[gallery ids=…]`, `[/caption]`.
SHORTCODE = re.compile(r"\[/?[a-z_][\w-]*(?:\s+[^\]\n]*)?\]", re.IGNORECASE)
_SHORTCODE_LINE = re.compile(r"^\s*(?:\[/?[a-z_][\w-]*(?:\s+[^\]\n]*)?\]\s*)+$", re.IGNORECASE)

IMAGE_EXT = r"(?:jpe?g|png|gif|webp|avif|bmp|tiff?)"
_IMAGE_URL = re.compile(r"^(?:!\[[^\]]*\]\()?(https?://\S+?\." + IMAGE_EXT + r"(?:\?\S*)?)\)?$", re.IGNORECASE)
# Photo placeholders left by copy-paste: `5031.jpg`, `messageImage 1549794160544`,
# `S 5881907 S 5881906`, `IMG_2031`, `eye.png`.
_PLACEHOLDER = re.compile(
    r"^(?:[\w\-. ]{0,60}\." + IMAGE_EXT + r"|\w*image\w*\s*\d{6,}|(?:[A-Z]{1,3}[\s_-]?\d{4,}\s*)+|IMG[_-]?\d+)$",
    re.IGNORECASE,
)
_PROSE_END = re.compile(r"[.!?\"”’)]\s*$")
_URL_LINE = re.compile(r"^<?https?://\S+>?$", re.IGNORECASE)

# Credits that belong to the report even though they are short.
CREDIT = re.compile(
    r"^(?:รายงาน|ข่าว|ภาพ|ภาพข่าว|ที่มา|เรียบเรียง|ผู้สื่อข่าว|เขียน|ถ่ายภาพ|บรรณาธิการ\S*|เนื้อหา|แหล่งข่าว|"
    r"source|photo|text|credit)\S*\s*(?::|โดย|by)\s*\S",
    re.IGNORECASE,
)
# A photo caption label standing alone above or below the text (`ภาพหมู่เวที`).
_CAPTION = re.compile(r"^(?:ภาพ|รูป|photo)\S{0,20}$", re.IGNORECASE)
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…)\s*(?:\]|\)|อ่านต่อ.*|read more.*)?$", re.IGNORECASE)


def squash(text: str) -> str:
    """Comparison form of a line: no spaces, quotes or trailing punctuation."""
    text = INVISIBLE.sub("", text)
    return re.sub(r"[\s\"'“”‘’«»「」.…,:;!?|\-–—]+", "", text).casefold()


def thai_count(text: str) -> int:
    return sum(len(r) for r in THAI_RUN.findall(text))


def image_url(line: str) -> str | None:
    """The URL when a line is nothing but a link to an image."""
    m = _IMAGE_URL.match(line.strip())
    return m.group(1) if m else None


def is_chrome(line: str) -> bool:
    """A line that is site furniture wherever it appears."""
    s = INVISIBLE.sub("", line).strip()
    if not s:
        return False
    if _CHROME_LINE.match(s) or _SHORTCODE_LINE.match(s) or _PLACEHOLDER.match(s):
        return True
    if len(s) <= 40 and _COUNTER.search(s) and re.search(r"\d", s):
        return True
    if _URL_LINE.match(s):
        return False     # a plain link is kept: it often points at the photos
    words = s.split()
    if all(w.startswith("#") for w in words):
        return True      # a line of hashtags
    if len(s) <= 80 and all(w in _NAV_WORDS or not THAI.search(w) for w in words):
        return True
    if not THAI.search(s):
        # A line without any Thai in a Thai report is a menu, a widget or an
        # id, unless it is prose: a long sentence of many words.
        return not (len(s) >= 60 and len(words) >= 8 and _PROSE_END.search(s))
    return False


def starts_tail_section(line: str) -> bool:
    return bool(_TAIL_SECTION.match(INVISIBLE.sub("", line).strip()))


def is_caption(line: str) -> bool:
    return bool(_CAPTION.match(line.strip()))


def is_credit(line: str) -> bool:
    return bool(CREDIT.match(line.strip()))


def ends_with_ellipsis(line: str) -> bool:
    return bool(_ELLIPSIS_END.search(line.strip()))


def strip_inline(line: str) -> str:
    """Chrome embedded inside an otherwise real line: shortcodes."""
    if "[" in line:
        line = SHORTCODE.sub("", line)
    return line
