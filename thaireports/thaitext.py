"""Thai text helpers shared by the search index, the card images and the
benchmarks: digit normalization, the search comparison form, and word
tokenizing with pythainlp (nlpO3 engine) plus the vocabulary's names.

Tokens are cached on disk by content hash: a report is tokenized once per
distinct text, however often the site is rebuilt."""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from .reportfile import atomic_write
from .thaidates import to_arabic_digits
from .vocabulary import KINDS, load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
# Bump when the tokenizer, its dictionary rules or the normal form change, so
# old cache entries are never read back.
CACHE_VERSION = "1"
# Official names longer than this are compounds ("Office of the Commission for
# the Prevention and Suppression of Corruption in the Public Sector"); as single
# dictionary words they would hide the words inside them and could not wrap.
MAX_DICT_WORD = 20

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")
_cache_dir: Path | None = None
_lock = threading.Lock()


def search_form(text: str) -> str:
    """The form both the search index and the search page compare text in:
    NFC, lower case, Arabic digits, sara am as one character (some typists
    write nikhahit + sara aa), no zero-width characters, single spaces.
    search.js implements the same steps; keep them in step."""
    text = unicodedata.normalize("NFC", text).lower().replace("\u0e4d\u0e32", "\u0e33")
    text = to_arabic_digits(_ZERO_WIDTH.sub("", text))
    return _SPACES.sub(" ", text).strip()


def set_cache_dir(path: str | os.PathLike | None) -> None:
    """Where token caches live (the Pelican plugin points this at Pelican's
    CACHE_PATH); None turns the disk cache off."""
    global _cache_dir
    _cache_dir = Path(path) if path is not None else None


set_cache_dir(os.environ.get("THAITEXT_CACHE") or ROOT / "cache" / "thaitext")


def dictionary_words() -> list[str]:
    """pythainlp's word list plus every vocabulary name that is one unspaced
    Thai run of at most MAX_DICT_WORD characters (province names, short
    agency and program names), so tokenizing keeps them whole."""
    from pythainlp.corpus import thai_words

    vocab = load_vocabulary()
    words = set(thai_words())
    for kind in KINDS:
        for key in vocab.entries(kind):
            for name in vocab.names(kind, key):
                name = unicodedata.normalize("NFC", name.strip())
                if not name or _SPACES.search(name) or not re.search("[\u0e00-\u0e7f]", name):
                    continue
                if len(name) <= MAX_DICT_WORD:
                    words.add(name)
                else:
                    # pythainlp's own list has some of these whole.
                    words.discard(name)
    return sorted(words)


@lru_cache(maxsize=1)
def _dictionary() -> tuple[str, str]:
    """(engine, nlpO3 dictionary name). nlpO3 takes custom words only through
    a dictionary file loaded by name: pythainlp's word_tokenize(engine="nlpo3")
    ignores its custom_dict argument."""
    words = dictionary_words()
    digest = hashlib.sha1("\n".join(words).encode()).hexdigest()[:16]
    try:
        from pythainlp.tokenize import nlpo3

        fd, path = tempfile.mkstemp(prefix="thaireports-dict-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(words))
        name = f"thaireports-{digest}"
        ok = nlpo3.load_dict(path, name)
        os.unlink(path)
        if ok:
            return "nlpo3", name
    except ImportError:
        pass
    return "newmm", digest


@lru_cache(maxsize=1)
def _newmm_trie():
    from pythainlp.util import Trie

    return Trie(dictionary_words())


def _segment(text: str) -> list[str]:
    engine, name = _dictionary()
    if engine == "nlpo3":
        from pythainlp.tokenize import nlpo3

        return nlpo3.segment(text, custom_dict=name)
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(text, engine="newmm", custom_dict=_newmm_trie(), keep_whitespace=True)


def tokenizer_id() -> str:
    engine, name = _dictionary()
    return f"{CACHE_VERSION}-{engine}-{name.rsplit('-', 1)[-1]}"


def _cache_file(text: str) -> Path | None:
    if _cache_dir is None:
        return None
    h = hashlib.blake2b(f"{tokenizer_id()}\0{text}".encode(), digest_size=16).hexdigest()
    return _cache_dir / h[:2] / f"{h}.json"


def tokenize(text: str) -> list[str]:
    """Words of `text` (NFC), whitespace dropped, in order; joined they give
    the text without its whitespace. Cached on disk by content hash."""
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        return []
    path = _cache_file(text)
    if path is not None:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    tokens = [t for t in _segment(text) if t.strip()]
    if path is not None:
        _store(path, tokens)
    return tokens


def _store(path: Path, tokens: list[str]) -> None:
    # Written to a temporary name and renamed, so parallel builds never read
    # half a file.
    try:
        atomic_write(path, json.dumps(tokens, ensure_ascii=False, separators=(",", ":")), fsync=False)
    except OSError:
        pass
