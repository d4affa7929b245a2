"""Loads and validates data/vocabulary.yaml, and resolves names to keys.

This is the only reader of the vocabulary file: the scraper, the plugins, the
check task and the theme all go through `load_vocabulary()`."""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


from . import yamltext
from .problems import VocabularyError

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "vocabulary.yaml"
KINDS = ("province", "agency", "program")
_KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Region:
    key: str
    th: str
    en: str


@dataclass(frozen=True)
class Entry:
    """A province, agency or program. `key` is the slug used in URLs and metadata."""

    kind: str
    key: str
    th: str
    en: str
    aliases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    region: str | None = None
    abbr: str | None = None
    short_th: str | None = None
    short_en: str | None = None
    # How the tagger reads running text (thaireports.tagging):
    metadata_only: tuple[str, ...] = ()   # accepted in metadata, never searched in text
    context_only: tuple[str, ...] = ()    # provinces: names that are also everyday words
    needs_role: bool = False              # agencies: count only when given a role
    not_in_unit_names: bool = False       # not inside an administrative unit's name
    subject_only: bool = False            # programs: only as the report's subject
    province_administration: bool = False  # agencies: `จังหวัดX` acting (organising, partnering) is this body

    @property
    def slug(self) -> str:
        return self.key

    @property
    def label_th(self) -> str:
        return self.short_th or self.th

    @property
    def label_en(self) -> str:
        return self.short_en or self.en


def fold(text: str) -> str:
    """Comparison form of a name: NFC, case-folded, without dots, spaces and
    hyphens, so that `ป.ป.ช.`, `ปปช` and `ป.ป.ช` compare equal."""
    text = unicodedata.normalize("NFC", text).casefold()
    return re.sub(r"[\s.\-–_()]+", "", text)


@dataclass
class Vocabulary:
    regions: dict[str, Region]
    provinces: dict[str, Entry]
    agencies: dict[str, Entry]
    programs: dict[str, Entry]
    _lookup: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    def entries(self, kind: str) -> dict[str, Entry]:
        return {"province": self.provinces, "agency": self.agencies, "program": self.programs}[kind]

    def names(self, kind: str, key: str) -> list[str]:
        """Every form that resolves to `key`: key, names, abbreviations, aliases."""
        e = self.entries(kind)[key]
        forms = [e.key, e.th, e.en, *e.aliases, *e.metadata_only]
        forms += [f for f in (e.abbr, e.short_th, e.short_en) if f]
        return forms

    def resolve(self, kind: str, value: str) -> str | None:
        """The key that `value` names (a key, a Thai or English name or an
        alias, in any case, with or without dots and spaces), or None."""
        return self._lookup[kind].get(fold(value))

    def suggest(self, kind: str, value: str) -> Entry | None:
        """The entry whose name is closest to a value that did not resolve."""
        table = self._lookup[kind]
        close = difflib.get_close_matches(fold(value), list(table), n=1, cutoff=0.5)
        return self.entries(kind)[table[close[0]]] if close else None

    def by_region(self) -> dict[str, list[Entry]]:
        out: dict[str, list[Entry]] = {r: [] for r in self.regions}
        for p in self.provinces.values():
            out[p.region].append(p)
        return out


def _build_lookup(vocab: Vocabulary, path: Path) -> None:
    for kind in KINDS:
        table: dict[str, str] = {}
        for key in vocab.entries(kind):
            for form in vocab.names(kind, key):
                f = fold(form)
                if not f:
                    continue
                other = table.get(f)
                if other is not None and other != key:
                    raise VocabularyError(
                        f"{path}: {kind} alias {form!r} belongs to both {other!r} and {key!r}; "
                        f"keep it on one entry only"
                    )
                table[f] = key
        vocab._lookup[kind] = table


def _entries(kind: str, items, path: Path, regions: dict[str, Region]) -> dict[str, Entry]:
    if not isinstance(items, list) or not items:
        raise VocabularyError(f"{path}: the {kind} list is missing or empty")
    key_field = "slug" if kind == "province" else "key"
    out: dict[str, Entry] = {}
    for i, raw in enumerate(items, 1):
        where = f"{path}: {kind} #{i}"
        if not isinstance(raw, dict):
            raise VocabularyError(f"{where}: expected a mapping, got {raw!r}")
        key = raw.get(key_field)
        if not key or not _KEY_RE.match(str(key)):
            raise VocabularyError(f"{where}: {key_field} {key!r} must be lower-case ASCII words joined by '-'")
        where = f"{path}: {kind} {key!r}"
        for name in ("th", "en"):
            if not str(raw.get(name) or "").strip():
                raise VocabularyError(f"{where}: missing {name} name")
        if key in out:
            raise VocabularyError(f"{where}: {key_field} defined twice")
        region = raw.get("region")
        if kind == "province" and region not in regions:
            raise VocabularyError(f"{where}: unknown region {region!r}; use one of {', '.join(regions)}")
        known = {key_field, "th", "en", "aliases", "exclude", "region", "abbr", "short_th", "short_en",
                 "metadata_only", "context_only", "needs_role", "not_in_unit_names", "subject_only",
                 "province_administration"}
        extra = set(raw) - known
        if extra:
            raise VocabularyError(f"{where}: unknown field(s) {', '.join(sorted(extra))}")
        for flag in ("needs_role", "not_in_unit_names", "subject_only", "province_administration"):
            if flag in raw and not isinstance(raw[flag], bool):
                raise VocabularyError(f"{where}: {flag} must be true or false, got {raw[flag]!r}")
        for name in ("aliases", "exclude", "metadata_only", "context_only"):
            if raw.get(name) is not None and not isinstance(raw[name], list):
                raise VocabularyError(f"{where}: {name} must be a list")
        own = {str(raw["th"]).strip(), *(str(a) for a in raw.get("aliases") or ())}
        stray = [f for f in raw.get("context_only") or () if str(f) not in own]
        if stray:
            raise VocabularyError(f"{where}: context_only form(s) {', '.join(map(str, stray))} "
                                  f"must be the Thai name or one of the aliases")
        out[key] = Entry(
            kind=kind,
            key=key,
            th=str(raw["th"]).strip(),
            en=str(raw["en"]).strip(),
            aliases=tuple(str(a) for a in raw.get("aliases") or ()),
            exclude=tuple(str(a) for a in raw.get("exclude") or ()),
            region=region,
            abbr=raw.get("abbr"),
            short_th=raw.get("short_th"),
            short_en=raw.get("short_en"),
            metadata_only=tuple(str(a) for a in raw.get("metadata_only") or ()),
            context_only=tuple(str(a) for a in raw.get("context_only") or ()),
            needs_role=bool(raw.get("needs_role", False)),
            not_in_unit_names=bool(raw.get("not_in_unit_names", False)),
            subject_only=bool(raw.get("subject_only", False)),
            province_administration=bool(raw.get("province_administration", False)),
        )
    return out


def parse_vocabulary(data: dict, path: Path | str = "<vocabulary>") -> Vocabulary:
    path = Path(path)
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}: expected a mapping at the top level")
    raw_regions = data.get("regions") or {}
    regions = {}
    for key, names in raw_regions.items():
        if not isinstance(names, dict) or not names.get("th") or not names.get("en"):
            raise VocabularyError(f"{path}: region {key!r} needs th and en names")
        regions[key] = Region(key, names["th"], names["en"])
    if not regions:
        raise VocabularyError(f"{path}: no regions defined")
    vocab = Vocabulary(
        regions=regions,
        provinces=_entries("province", data.get("provinces"), path, regions),
        agencies=_entries("agency", data.get("agencies"), path, regions),
        programs=_entries("program", data.get("programs"), path, regions),
    )
    _build_lookup(vocab, path)
    return vocab


def read_vocabulary(path: Path | str) -> Vocabulary:
    path = Path(path)
    try:
        data = yamltext.load(path.read_text(encoding="utf-8"))
    except yamltext.YAMLError as exc:
        raise VocabularyError(f"{path}: not valid YAML: {exc}") from None
    return parse_vocabulary(data, path)


@lru_cache(maxsize=None)
def load_vocabulary(path: str | None = None) -> Vocabulary:
    """The vocabulary, read once per process."""
    return read_vocabulary(path or DEFAULT_PATH)
