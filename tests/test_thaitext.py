"""thaireports.thaitext: digits, the search comparison form, and tokenizing
with nlpO3 plus the vocabulary's names, cached on disk by content."""
from __future__ import annotations

import json

import pytest

from thaireports import thaitext


@pytest.fixture
def cache(tmp_path):
    thaitext.set_cache_dir(tmp_path / "tokens")
    yield tmp_path / "tokens"
    thaitext.set_cache_dir(thaitext.ROOT / "cache" / "thaitext")


def test_thai_digits_become_arabic():
    assert thaitext.to_arabic_digits("๕ เมษายน ๒๕๖๗") == "5 เมษายน 2567"
    assert thaitext.to_arabic_digits("2567") == "2567"


def test_search_form_folds_case_digits_spaces_and_zero_width():
    assert thaitext.search_form("  NACC\u200b ป.ป.ช.\n\n ๒๕๖๗ ") == "nacc ป.ป.ช. 2567"
    # Decomposed and composed forms compare equal (sara am written as nikhahit + sara aa).
    assert thaitext.search_form("ตํา") == thaitext.search_form("ตำ")


def test_engine_is_nlpo3_with_our_dictionary():
    engine, name = thaitext._dictionary()
    assert engine == "nlpo3"
    assert name.startswith("thaireports-")


def test_vocabulary_names_stay_whole(cache):
    tokens = thaitext.tokenize("จัดเวทีพัฒนาธรรมนูญตำบลที่จังหวัดพระนครศรีอยุธยาร่วมกับศูนย์คุณธรรม")
    assert "ธรรมนูญตำบล" in tokens
    assert "พระนครศรีอยุธยา" in tokens
    assert "ศูนย์คุณธรรม" in tokens


def test_long_official_names_are_not_dictionary_words():
    # They would hide ทุจริต, ปราบปราม … inside one token and could not wrap.
    words = set(thaitext.dictionary_words())
    assert "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตในภาครัฐ" not in words
    assert "เชียงราย" in words


def test_word_inside_a_longer_run_is_its_own_token(cache):
    tokens = thaitext.tokenize("การป้องกันการทุจริตและต่อต้านคอร์รัปชัน")
    assert "ทุจริต" in tokens
    assert "ต่อต้าน" in tokens


def test_tokens_rejoin_to_the_text_without_whitespace(cache):
    text = "สำนักงาน ป.ป.ช. ประจำจังหวัดพิษณุโลก\nจัดอบรม 120 คน (NACC)"
    tokens = thaitext.tokenize(text)
    assert "".join(tokens) == "".join(text.split())
    assert all(t.strip() == t and t for t in tokens)


def test_tokens_are_cached_by_content_hash(cache, monkeypatch):
    text = "เครือข่ายชุมชนคุณธรรมจังหวัดน่าน"
    first = thaitext.tokenize(text)
    files = list(cache.rglob("*.json"))
    assert len(files) == 1
    assert json.loads(files[0].read_text(encoding="utf-8")) == first

    def boom(_):
        raise AssertionError("tokenized twice")
    monkeypatch.setattr(thaitext, "_segment", boom)
    assert thaitext.tokenize(text) == first          # read back from disk
    with pytest.raises(AssertionError):
        thaitext.tokenize(text + "อีก")               # new content: tokenized


def test_unreadable_cache_entry_is_recomputed(cache):
    text = "ตำบลสีขาว"
    first = thaitext.tokenize(text)
    (entry,) = cache.rglob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert thaitext.tokenize(text) == first


def test_blank_text_has_no_tokens(cache):
    assert thaitext.tokenize("  \n ") == []
