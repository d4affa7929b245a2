"""Reports are listed newest first, same-date reports by slug: the order
Pelican gave them while it still paired translations by slug, which the
settings turn off (slugs are unique, so it never paired anything)."""
from __future__ import annotations

import datetime as dt
import importlib.util
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st
from pelican.utils import order_content, process_translations

from support import ROOT

spec = importlib.util.spec_from_file_location("pelicanconf", ROOT / "pelicanconf.py")
conf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(conf)

BANGKOK = ZoneInfo("Asia/Bangkok")


def report(slug: str, when: dt.datetime):
    return SimpleNamespace(slug=slug, date=when, lang="th", in_default_lang=True, metadata={},
                           source_path=f"/c/{slug}.md", translations=[])


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 2)), min_size=1, max_size=40,
                unique_by=lambda t: t[0]), st.randoms())
def test_same_order_as_pelicans_translation_pairing(items, rnd):
    reports = [report(f"r-{n:02d}", dt.datetime(2024, 1, 1 + day, tzinfo=BANGKOK)) for n, day in items]
    rnd.shuffle(reports)
    theirs, _ = process_translations(list(reports), translation_id="slug")
    theirs = order_content(theirs, "reversed-date")
    mine, translations = process_translations(list(reports), translation_id=conf.ARTICLE_TRANSLATION_ID)
    mine = order_content(mine, conf.ARTICLE_ORDER_BY)
    assert translations == []
    assert [r.slug for r in mine] == [r.slug for r in theirs]
