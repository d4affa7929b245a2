"""Provinces, agencies and programs named in a Thai report: `tag_text`.

The one tagger of the project: the scraper tags what it extracts with it, and
the facets plugin infers the facets a report's metadata leaves out with it.

Every name searched for comes from the vocabulary (data/vocabulary.yaml); this
module holds only rules of Thai text structure:

* Thai is written without spaces between words, so a name is accepted only where
  the word segmentation (pythainlp, engine nlpo3) puts a word boundary — `แพร่`
  inside `เผยแพร่` or `ขอนแก่น` inside `มหาวิทยาลัยขอนแก่น` is not a province.
* A province name right after a province marker (`จ.`, `จังหวัด`, `อ.เมือง`,
  `ผู้ว่าฯ` …) always counts. Without one it must not be a surname (`ณ ปัตตานี`),
  a given name (`นายสุรินทร์`) or part of an institution's name written in one
  run (`โรงแรมรอยัลภูเก็ตซิตี้`, a temple `วัด…`, a market, a foundation) or the seat of a regional office
  (`เขต 4 (ขอนแก่น)`); names that are also everyday words (vocabulary
  `context_only`, e.g. `เลย`, `ตาก`) count bare only when they stand alone
  between spaces or punctuation. English names count in English sentences, not
  as stray widget text on a Thai page.
* Agencies flagged `needs_role` (governors, local councils) count only when the
  text gives them a role: chairing, opening, speaking, hosting, organising,
  co-signing — not attending, not being the venue.
* Entries flagged `not_in_unit_names` do not count inside the name of an
  administrative unit (`ศูนย์…`, `สำนัก…`, `คณะทำงาน…`); programs flagged
  `subject_only` (ธรรมาภิบาล) count only as the report's subject: named in the
  title or more than once.
* `exclude` phrases of an entry veto the alias they overlap; an agency alias
  inside a program's name (`อปท.` in `อปท.โปร่งใส`) is part of that name.
* `จังหวัดX` opening a phrase and acting (`จังหวัดX ร่วมกับ…`, `ร่วมกับจังหวัดX`,
  `จังหวัดX โดย…`, `จังหวัดX จัดงาน…`) is the province administration: the agency
  flagged `province_administration`. After a place word (`ณ`, `ในพื้นที่`,
  `อำเภอ…`) it only locates the event.
* A body that only sends delegates (`ผู้แทนจาก X … เข้าร่วม`) has no role; the
  bracketed abbreviation after its name is the same mention. The origin of a live
  relay (`ถ่ายทอดสดจากกรุงเทพมหานคร`) is not a place of the event.
* In `A/B` with A's head left out (`ธรรมนูญหมู่บ้าน/ชุมชนสุจริต`), B completes A's
  name when the vocabulary says so, and is not a second program.
* Long names of bodies are matched with one typing error tolerated (`สภาองค์กรชุมช`,
  `สำนักงานวัฒธรรมจังหวัด`), since real pages carry typos.
"""
from __future__ import annotations

import re
import unicodedata
import weakref
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from .vocabulary import Entry, Vocabulary, fold, load_vocabulary

__all__ = ["Tags", "tag_text"]


@dataclass(frozen=True)
class Tags:
    """Vocabulary keys found in a report, each tuple in order of first mention."""

    provinces: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()


# --- Thai text structure -------------------------------------------------------

_THAI_LETTER = re.compile(r"[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e]")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]")

# Words after which a province name is the province itself.
_PROVINCE_MARKERS = (
    "จังหวัด", "จ.", "จว.", "อำเภอเมือง", "อ.เมือง", "ผู้ว่าราชการ", "ผู้ว่าฯ", "ผู้ว่า",
    "ผวจ.", "ป.ป.ช.", "ปปช.", "ป.ป.ช", "ปปช", "อบจ.", "ประจำ", "เมือง",
)
_MARKER_BEFORE = re.compile(
    "(?:" + "|".join(re.escape(m) for m in sorted(_PROVINCE_MARKERS, key=len, reverse=True)) + r")\s?$")

# Personal titles: a name right after one is a person's name, and `ณ X` after a
# person's name is a surname. `นายก…` (mayor, chief executive) is an office.
_PERSON_TITLE = (
    r"(?:นาย(?!ก(?:เทศมนตรี|องค์การ|\s?อบ|รัฐมนตรี|สมาคม|สภา|ฯ)|ทะเบียน)|นางสาว|นาง(?!ฟ้า)"
    r"|คุณ(?!ธรรม|ภาพ|ค่า|สมบัติ|ประโยชน์|วุฒิ|ความดี|งาม|ลักษณะ|านุ)|ว่าที่\s?(?:ร\.|ร้อย|พ\.|พัน)"
    # dotted titles, but not the ศ. of พ.ศ.
    r"|(?<!\.)(?:น\.ส\.|ด\.ช\.|ด\.ญ\.|ดร\.|พล\.|พ\.ต\.|พ\.ท\.|พ\.อ\.|ร\.ต\.|ร\.ท\.|ร\.อ\.|ผศ\.|รศ\.|ศ\."
    r"|นพ\.|พญ\.|ม\.ร\.ว\.|ม\.ล\.))")
_TITLE_BEFORE = re.compile(_PERSON_TITLE + r"$")
# The seat of a regional office in brackets, `ป.ป.ท. เขต 4 (ขอนแก่น)`, names the
# office, not where the event is.
_SEAT_BEFORE = re.compile(r"(?:เขต|ภาค)\s*[0-9๐-๙]+\s*\(\s*(?:จังหวัด|จ\.)?\s*$")
# A live relay from elsewhere (`รับสัญญาณถ่ายทอดสดจากกรุงเทพมหานคร`) names where the
# broadcast comes from, not where the event is.
_RELAY_BEFORE = re.compile(r"ถ่ายทอด(?:สด)?(?:สัญญาณ)?(?:มา)?จาก\s*(?:จังหวัด|จ\.)?\s*$")
_SURNAME_BEFORE = re.compile(r"(?<![\u0e01-\u0e4e])ณ\s?$")

# Heads of institution names: a province word written in one run after one of
# these is part of the institution's name, not the place of the event.
_INSTITUTION_HEADS = re.compile(
    r"(?:(?<!จัง)วัด(?!ผล)|สำนักสงฆ์|มัสยิด|โบสถ์|เรือนจำ|ตลาด|มูลนิธิ|สมาคม|สหกรณ์|ห้าง|ร้าน|โรงแรม|รีสอร์ท|มหาวิทยาลัย|ราชภัฏ|วิทยาลัย|โรงเรียน|โรงพยาบาล|ห้องประชุม|ห้อง|หอประชุม|ธนาคาร"
    r"|ศูนย์การค้า|ศูนย์ประชุม|ศูนย์การประชุม|สนามกีฬา|สนามบิน|ท่าอากาศยาน|สถานี|บริษัท|ค่าย|สโมสร)")

# Heads of administrative unit names (`ศูนย์ปฏิบัติการส่งเสริมธรรมาภิบาล…`).
_UNIT_HEADS = re.compile(r"(?:ศูนย์|สำนัก(?!งาน)|กลุ่มงาน|กองงาน|ฝ่าย|คณะทำงาน|คณะอนุกรรมการ)")

# What an official or a body does in the event (chair, open, speak, host,
# organise, co-sign) versus only taking part.
_ROLE_AFTER = re.compile(
    r"เป็นประธาน|ในฐานะประธาน|ประธานใน|ประธานเปิด|ประธานพิธี|(?<!ดัง)กล่าว|เปิดเผย|เผยว่า|เปิดงาน|เปิดการ|เปิดกิจกรรม"
    r"|เปิดป้าย|เปิดโครงการ|เปิดตัว|ให้การต้อนรับ|บรรยาย|ปาฐกถา|เป็นวิทยากร|ร่วมเสวนา|ชี้แจง"
    r"|จัดงาน|จัดกิจกรรม|จัดประชุม|จัดเวที|จัดโครงการ|จัดพิธี|จัดอบรม|ร่วมกับ|ลงนาม|เป็นเจ้าภาพ"
    r"|มอบ|นำคณะ|นำทีม|นำหัวหน้า|นำข้าราชการ|นำเสนอ|นำกล่าว|ลงพื้นที่|ตรวจเยี่ยม")
_STOP_AFTER = re.compile(
    r"\n|โดยมี|พร้อมด้วย|ร่วมงาน|เข้าร่วม|ร่วมพิธี|ร่วมกิจกรรม|ร่วมประชุม|ร่วมรับฟัง|ร่วมปั่น|ผู้เข้าร่วม|สักขีพยาน"
    r"|(?:และ\s?)?" + _PERSON_TITLE)
_ACTOR_BEFORE = re.compile(r"(?:จัดขึ้นโดย|จัดโดย|ร่วมกับ|(?<=\s)ร่วม(?=\s)|สนับสนุนโดย|ความร่วมมือ(?:ระหว่าง|กับ|จาก)?|โดย(?!มี|เฉพาะ))")
# The official's own name may follow the title: `ผู้ว่าราชการจังหวัดน่าน นายก ข เป็นประธาน`.
# `ผู้แทนจาก X … เข้าร่วม`: a body sending delegates to attend has no role in the event.
_DELEGATE_BEFORE = re.compile(r"(?:ผู้แทน|ตัวแทน)\s?(?:จาก)?\s?$")
_ABBREVIATION_BETWEEN = re.compile(r"\s*\(\s*")
_OWN_NAME_AFTER = re.compile(r"\S*\s*" + _PERSON_TITLE + r"\S+(?:\s\S+)?")
_VENUE_BEFORE = re.compile(r"(?:(?<![\u0e01-\u0e4e])ณ(?![\u0e30-\u0e4e])|(?<![\u0e01-\u0e4e])ที่(?!ปรึกษา|ทำการ)|ห้องประชุม|หอประชุม|ศาลาประชาคม|สนามหน้า|บริเวณ)")
# The province administration itself acting: `จังหวัดX ร่วมกับ…`, `ร่วมกับจังหวัดX`,
# `จังหวัดX โดย…` (the office that carries it out), `จังหวัดX จัดงาน…`. `จังหวัด`
# must open a phrase (not end a body's name, `สำนักงานวัฒนธรรมจังหวัดX`), and not
# follow a place word (`ณ`, `ในพื้นที่`, `อำเภอเมือง`), where it only locates the event.
_ADMIN_ACTOR_BEFORE = re.compile(r"(?:^|[\s(\[\"“'‘:,;|/\-–—]|ร่วมกับ|จัดขึ้นโดย|จัดโดย|สนับสนุนโดย)\s*จังหวัด\s?$")
_ADMIN_PLACE_BEFORE = re.compile(
    r"(?:(?<![\u0e01-\u0e4e])(?:ณ|ของ|ถึง|สู่|ไป|มา)|ที่|ใน|จาก|ทั่ว|แห่ง|อำเภอ\S*|อ\.\S*|ตำบล\S*|ต\.\S*"
    r"|เขต\S*|แขวง\S*|[0-9๐-๙]+)\s*$")
_ADMIN_ACTS_AFTER = re.compile(
    r"\s?(?:ร่วมกับ|โดย(?!มี|เฉพาะ)|จัด(?!โดย|ขึ้น(?:\s?(?:ณ|ที่))|ที่|ทำ)|เป็นเจ้าภาพ|ลงนาม|ขับเคลื่อน|ดำเนินการ)")
_ROLE_AFTER_CHARS = 100
_ROLE_BEFORE_CHARS = 80
_VENUE_BEFORE_CHARS = 40

# An English place name inside an English sentence (`a forum in Chiang Rai`).
_IN_ENGLISH_SENTENCE = re.compile(
    r"(?i:\b(?:in|at|of|from|to|and|across|around|near|for|visited|held|province of),?\s+)$")

# Fuzzy matching only for names long enough that one edit cannot turn them into
# another word.
_FUZZY_MIN_LEN = 12


def _is_thai_letter(ch: str) -> bool:
    return bool(_THAI_LETTER.match(ch))


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # Sara am typed as nikhahit + sara aa; zero-width characters; no-break spaces.
    text = text.replace("\u0e4d\u0e32", "\u0e33").replace("\u0e4d", "")
    text = re.sub(r"[\u200b-\u200d\u2060\ufeff]", "", text)
    return text.replace("\u00a0", " ")


def _segment(text: str) -> set[int]:
    """Offsets where the word segmentation puts a boundary."""
    from pythainlp.tokenize import word_tokenize

    bounds = {0}
    pos = 0
    for tok in word_tokenize(text, engine="nlpo3", keep_whitespace=True):
        pos += len(tok)
        bounds.add(pos)
    return bounds


class _Bounds:
    """Word boundaries of one text, segmented on first need (one call per text)."""

    def __init__(self, text: str):
        self.text = text
        self._set: set[int] | None = None

    def at(self, i: int) -> bool:
        t = self.text
        if i <= 0 or i >= len(t):
            return True
        if not (_is_thai_letter(t[i - 1]) and _is_thai_letter(t[i])):
            return True
        if self._set is None:
            self._set = _segment(t)
        return i in self._set


# --- alias patterns --------------------------------------------------------------

_LATIN_START = r"(?<![A-Za-z0-9])"


def _text_forms(e: Entry) -> list[str]:
    """The names of an entry searched for in running text."""
    return [f for f in (e.th, *e.aliases) if f not in e.metadata_only and " / " not in f]


def _words(alias: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    return [w for w in word_tokenize(alias, engine="nlpo3") if w.strip()]


def _pattern(alias: str) -> str:
    """Regex for an alias as pages write it: dots optional (`ป.ป.ช.` = `ปปช`),
    spaces optional between words (Thai writers space words freely), Latin
    names whole-word, acronyms in capitals, other Latin words in any case."""
    alias = alias.strip()
    if not _THAI_LETTER.search(alias):
        body = r"[\s\-–]*".join(re.escape(w) for w in re.split(r"[\s\-–]+", alias) if w)
        # Acronyms (NACC, ITA, STRONG) only in capitals: `act`, `strong` are words.
        if not alias.isupper():
            body = f"(?i:{body})"
        return rf"{_LATIN_START}{body}(?![A-Za-z0-9])"
    parts: list[str] = []
    for chunk in re.split(r"(\s+)", alias):
        if not chunk or chunk.isspace():
            parts.append(r"\s*")
            continue
        if not _THAI_LETTER.search(chunk):
            # A Latin word next to Thai ones (`ชมรม STRONG`), in any case.
            parts.append(f"(?i:{re.escape(chunk)})")
            continue
        if "." in chunk or len(fold(chunk)) <= 4:
            # An abbreviation: every letter may carry a dot.
            letters = [c for c in chunk if c != "."]
            parts.append(r"\.?\s?".join(re.escape(c) for c in letters) + r"\.?")
        else:
            parts.append(r"\s*".join(re.escape(w) for w in _words(chunk)))
    return "".join(p for p in parts)


def _alternation(forms) -> re.Pattern:
    """One regex for many aliases, longest first, grouped by first letter so
    that the engine tries a handful of branches per position, not hundreds."""
    forms = sorted(set(forms), key=lambda f: (-len(fold(f)), f))
    groups: dict[str, list[str]] = {}
    latin: list[str] = []
    loose: list[str] = []
    for f in forms:
        pat = _pattern(f)
        first = f.strip()[0]
        if _THAI_LETTER.match(first) and pat.startswith(first):
            groups.setdefault(first, []).append(pat[len(first):])
        elif pat.startswith(_LATIN_START):
            latin.append(pat[len(_LATIN_START):])
        else:
            loose.append(pat)
    branches = [f"{c}(?:{'|'.join(rest)})" for c, rest in groups.items()] + [f"(?:{p})" for p in loose]
    if latin:
        branches.append(f"{_LATIN_START}(?=[A-Za-z])(?:{'|'.join(latin)})")
    return re.compile("|".join(branches))


def _trie_regex(words) -> str:
    """Regex matching any of `words` (literals), longest alternative first."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


@dataclass
class _Occurrence:
    key: str
    start: int
    end: int


class _Matcher:
    """Compiled search patterns for one vocabulary."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        # Provinces: Thai names (bare, markers are handled by context), English names.
        self.thai_names: dict[str, str] = {}
        self.context_only: set[str] = set()
        english: dict[str, str] = {}
        for key, e in vocab.provinces.items():
            for form in _text_forms(e):
                if _THAI_LETTER.search(form):
                    name = re.sub(r"^(?:จังหวัด|จ\.)\s*", "", form)
                    self.thai_names[name] = key
                    if name.endswith(".") and len(name) <= 5:
                        self.thai_names[name[:-1]] = key  # กทม. is also written กทม
                else:
                    english[form] = key
            for form in e.context_only:
                self.context_only.add(re.sub(r"^(?:จังหวัด|จ\.)\s*", "", form))
        self.province_re = re.compile(_trie_regex(self.thai_names))
        self.english = english
        self.english_re = _alternation(english) if english else None
        self.kinds = {}
        for kind in ("agency", "program"):
            entries = vocab.entries(kind)
            forms = {}
            for key, e in entries.items():
                for form in _text_forms(e):
                    forms[form] = key
            excludes = {key: _alternation(e.exclude) for key, e in entries.items() if e.exclude}
            fuzzy = []
            # Only bodies' names: one letter turns a program's `สุจริต` into `ทุจริต`.
            for form, key in forms.items() if kind == "agency" else ():
                f = re.sub(r"\s+", "", form)
                if len(f) >= _FUZZY_MIN_LEN and _THAI_LETTER.search(f) and "." not in f:
                    fuzzy.append((f, key))
            self.kinds[kind] = (_alternation(forms), excludes, fuzzy)

    # -- provinces --

    def provinces(self, text: str, bounds: _Bounds) -> list[_Occurrence]:
        found: list[_Occurrence] = []
        for m in self.province_re.finditer(text):
            s, e = m.span()
            name = m.group()
            key = self.thai_names[name]
            before = text[max(0, s - 30):s]
            if _SEAT_BEFORE.search(before) or _RELAY_BEFORE.search(before):
                continue
            if _MARKER_BEFORE.search(before):
                if bounds.at(e) or not _is_thai_letter(text[e:e + 1] or " "):
                    found.append(_Occurrence(key, s, e))
                continue
            if not (bounds.at(s) and bounds.at(e)):
                continue
            if name in self.context_only and not _stands_alone(text, s, e):
                continue
            if _SURNAME_BEFORE.search(before) or _TITLE_BEFORE.search(before):
                continue
            run = re.split(r"\s", before)[-1]
            if _INSTITUTION_HEADS.search(run):
                continue
            found.append(_Occurrence(key, s, e))
        if self.english_re is not None:
            latin = _mostly_latin(text)
            for m in self.english_re.finditer(text):
                line = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
                if not (latin or _IN_ENGLISH_SENTENCE.search(line)):
                    continue  # a bare English place on a Thai page: a widget or menu
                key = self.english.get(m.group()) or self.vocab.resolve("province", m.group())
                if key:
                    found.append(_Occurrence(key, *m.span()))
        return found

    # -- agencies and programs --

    def named(self, kind: str, text: str, bounds: _Bounds) -> list[_Occurrence]:
        alias_re, excludes, fuzzy = self.kinds[kind]
        entries = self.vocab.entries(kind)
        occ: list[_Occurrence] = []
        taken: list[tuple[int, int]] = []
        for m in alias_re.finditer(text):
            s, e = m.span()
            key = self.vocab.resolve(kind, m.group())
            if key is None or not (bounds.at(s) and bounds.at(e)):
                continue
            occ.append(_Occurrence(key, s, e))
            taken.append((s, e))
        occ += _fuzzy(text, fuzzy, taken)
        kept = []
        for o in occ:
            entry: Entry = entries[o.key]
            ex = excludes.get(o.key)
            if ex and any(x.start() < o.end and o.start < x.end() for x in ex.finditer(text, max(0, o.start - 60), o.end + 60)):
                continue
            if entry.not_in_unit_names and _in_unit_name(text, o.start):
                continue
            kept.append(o)
        return kept


def _stands_alone(text: str, s: int, e: int) -> bool:
    left = text[s - 1] if s > 0 else " "
    right = text[e] if e < len(text) else " "
    return not (_is_thai_letter(left) or _LATIN_WORD.match(left)) and not (
        _is_thai_letter(right) or _LATIN_WORD.match(right))


def _mostly_latin(text: str) -> bool:
    thai = len(_THAI_LETTER.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return latin > 4 * thai


def _in_unit_name(text: str, s: int) -> bool:
    run = re.split(r"\s", text[max(0, s - 50):s])[-1]
    return bool(_UNIT_HEADS.search(run))


def _fuzzy(text: str, names, taken) -> list[_Occurrence]:
    """Occurrences of long names with one typing error (insertion, deletion or
    substitution): one half of the name is always intact, so it anchors the search."""
    out = []
    covered = bytearray(len(text) + 2)
    for s, e in taken:
        covered[s:e] = b"\x01" * (e - s)
    for name, key in names:
        n = len(name)
        half = n // 2
        for anchor, offset in ((name[:half], 0), (name[half:], half)):
            i = text.find(anchor)
            while i != -1:
                if not covered[i]:
                    base = i - offset
                    for start in ((base - 1, base, base + 1) if offset else (base,)):
                        hit = next((ln for ln in (n, n - 1, n + 1)
                                    if start >= 0 and covered.find(1, start, start + ln) == -1
                                    and Levenshtein.distance(text[start:start + ln], name, score_cutoff=1) <= 1),
                                   None)
                        if hit:
                            out.append(_Occurrence(key, start, start + hit))
                            covered[start:start + hit] = b"\x01" * hit
                            break
                i = text.find(anchor, i + 1)
    return out


def _has_role(text: str, o: _Occurrence) -> bool:
    """Whether the text gives this mention a role in the event rather than
    naming it as an attendee or as the venue."""
    line_start = text.rfind("\n", 0, o.start) + 1
    near = text[max(line_start, o.start - _VENUE_BEFORE_CHARS):o.start]
    venue = None
    for venue in _VENUE_BEFORE.finditer(near):
        pass
    if venue is not None:
        between = near[venue.end():]
        if not (re.search(_PERSON_TITLE, between) or _ROLE_AFTER.search(between) or _ACTOR_BEFORE.search(between)):
            return False  # the place of the event: `ณ ห้องประชุม เทศบาลตำบล…`
    after = text[o.end:o.end + _ROLE_AFTER_CHARS]
    own = _OWN_NAME_AFTER.match(after)
    if own:
        after = after[own.end():]
    role = _ROLE_AFTER.search(after)
    stop = _STOP_AFTER.search(after)
    if role and (stop is None or role.start() <= stop.start()):
        return True
    before = text[max(line_start, o.start - _ROLE_BEFORE_CHARS):o.start]
    actor = None
    for actor in _ACTOR_BEFORE.finditer(before):
        pass
    if actor is None:
        return False
    between = before[actor.end():]
    if re.search(_PERSON_TITLE, between) or _VENUE_BEFORE.search(between) or _STOP_AFTER.search(between):
        return False
    return True


def _administration_acts(text: str, province: _Occurrence) -> bool:
    """Whether `จังหวัดX` here is the province administration doing something
    (organising, partnering) rather than the place where the event is."""
    line_start = text.rfind("\n", 0, province.start) + 1
    before = text[line_start:province.start]
    head = _ADMIN_ACTOR_BEFORE.search(before)
    if head is None:
        return False
    if re.search(r"(?:ร่วมกับ|โดย)\s*จังหวัด\s?$", before):
        return True
    if _ADMIN_PLACE_BEFORE.search(before[:before.rfind("จังหวัด")].rstrip()):
        return False
    return bool(_ADMIN_ACTS_AFTER.match(text, province.end))


def _shares_head(vocab: Vocabulary, text: str, o: _Occurrence, others: list[_Occurrence]) -> bool:
    """Whether `o` is the second half of `A/B` written with A's head left out:
    `ธรรมนูญหมู่บ้าน/ชุมชนสุจริต` is `ธรรมนูญชุมชนสุจริต`, one charter, not a charter
    and an integrity-community program."""
    slash = re.search(r"/\s*$", text[max(0, o.start - 3):o.start])
    if slash is None:
        return False
    end = o.start - (len(text[max(0, o.start - 3):o.start]) - slash.start())
    name = text[o.start:o.end]
    for p in others:
        if p.end == end and p.key != o.key:
            head = text[p.start:p.end]
            if any(vocab.resolve("program", head[:i] + name) == p.key for i in range(2, len(head))):
                return True
    return False


_MATCHERS: dict[int, tuple[weakref.ref, _Matcher]] = {}


def _matcher(vocab: Vocabulary) -> _Matcher:
    """The compiled patterns of a vocabulary, built once per vocabulary object."""
    hit = _MATCHERS.get(id(vocab))
    if hit is None or hit[0]() is not vocab:
        hit = (weakref.ref(vocab, lambda _, k=id(vocab), cache=_MATCHERS: cache.pop(k, None)), _Matcher(vocab))
        _MATCHERS[id(vocab)] = hit
    return hit[1]


def _ordered(occ: list[_Occurrence]) -> tuple[str, ...]:
    first: dict[str, int] = {}
    for o in occ:
        if o.start < first.get(o.key, 1 << 62):
            first[o.key] = o.start
    return tuple(sorted(first, key=first.__getitem__))


def tag_text(title: str, body: str, vocab: Vocabulary | None = None) -> Tags:
    """The provinces, agencies and programs a report names, as vocabulary keys
    in order of first mention (title first, then body). Pure: no I/O beyond the
    vocabulary, which is loaded once per process."""
    vocab = vocab or load_vocabulary()
    m = _matcher(vocab)
    text = _normalize(f"{title or ''}\n{body or ''}")
    bounds = _Bounds(text)
    programs = m.named("program", text, bounds)
    title_end = len(_normalize(title or ""))
    programs = [p for p in programs if not _shares_head(vocab, text, p, programs)]
    programs = [p for p in programs if not vocab.programs[p.key].subject_only
                or p.start < title_end or sum(q.key == p.key for q in programs) >= 2]
    provinces = m.provinces(text, bounds)
    agencies = []
    for key in (k for k, e in vocab.agencies.items() if e.province_administration):
        agencies += [_Occurrence(key, p.start, p.end) for p in provinces if _administration_acts(text, p)]
    dropped: list[_Occurrence] = []
    for o in sorted(m.named("agency", text, bounds), key=lambda o: o.start):
        if any(p.start <= o.start and o.end <= p.end for p in programs):
            continue  # part of a program's name
        if any(d.key == o.key and _ABBREVIATION_BETWEEN.fullmatch(text, d.end, o.start) for d in dropped):
            continue  # `ผู้แทนจากสำนักงาน… (สช.)`: the bracketed abbreviation is the same mention
        if vocab.agencies[o.key].needs_role or _DELEGATE_BEFORE.search(text, max(0, o.start - 20), o.start):
            if not _has_role(text, o):
                dropped.append(o)
                continue
        agencies.append(o)
    return Tags(
        provinces=_ordered(provinces),
        agencies=_ordered(agencies),
        programs=_ordered(programs),
    )
