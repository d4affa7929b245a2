"""rendercache fingerprints: a report's digest changes with every value a page
could show and with nothing else (not with how the values share objects in
memory, which differs between a report read now and one kept from the last
build), and page keys count every variable a template names."""
from __future__ import annotations

import copy
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import DictLoader, Environment
from markupsafe import Markup
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Author, Category

from support import ROOT

sys.path.insert(0, str(ROOT / "plugins"))
from rendercache import Fingerprints, RenderCacheMixin  # noqa: E402

leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                   st.text(alphabet="กขคabc<>&\0", max_size=8), st.binary(max_size=4))
values = st.recursive(leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.tuples(inner, inner),
    st.dictionaries(st.text(alphabet="xyz", max_size=2), inner, max_size=3)), max_leaves=10)
attrs = st.dictionaries(st.sampled_from(["title", "_content", "venue", "provinces", "metadata",
                                         "participants", "gallery"]), values, max_size=5)


def report(fields: dict) -> Article:
    """A report object with exactly these attributes (what Pelican's cache
    gives back, without a reader)."""
    a = object.__new__(Article)
    a.__dict__.update(fields)
    a.settings = DEFAULT_CONFIG
    return a


def strict(v):
    """A comparison form that tells 1, 1.0 and True, lists and tuples, str
    and Markup apart, as a page may show them differently. Dictionaries in
    their order: a page may loop over one (equal dictionaries in another
    order only cost a render)."""
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, tuple(strict(x) for x in v))
    if isinstance(v, dict):
        return ("dict", tuple((strict(k), strict(x)) for k, x in v.items()))
    return (type(v).__name__, repr(v))


@settings(max_examples=300, deadline=None)
@given(attrs)
def test_equal_values_give_equal_digests_however_they_share_objects(fields):
    shared = {k: v for k, v in fields.items()}
    if fields:
        # One list or string object held by two attributes, as Pelican's
        # metadata and attributes do, against two equal copies.
        first = next(iter(fields))
        shared["echo"] = fields[first]
    copied = copy.deepcopy(shared)
    copied["echo"] = copy.deepcopy(shared.get("echo"))
    if "echo" not in shared:
        del copied["echo"]
    assert Fingerprints().own(report(shared)) == Fingerprints().own(report(copied))


@settings(max_examples=300, deadline=None)
@given(attrs, attrs)
def test_different_values_give_different_digests(a, b):
    def same(x, y):
        return x.keys() == y.keys() and all(strict(x[k]) == strict(y[k]) for k in x)

    assert (Fingerprints().own(report(a)) == Fingerprints().own(report(b))) == same(a, b)


def test_types_a_page_shows_differently_count():
    fp = Fingerprints()
    digests = {fp.own(report({"title": v}))
               for v in ("1", Markup("1"), 1, 1.0, True, [1], (1,), {"1": 1}, b"1", None)}
    assert len(digests) == 10


def test_internal_records_do_not_count_and_settings_do_not():
    base = {"title": "ข่าว", "_content": "<p>ข้อความ</p>"}
    plain = Fingerprints().own(report(base))
    noted = report({**base, "_plain_values": {"title": "ข่าว"}, "_sanitized": "abc",
                    "_facets_check": ("slug", 3)})
    assert Fingerprints().own(noted) == plain
    assert Fingerprints().own(report({**base, "venue": "ศาลากลาง"})) != plain


def test_a_value_that_cannot_be_serialised_makes_the_report_always_render():
    loop: list = []
    loop.append(loop)
    fp = Fingerprints()
    assert fp.own(report({"title": loop})) != Fingerprints().own(report({"title": loop}))


def test_reports_count_by_reference_and_categories_by_their_fields():
    cfg = DEFAULT_CONFIG
    other = report({"source_path": "/c/b.md", "title": "หนึ่ง"})
    changed = report({"source_path": "/c/b.md", "title": "สอง"})
    one = Fingerprints().own(report({"related": [other], "category": Category("reports", cfg)}))
    # The page of a report shows its related reports through `deep`, not
    # through its own digest.
    assert one == Fingerprints().own(report({"related": [changed],
                                             "category": Category("reports", cfg)}))
    assert one != Fingerprints().own(report({"related": [report({"source_path": "/c/c.md"})],
                                             "category": Category("reports", cfg)}))
    assert one != Fingerprints().own(report({"related": [other],
                                             "category": Category("news", cfg)}))
    fp = Fingerprints()
    assert fp.value(Category("reports", cfg)) == fp.value(Category("reports", cfg))
    assert fp.value(Category("reports", cfg)) != fp.value(Author("reports", cfg))
    marked = Category("reports", cfg)
    marked._name = Markup("reports")
    assert fp.value(marked) != fp.value(Category("reports", cfg))
    # Equal plain fields of another type (1 == True) are another category.
    flagged = Category("reports", cfg)
    flagged._slug_from_name = 1
    assert fp.value(flagged) != fp.value(Category("reports", cfg))


def new_keyer(tmp_path):
    """One build's keying, on one template naming `title`, `items` and
    `SITENAME` (not `unused`)."""
    env = Environment(loader=DictLoader({
        "page.html": "{{ SITENAME }} {{ title }} {% for i in items %}{{ i }}{% endfor %}"}))
    writer = RenderCacheMixin(str(tmp_path / "out"),
                              settings={**DEFAULT_CONFIG, "CACHE_PATH": str(tmp_path / "cache")})
    template = env.get_template("page.html")
    return lambda base, diff: writer._key(template, base, diff, b"call")


@pytest.fixture
def keyer(tmp_path):
    return new_keyer(tmp_path)


def test_page_keys_count_every_named_variable_from_base_or_page(keyer):
    base = {"SITENAME": "คลัง", "items": [1, 2], "unused": 1, "title": "ก"}
    key = keyer(base, {"output_file": "a.html"})
    assert key == keyer(dict(base), {"output_file": "a.html"})
    assert key == keyer({**base, "unused": 2}, {"output_file": "a.html"})
    assert key != keyer({**base, "items": [1, 3]}, {"output_file": "a.html"})
    assert key != keyer(base, {"output_file": "b.html"})
    # The part shared through `base` is remembered per base and per set of
    # names the page sets itself: a page overriding a name is not keyed
    # with the shared value.
    assert key != keyer(base, {"output_file": "a.html", "title": "ข"})
    assert keyer(base, {"output_file": "a.html", "title": "ข"}) \
        != keyer(base, {"output_file": "a.html", "title": "ค"})
    assert keyer(base, {"output_file": "a.html", "items": [1, 2]}) \
        != keyer(base, {"output_file": "a.html", "items": [2]})


def test_a_page_keyed_after_one_that_overrides_a_name_still_counts_it(tmp_path):
    """Two builds keying the same two pages in the same order: the second
    page takes `title` from the shared base, which changed between them."""
    keys = []
    for title in ("ก", "ข"):
        key = new_keyer(tmp_path)
        base = {"SITENAME": "คลัง", "items": [], "title": title}
        key(base, {"output_file": "a.html", "title": "ของหน้าเอง"})
        keys.append(key(base, {"output_file": "b.html"}))
    assert keys[0] != keys[1]


def test_write_calls_count_every_plain_keyword_with_its_type(tmp_path):
    def call(**kwargs):
        writer = RenderCacheMixin(str(tmp_path / "out"),
                                  settings={**DEFAULT_CONFIG, "CACHE_PATH": str(tmp_path / "c")})
        return writer._call_digest({"SITENAME": "คลัง"}, kwargs)

    page = call(url="reports/a/", LANG="th", blog=True)
    assert page == call(url="reports/a/", LANG="th", blog=True)
    variants = [call(url="reports/b/", LANG="th", blog=True),
                call(url="reports/a/", LANG="en", blog=True),
                call(url="reports/a/", LANG="th", blog=1),
                call(url="reports/a/", LANG="th", blog="True"),
                call(url=Markup("reports/a/"), LANG="th", blog=True),
                call(url="reports/a/", LANG="th")]
    assert len({page, *variants}) == 1 + len(variants)
    # Reports and other objects passed as keywords count where a template
    # names them (page keys), not here.
    assert call(url="reports/a/", article=report({"title": "ก"})) \
        == call(url="reports/a/", article=report({"title": "ข"}))
