"""The sanitizer's allow-list on its own, payload by payload (fast: no build),
and what it must keep: the HTML a report legitimately uses."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payload_checks import html_findings, text_of
from support import ROOT

sys.path.insert(0, str(ROOT / "plugins"))
from sanitize import policy  # noqa: E402
from sanitize.policy import (  # noqa: E402
    ALLOWED_TAGS, clean_html, http_url, plain_text, safe_url)

PAYLOADS = [line for line in (Path(__file__).parent / "fixtures" / "xss-payloads.txt")
            .read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_inert_after_cleaning(payload):
    cleaned = clean_html(f"<p>ก่อน</p>{payload}<p>หลัง</p>")
    findings = html_findings(f"<html><body>{cleaned}</body></html>", "cleaned")
    assert not findings, f"{payload!r} → {cleaned!r}: {findings}"
    assert "ก่อน" in cleaned
    # Cleaning is stable: cleaning again changes nothing.
    assert clean_html(cleaned) == cleaned


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_metadata_becomes_text_without_tags(payload):
    text = plain_text(f"ชื่อ {payload} ท้าย")
    assert "<" not in text.replace("‹", "") or not any(f"<{t}" in text.lower() for t in ("s", "i", "a"))
    assert not html_findings(f"<html><body><p title=\"x\">{text}</p></body></html>", "meta")
    assert text.startswith("ชื่อ")


def test_report_html_that_must_survive():
    html = """<h2>หัวข้อ</h2><p>ข้อความ <strong>หนา</strong> <em>เอียง</em> <a href="https://www.nacc.go.th/">ป.ป.ช.</a>
<a href="mailto:info@example.org">อีเมล</a> <a href="{filename}/reports/2024/x.md">ภายใน</a> <a href="../x/">สัมพัทธ์</a></p>
<figure><picture><source srcset="/images/a.webp 1x, /images/a@2x.webp 2x" type="image/webp">
<img src="{static}/images/a.jpg" alt="ภาพกิจกรรม" width="800" height="600" loading="lazy" decoding="async"
 srcset="/images/a-400.jpg 400w, /images/a-800.jpg 800w" sizes="(max-width: 600px) 100vw, 800px"></picture>
<figcaption>คำบรรยาย</figcaption></figure>
<ul><li>หนึ่ง</li></ul><ol start="3"><li>สาม</li></ol>
<table><thead><tr><th scope="col">จังหวัด</th></tr></thead><tbody><tr><td colspan="2">พิษณุโลก</td></tr></tbody></table>
<blockquote cite="https://example.org/"><p>คำพูด</p></blockquote>
<p>เชิงอรรถ<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>
<div class="footnote"><ol><li id="fn:1"><p>หมายเหตุ<a class="footnote-backref" href="#fnref:1">↩</a></p></li></ol></div>"""
    cleaned = clean_html(html)
    for kept in ('href="https://www.nacc.go.th/"', 'href="mailto:info@example.org"',
                 'href="{filename}/reports/2024/x.md"', 'href="../x/"', "<picture>", "<source",
                 'srcset="/images/a.webp 1x, /images/a@2x.webp 2x"', 'src="{static}/images/a.jpg"',
                 'alt="ภาพกิจกรรม"', 'width="800"', 'loading="lazy"', 'decoding="async"',
                 'sizes="(max-width: 600px) 100vw, 800px"', "<figcaption>", "<table>", "<th scope=\"col\">",
                 'colspan="2"', "<blockquote", 'start="3"', 'id="fnref:1"', 'class="footnote-ref"',
                 'href="#fn:1"', 'class="footnote"', 'id="fn:1"', "<h2>"):
        assert kept in cleaned, kept
    assert text_of(cleaned).split() == text_of(html).split()


def test_allow_list_is_a_named_constant_without_dangerous_tags():
    assert not ALLOWED_TAGS & {"script", "style", "iframe", "object", "embed", "svg", "math", "form",
                               "base", "meta", "link", "input", "button", "textarea", "template"}


@pytest.mark.parametrize("url,ok", [
    ("https://example.org/a", True), ("http://example.org", True), ("/images/a.jpg", True),
    ("a.jpg", True), ("//cdn.example.org/a.jpg", True), ("mailto:a@example.org", True),
    ("javascript:alert(1)", False), (" JaVaScRiPt:alert(1)", False), ("java\tscript:alert(1)", False),
    ("&#106;avascript:alert(1)", False), ("data:image/svg+xml,<svg/onload=alert(1)>", False),
    ("vbscript:x", False), ("file:///etc/passwd", False), ("", False),
])
def test_safe_url(url, ok):
    assert safe_url(url) is ok


@pytest.mark.parametrize("value,expected", [
    ("https://example.org/news/1", "https://example.org/news/1"),
    ("https://example.org/\"><script>", None), ("javascript:alert(1)", None),
    ("ftp://example.org/", None), ("https://", None), ("seeds/000.txt", None),
])
def test_http_url(value, expected):
    assert http_url(value) == expected


def test_plain_text_keeps_ordinary_punctuation_and_thai():
    assert plain_text("ป.ป.ช. & ป.ป.ท. \"A\" 'B' 5 < 6 > 4") == "ป.ป.ช. & ป.ป.ท. \"A\" 'B' 5 < 6 > 4"
    assert plain_text("ประชุม\u202eevil\u202c  ท้าย\n\nต่อ") == "ประชุมevil ท้าย ต่อ"
    assert plain_text("&lt;script&gt;alert(1)&lt;/script&gt;ข่าว") == "ข่าว"


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet=st.sampled_from(
    list(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u200b\u202e&<>;กขa1")), max_size=12)))
def test_values_left_as_they_are_are_those_cleaning_would_not_change(text):
    """plain_text returns most values untouched without cleaning them: only
    values the full cleaning gives back unchanged."""
    assert plain_text(text) == policy._plain_text(text)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' &;#:javscriptonerlimgsvg()ก-ฮ1\n\t")), max_size=120))
def test_cleaning_arbitrary_markup_never_yields_a_script_or_handler(text):
    cleaned = clean_html(text)
    assert not html_findings(f"<html><body>{cleaned}</body></html>", "cleaned")
    plain = plain_text(text)
    assert not html_findings(f"<html><body><p>{plain}</p></body></html>", "plain")


def test_text_cleaned_at_read_time_is_not_trusted_once_changed_or_from_another_policy():
    import pickle

    import sanitize

    payload = '<p>ข่าว</p><script>alert(1)</script><img src=x onerror="alert(2)">'
    once = sanitize.cleaned(payload)
    assert "<script" not in once and "onerror" not in once and "ข่าว" in once
    # What Pelican's reader cache and the prefetch workers pass on keeps the mark.
    again = pickle.loads(pickle.dumps(once))
    assert type(again) is sanitize.Cleaned and sanitize.cleaned(again) is again
    # Any change gives a plain str: cleaned again.
    changed = again + "<script>alert(3)</script>"
    assert type(changed) is str and "<script" not in sanitize.cleaned(changed)
    # A mark left by an older policy is not trusted.
    stale = sanitize.Cleaned(payload)
    stale.policy = "an-older-policy"
    assert "<script" not in sanitize.cleaned(stale)


def test_every_reader_cleans_what_it_reads(tmp_path):
    from pelican.readers import Readers
    from pelican.settings import DEFAULT_CONFIG

    import sanitize

    report = tmp_path / "r.md"
    report.write_text("Title: t\nSummary: ok <script>alert(1)</script>\n\n"
                      "เนื้อหา <script>alert(2)</script><b>หนา</b>\n", encoding="utf-8")
    readers = Readers(dict(DEFAULT_CONFIG))
    sanitize.clean_on_read(readers)
    reader = readers.reader_classes["md"](dict(DEFAULT_CONFIG))
    assert type(reader).__name__ == "MarkdownReader"
    content, meta = reader.read(str(report))
    assert type(content) is sanitize.Cleaned and "<script" not in content and "<b>หนา</b>" in content
    assert type(meta["summary"]) is sanitize.Cleaned and "<script" not in meta["summary"]
