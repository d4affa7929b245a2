"""Property tests (hypothesis) over the three pieces every report passes
through: the Thai date parser, the tagger, and the Markdown writer — a report
written by render_report and read back by Pelican's own Markdown reader with
the project's settings has the metadata it was written with."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from support import ROOT
from thaireports.reportfile import parse_report, render_report
from thaireports.tagging import Tags, tag_text
from thaireports.thaidates import (
    THAI_MONTHS, find_dates, format_be, format_be_range, parse_date_value)
from thaireports.vocabulary import load_vocabulary

from pythainlp.util.date import thai_abbr_months

VOCAB = load_vocabulary()
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
PROFILE = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2150, 12, 31))
thai = st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B)
any_text = st.text(st.one_of(thai, st.characters(codec="utf-8", exclude_categories=("Cs",))),
                   max_size=300)


# --- dates ------------------------------------------------------------------

@PROFILE
@given(dates)
def test_format_be_then_parse_is_the_same_day(d):
    assert parse_date_value(format_be(d)) == d
    assert parse_date_value(d.isoformat()) == d


@PROFILE
@given(dates)
def test_thai_digits_and_abbreviated_months_parse(d):
    assert parse_date_value(format_be(d).translate(THAI_DIGITS)) == d
    abbr = f"{d.day} {thai_abbr_months[d.month - 1]} {d.year + 543}"
    assert parse_date_value(abbr) == d


@PROFILE
@given(dates, st.integers(min_value=1, max_value=40), st.sampled_from(["วันที่ ", "เมื่อ", "(", "ในวันศุกร์ที่ "]))
def test_a_range_written_in_text_is_found_with_both_ends(d, days, prefix):
    end = d + dt.timedelta(days=days)
    text = f"จัดกิจกรรม {prefix}{format_be_range(d, end)} ณ ศาลากลางจังหวัด"
    found = [m for m in find_dates(text) if m.start]
    assert found and found[0].start == d and found[0].end == end


@PROFILE
@given(any_text)
def test_find_dates_never_crashes_and_spans_are_sane(text):
    for m in find_dates(text):
        assert 0 <= m.pos < m.stop <= len(text)
        assert m.start is None or isinstance(m.start, dt.date)
        assert m.end is None or (m.start and m.end > m.start)
    value = parse_date_value(text)
    assert value is None or isinstance(value, dt.date)


@PROFILE
@given(st.lists(st.sampled_from(list("0123456789๐๑๒๓๔๕๖๗๘๙ -/.,()") + list(THAI_MONTHS[:3]) +
                                ["ม.ค.", "พ.ศ.", "ค.ศ.", "วันที่", "ถึง", "–"]), max_size=30).map("".join))
def test_date_like_noise_never_crashes(text):
    find_dates(text)
    parse_date_value(text)


# --- tagger -----------------------------------------------------------------

VALID = {"provinces": set(VOCAB.provinces), "agencies": set(VOCAB.agencies),
         "programs": set(VOCAB.programs)}
names = st.sampled_from(sorted({n for kind in ("province", "agency", "program")
                                for key in getattr(VOCAB, {"province": "provinces", "agency": "agencies",
                                                           "program": "programs"}[kind])
                                for n in VOCAB.names(kind, key)}))


def _check_tags(tags):
    assert isinstance(tags, Tags)
    for field, valid in VALID.items():
        keys = getattr(tags, field)
        assert isinstance(keys, tuple)
        assert set(keys) <= valid, (field, keys)
        assert len(set(keys)) == len(keys), (field, keys)


@PROFILE
@given(any_text, any_text)
def test_tagger_never_crashes_on_arbitrary_text(title, body):
    _check_tags(tag_text(title, body))


@PROFILE
@given(st.lists(st.one_of(names, st.text(thai, max_size=8), st.sampled_from([" ", "\n", ".", ",", "ณ ", "นาย"])),
                max_size=30), st.lists(names, max_size=3))
def test_tagger_on_vocabulary_soup_returns_only_valid_keys_deterministically(parts, title_parts):
    body, title = "".join(parts), " ".join(title_parts)
    first = tag_text(title, body)
    _check_tags(first)
    assert tag_text(title, body) == first


# --- Markdown writer → Pelican's reader --------------------------------------

@pytest.fixture(scope="module")
def pelican_reader():
    from pelican.readers import MarkdownReader
    from pelican.settings import read_settings

    return MarkdownReader(read_settings(str(ROOT / "pelicanconf.py")))


# Titles and other one-line values: Thai, Latin, punctuation that means
# something to Markdown or to the header format, leading "Title:"-like words.
tricky = st.lists(st.one_of(
    thai, st.sampled_from(list(":,#*_[]()<>&'\"`|!-=+@;/\\ .ๆฯ\t") + ["Title:", "Date:", "\n", "\r\n",
                                                                   "  ", "    ", "---", "\u00a0"]),
    st.characters(min_codepoint=0x41, max_codepoint=0x7A)), min_size=1, max_size=40).map("".join)
plain_summary = st.text(st.one_of(thai, st.sampled_from(list(" ,.:;()-ฯ0123456789")),
                                  st.characters(min_codepoint=0x61, max_codepoint=0x7A)),
                        min_size=1, max_size=120)
bodies = st.lists(st.one_of(
    st.sampled_from(["Title: ชื่อปลอม", "Date: 1999-01-01", "Provinces: bangkok", "Summary: ปลอม",
                     "# หัวข้อ", "- รายการ", "", "    โค้ด", "---", "Fingerprint: 0000"]),
    st.text(thai, min_size=1, max_size=40)), min_size=1, max_size=8).map("\n".join)


def _one_line(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def _read_back(tmp_path, reader, text):
    path = tmp_path / "2024-04-05-phitsanulok-abcdef.md"
    path.write_text(text, encoding="utf-8")
    return reader.read(str(path))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=tricky, venue=tricky, summary=plain_summary, body=bodies, d=dates,
       participants=st.one_of(st.none(), st.integers(min_value=0, max_value=100_000)))
def test_a_written_report_reads_back_through_pelican_with_the_same_metadata(
        pelican_reader, tmp_path, title, venue, summary, body, d, participants):
    assume(_one_line(title) and _one_line(venue) and _one_line(summary))
    meta = {"Title": title, "Date": d.isoformat(), "Provinces": ["phitsanulok", "phetchabun"],
            "Agencies": ["nacc"], "Participants": participants, "Venue": venue,
            "Source": "https://example.org/news?id=1&x=ก", "Summary": summary, "Lang": "th"}
    text = render_report(meta, body, with_fingerprint=True)
    content, got = _read_back(tmp_path, pelican_reader, text)

    assert got["title"] == _one_line(title)
    assert got["venue"] == _one_line(venue)
    assert got["date"].date() == d
    assert got["provinces"] == "phitsanulok, phetchabun"
    assert got["agencies"] == "nacc"
    assert got["source"] == "https://example.org/news?id=1&x=ก"
    if participants is not None:
        assert got["participants"] == str(participants)
    summary_text = re.sub(r"<[^>]+>", "", got["summary"]).strip()
    assert _one_line(summary_text) == _one_line(summary)
    # Nothing in the body became metadata, and the body is all there.
    expected = {"title", "date", "provinces", "agencies", "venue", "source", "summary", "lang",
                "fingerprint"} | ({"participants"} if participants is not None else set())
    assert set(got) - {"slug"} <= expected | {"reader"}, set(got) - expected
    # Our own reader agrees with Pelican's.
    ours = parse_report(text)
    assert ours.get("title") == got["title"] and ours.get("venue") == got["venue"]
    for line in body.splitlines():
        if line.strip().startswith(("Title:", "Date:", "Provinces:")):
            assert line.strip().split(":", 1)[1].strip() in content
