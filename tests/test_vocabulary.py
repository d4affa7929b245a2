"""The vocabulary file: complete, consistent, and its validation errors clear."""
import copy

import pytest
import yaml
from pythainlp.corpus import provinces as pythainlp_provinces

from thaireports.problems import VocabularyError
from thaireports.vocabulary import DEFAULT_PATH, load_vocabulary, parse_vocabulary

REQUIRED_AGENCIES = {"nacc", "pacc", "nhco", "codi", "moral-center", "community-council",
                     "culture-office", "local-government", "provincial-office", "oag", "act",
                     "thaihealth"}
REQUIRED_PROGRAMS = {"community-charter", "white-tambon", "moral-community", "integrity-community",
                     "transparent-local-gov", "good-governance", "strong-club", "ita",
                     "anti-corruption-education", "health-assembly"}


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def test_all_77_provinces_match_pythainlp():
    vocab = load_vocabulary()
    expected = {p["name_en"].lower().replace(" ", "-"): p["name_th"] for p in pythainlp_provinces(details=True)}
    assert len(vocab.provinces) == 77
    assert {k: e.th for k, e in vocab.provinces.items()} == expected


def test_regions_cover_every_province_in_six_regions():
    vocab = load_vocabulary()
    groups = vocab.by_region()
    assert set(groups) == {"north", "northeast", "central", "east", "west", "south"}
    assert {k: len(v) for k, v in groups.items()} == {
        "north": 9, "northeast": 20, "central": 22, "east": 7, "west": 5, "south": 14}
    assert vocab.provinces["chiang-rai"].region == "north"
    assert vocab.provinces["phuket"].region == "south"


def test_required_agency_and_program_keys_exist():
    vocab = load_vocabulary()
    assert REQUIRED_AGENCIES <= set(vocab.agencies)
    assert REQUIRED_PROGRAMS <= set(vocab.programs)


@pytest.mark.parametrize("kind,value,key", [
    ("province", "จ.เชียงราย", "chiang-rai"),
    ("province", "จังหวัดเชียงราย", "chiang-rai"),
    ("province", "เชียงราย", "chiang-rai"),
    ("province", "Chiang Rai", "chiang-rai"),
    ("province", "chiang-rai", "chiang-rai"),
    ("province", "ชร.", "chiang-rai"),
    ("province", "กทม.", "bangkok"),
    ("province", "nong-khai", "nong-khai"),
    ("agency", "ป.ป.ช.", "nacc"),
    ("agency", "ปปช.", "nacc"),
    ("agency", "NACC", "nacc"),
    ("agency", "ป.ป.ท.", "pacc"),
    ("agency", "พอช.", "codi"),
    ("agency", "สช.", "nhco"),
    ("program", "ตำบลสีขาว", "white-tambon"),
    ("program", "ธรรมนูญตำบล", "community-charter"),
])
def test_names_and_aliases_resolve_to_keys(kind, value, key):
    assert load_vocabulary().resolve(kind, value) == key


def test_unknown_value_gets_nearest_suggestion():
    vocab = load_vocabulary()
    assert vocab.resolve("province", "เชียงใหม") is None
    assert vocab.suggest("province", "เชียงใหม").key == "chiang-mai"
    assert vocab.suggest("agency", "ศูนย์คุณธรม").key == "moral-center"


def test_duplicate_alias_across_entries_is_rejected(raw):
    bad = copy.deepcopy(raw)
    bad["provinces"][1]["aliases"].append(bad["provinces"][0]["th"])
    with pytest.raises(VocabularyError, match="belongs to both"):
        parse_vocabulary(bad)


def test_unknown_region_is_rejected(raw):
    bad = copy.deepcopy(raw)
    bad["provinces"][0]["region"] = "middle-earth"
    with pytest.raises(VocabularyError, match="unknown region 'middle-earth'"):
        parse_vocabulary(bad)


def test_missing_name_is_rejected(raw):
    bad = copy.deepcopy(raw)
    del bad["agencies"][0]["en"]
    with pytest.raises(VocabularyError, match="agency 'nacc': missing en name"):
        parse_vocabulary(bad)


def test_bad_key_and_duplicate_key_are_rejected(raw):
    bad = copy.deepcopy(raw)
    bad["programs"][0]["key"] = "Community Charter"
    with pytest.raises(VocabularyError, match="lower-case ASCII"):
        parse_vocabulary(bad)
    bad = copy.deepcopy(raw)
    bad["programs"].append(copy.deepcopy(bad["programs"][0]))
    with pytest.raises(VocabularyError, match="defined twice"):
        parse_vocabulary(bad)


def test_metadata_only_forms_resolve_in_metadata():
    vocab = load_vocabulary()
    assert vocab.resolve("agency", "คสช.") == "nhco"
    assert vocab.resolve("agency", "ทต.") == "local-government"
    assert "คสช." not in vocab.agencies["nhco"].aliases


def test_tagging_flags_are_loaded():
    vocab = load_vocabulary()
    assert "เลย" in vocab.provinces["loei"].context_only
    assert vocab.agencies["provincial-office"].needs_role
    assert not vocab.agencies["nacc"].needs_role
    assert vocab.programs["good-governance"].not_in_unit_names
    assert vocab.programs["good-governance"].subject_only


@pytest.mark.parametrize("kind,field,value,message", [
    ("agencies", "needs_role", "yes", "agency 'nacc': needs_role must be true or false"),
    ("programs", "subject_only", 1, "subject_only must be true or false"),
    ("provinces", "context_only", ["ไม่มีชื่อนี้"], "context_only form.*must be the Thai name or one of the aliases"),
    ("programs", "exclude", "รัฐธรรมนูญ", "exclude must be a list"),
])
def test_tagging_field_errors_are_clear(raw, kind, field, value, message):
    bad = copy.deepcopy(raw)
    bad[kind][0][field] = value
    with pytest.raises(VocabularyError, match=message):
        parse_vocabulary(bad)
