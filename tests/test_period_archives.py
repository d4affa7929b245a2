"""Period archives (year, month and day pages) list exactly the reports, in
exactly the order, Pelican's own method gives them, in one pass."""
from __future__ import annotations

import datetime as dt
import sys
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.generators import ArticlesGenerator

from support import ROOT

sys.path.insert(0, str(ROOT / "plugins"))
import prefetch  # noqa: E402

SETTINGS = {
    "YEAR_ARCHIVE_SAVE_AS": "archive/{date:%Y}/index.html", "YEAR_ARCHIVE_URL": "archive/{date:%Y}/",
    "MONTH_ARCHIVE_SAVE_AS": "archive/{date:%Y}/{date:%m}/index.html",
    "MONTH_ARCHIVE_URL": "archive/{date:%Y}/{date:%m}/",
    "DAY_ARCHIVE_SAVE_AS": "", "DAY_ARCHIVE_URL": "",
}


class Report(SimpleNamespace):
    """A content object as the archives see it: compared by identity."""


def _generator():
    gen = SimpleNamespace()
    gen._build_period_archives = lambda *a: ArticlesGenerator._build_period_archives(gen, *a)
    return gen


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dates(dt.date(2015, 1, 1), dt.date(2018, 12, 31)), max_size=40), st.randoms())
def test_same_archives_as_pelican(days, rnd):
    reports = [Report(date=dt.datetime(d.year, d.month, d.day), n=i) for i, d in enumerate(days)]
    reports += [Report(date=r.date, n=-1) for r in reports[:3]]     # equal dates, other objects
    articles = list(reports)
    rnd.shuffle(articles)
    dates = sorted(articles, key=lambda r: r.date, reverse=True)
    expected = _generator()._build_period_archives(dates, articles, SETTINGS)
    gen = _generator()
    prefetch.period_archives_in_linear_time(gen)
    got = gen._build_period_archives(dates, articles, SETTINGS)
    assert set(got) == set(expected)
    for granularity in expected:
        assert len(got[granularity]) == len(expected[granularity])
        for mine, theirs in zip(got[granularity], expected[granularity]):
            assert {k: v for k, v in mine.items() if k != "articles"} == \
                {k: v for k, v in theirs.items() if k != "articles"}
            assert [id(a) for a in mine["articles"]] == [id(a) for a in theirs["articles"]]
