"""The search index builder (plugins/search/indexer.py) and the index the
Pelican build writes. `lookup` below answers a query from the index files
the way search.js does (same n-grams, same shard hash)."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.search.indexer import (SearchDoc, build_index, decode_set, encode_set, fnv1a,
                                    html_to_text, ngrams, order, query_ngrams)
from support import FIXTURES, build_site
from thaireports.thaitext import search_form


def doc(url, title, text, date="2024-01-01", **facets):
    return SearchDoc(url=url, title=title, date=date, year=int(date[:4]), date_be="",
                     text=text, facets=facets, provinces_th=[], names=[])


def lookup(files: dict[str, str], query: str) -> set[int]:
    """Document ids holding every n-gram of every term of `query`."""
    meta = json.loads(files["meta.json"])
    result = set(range(meta["n"]))
    for term in search_form(query).split(" "):
        for gram in query_ngrams(term):
            shard = json.loads(files[f"s/{fnv1a(gram) % meta['shards']}.json"])
            result &= set(decode_set(shard[gram])) if gram in shard else set()
    return result


DOCS = order([
    doc("a/", "อบรมการป้องกันการทุจริต", "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติจัดอบรม ๒๕๖๗",
        date="2024-04-05", province=["phitsanulok"], agency=["nacc"]),
    doc("b/", "เวทีจังหวัดคุณธรรม", "เครือข่ายชุมชนคุณธรรมร่วมพัฒนาธรรมนูญตำบล ปี 2566",
        date="2023-06-10", province=["chiang-rai"], program=["moral-community"]),
    doc("c/", "Community forum", "The Community Organizations Development Institute (CODI) met in Nan.",
        date="2021-03-03", province=["nan", "chiang-rai"]),
])
LABELS = {"province": {"phitsanulok": ("พิษณุโลก", "Phitsanulok"), "chiang-rai": ("เชียงราย", "Chiang Rai"),
                       "nan": ("น่าน", "Nan")},
          "agency": {"nacc": ("ป.ป.ช.", "NACC")}, "program": {"moral-community": ("จังหวัดคุณธรรม", "Moral")}}


@pytest.fixture(scope="module")
def files():
    return build_index(DOCS, LABELS)


def ids_of(urls):
    return {i for i, d in enumerate(DOCS) if d.url in urls}


@pytest.mark.parametrize("query, urls", [
    ("ทุจริต", {"a/"}),                       # inside การป้องกันการทุจริต and a long agency name
    ("ปราบปราม", {"a/"}),
    ("คุณธรรม", {"b/"}),
    ("ธรรมนูญตำบล", {"b/"}),                  # two words typed as one run
    ("ธรรมนูญ", {"b/"}),
    ("ชุมชนคุณธรรม", {"b/"}),
    ("2567", {"a/"}), ("๒๕๖๗", {"a/"}),       # Thai digits in the text
    ("๒๕๖๖", {"b/"}),                         # Thai digits in the query
    ("codi", {"c/"}), ("COMMUNITY organizations", {"c/"}),
    ("ทุจริต คุณธรรม", set()),                 # several words narrow
    ("ฉ้อโกง", set()),
])
def test_thai_words_inside_longer_runs_are_found(files, query, urls):
    assert lookup(files, query) == ids_of(urls)


def test_ids_are_newest_first_and_docs_carry_display_fields(files):
    meta = json.loads(files["meta.json"])
    assert meta["n"] == 3
    first = json.loads(files["d/0.json"])
    assert first["u"] == "a/" and first["t"] == "อบรมการป้องกันการทุจริต"
    assert json.loads(files["d/2.json"])["u"] == "c/"


def test_facet_sets_and_labels_come_from_the_documents(files):
    facets = json.loads(files["meta.json"])["facets"]
    provinces = {v["k"]: (v["th"], v["en"], set(decode_set(v["s"]))) for v in facets["province"]}
    assert provinces["chiang-rai"] == ("เชียงราย", "Chiang Rai", ids_of({"b/", "c/"}))
    assert provinces["nan"][2] == ids_of({"c/"})
    years = {v["k"]: (v["th"], set(decode_set(v["s"]))) for v in facets["year"]}
    assert years["2024"] == ("2567", ids_of({"a/"}))
    assert [v["k"] for v in facets["year"]] == ["2024", "2023", "2021"]
    assert {v["k"] for v in facets["agency"]} == {"nacc"}


def test_ngrams_never_span_a_space():
    grams = ngrams(search_form("ตำบล สีขาว"))
    assert "ตำบล" in grams and "สีขาว"[:4] in grams
    assert not any(" " in g for g in grams)
    assert "ลสี" not in grams


def test_query_ngrams():
    assert query_ngrams("ก") == []
    assert query_ngrams("ดี") == ["ดี"]
    assert query_ngrams("ทุจริต") == ["ทุจร", "ุจริ", "จริต"]


def test_fnv1a_matches_the_reference_values():
    # The same numbers search.js computes (FNV-1a 32-bit over code points).
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(0, 2999), max_size=400), st.integers(3000, 3100))
def test_document_sets_round_trip(ids, n):
    ids = sorted(ids)
    code = encode_set(ids, n)
    assert decode_set(code) == ids
    assert not code.startswith("!") or len(code) < len(",".join("x" * len(ids)))


def test_dense_sets_are_bitmaps_sparse_ones_lists():
    assert encode_set(list(range(0, 1000)), 1000).startswith("!")
    assert encode_set([5, 900], 1000) == "5,ou"     # deltas minus one, base 36


def test_html_to_text_keeps_paragraphs_apart():
    html = "<p>ย่อหน้าแรก<br>บรรทัดสอง</p><p>ย่อหน้า<b>สอง</b></p><script>x()</script><ul><li>หนึ่ง</li><li>สอง</li></ul>"
    assert html_to_text(html) == "ย่อหน้าแรก\nบรรทัดสอง\nย่อหน้าสอง\nหนึ่ง\nสอง"


@pytest.mark.slow
def test_the_build_writes_the_index_of_report_content_only(tmp_path):
    out = tmp_path / "out"
    build_site(FIXTURES / "search", out)
    index = out / "search" / "index"
    meta = json.loads((index / "meta.json").read_text(encoding="utf-8"))
    assert meta["n"] == 6
    docs = [json.loads((index / "d" / f"{i}.json").read_text(encoding="utf-8")) for i in range(6)]
    assert [d["u"] for d in docs][:2] == ["reports/2024/2024-11-11-bangkok-f6/",
                                        "reports/2024/2024-09-01-songkhla-d4/"]
    assert docs[0]["d"] == "11 พฤศจิกายน 2567" and docs[0]["p"] == ["กรุงเทพมหานคร"]
    # Report text only: no header, menu or footer words of the site.
    for d in docs:
        assert "ข้ามไปยังเนื้อหา" not in d["x"] and "คลังข่าว" not in d["x"]
    assert "<img" in docs[0]["x"]          # literal text from the report, rendered with textContent
    files = {str(p.relative_to(index)): p.read_text(encoding="utf-8") for p in index.rglob("*.json")}
    assert lookup(files, "ทุจริต") == {0, 1, 2}
    assert lookup(files, "ธรรมนูญตำบล") == {4}
    assert (out / "search" / "index.html").exists()
    assert (out / "en" / "search" / "index.html").exists()


def test_numpy_postings_equal_the_plain_python_ones(monkeypatch, tmp_path):
    """encoded_postings in several passes and batches gives exactly the sets
    that collecting ngrams() per report gives."""
    from collections import defaultdict

    from plugins.search import indexer

    texts = [search_form(f"{d.title} {d.text} รายงานที่ {i} ๒๕๖{i % 10}") for i, d in enumerate(DOCS * 7)]
    expected = defaultdict(list)
    for i, text in enumerate(texts):
        for g in ngrams(text):
            expected[g].append(i)
    monkeypatch.setattr(indexer, "PAIRS_PER_PASS", 300)     # several passes through spill files
    monkeypatch.setattr(indexer, "BATCH_CHARS", 200)
    got = indexer.encoded_postings(texts, spill_dir=str(tmp_path))
    assert {g: decode_set(c) for g, c in got.items()} == dict(expected)
    assert got == {g: encode_set(ids, len(texts)) for g, ids in expected.items()}
    assert list(tmp_path.iterdir()) == []                     # spill files removed


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=400).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.tuples(st.sets(st.integers(0, n - 1)), st.lists(st.integers(0, n - 1)),
                       st.lists(st.integers(0, n - 1))), min_size=1, max_size=12))))
def test_small_patches_in_python_equal_the_numpy_patch(case):
    """One edited report patches its n-grams without numpy; a big change
    goes through numpy: both give the strings a fresh build writes."""
    from plugins.search.indexer import _new_codes_numpy, _new_codes_python

    n, rows = case
    grams = [f"g{k}" for k in range(len(rows))]
    olds = [encode_set(sorted(old), n) if old else None for old, _, _ in rows]
    changes = {g: (lost, gained) for g, (_, lost, gained) in zip(grams, rows)}
    expected = []
    for old, lost, gained in rows:
        ids = sorted((set(old) - set(lost)) | set(gained))
        expected.append(encode_set(ids, n) if ids else None)
    assert _new_codes_python(grams, olds, changes, n) == expected
    assert _new_codes_numpy(grams, olds, changes, n) == expected
