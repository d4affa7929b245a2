"""The second plain-text pass (when the generators finish) cleans what other
plugins set after the first one, and passes over what the first pass left,
also in a content object kept between builds."""
from __future__ import annotations

import pickle
import sys

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from support import ROOT

sys.path.insert(0, str(ROOT / "plugins"))
import sanitize  # noqa: E402


def _article():
    meta = {"title": "ประชุม <b>เครือข่าย</b>", "venue": "ศาลากลาง", "source": "https://example.org/a",
            "slug": "2024-04-05-nan-abc123", "lang": "th"}
    article = Article("<p>เนื้อหา</p>", metadata=dict(meta),
                      settings={**DEFAULT_CONFIG, "CACHE_PATH": "/tmp"}, source_path="/c/a.md")
    sanitize.sanitize_content(article)
    return article


def test_a_value_set_after_the_first_pass_is_cleaned(monkeypatch):
    article = _article()
    assert article.title == "ประชุม เครือข่าย"
    article.venue = "<img src=x onerror=alert(1)>หอประชุม"
    sanitize.recheck_articles(type("G", (), {"articles": [article]})())
    assert article.venue == "หอประชุม"


def test_values_the_first_pass_left_are_not_cleaned_again_even_after_pickling(monkeypatch):
    kept = pickle.loads(pickle.dumps(_article()))
    cleaned = []
    monkeypatch.setattr(sanitize, "plain_text", lambda v: cleaned.append(v) or v)
    monkeypatch.setattr(sanitize, "http_url", lambda v: v)
    sanitize._recheck(kept)
    assert cleaned == []
    kept.title = "หัวข้อ<script>x</script>ใหม่"           # another object: checked again
    sanitize._recheck(kept)
    assert cleaned == ["หัวข้อ<script>x</script>ใหม่"]


def test_a_kept_report_rechecked_once_is_passed_over_by_later_builds(monkeypatch):
    article = _article()
    article.venue = "หอประชุม  <i>ใหญ่</i>"                # set by another plugin after the first pass
    sanitize._recheck(article)                                # the pass before Pelican keeps it
    assert article.venue == "หอประชุม ใหญ่"
    kept = pickle.loads(pickle.dumps(article))
    cleaned = []
    monkeypatch.setattr(sanitize, "plain_text", lambda v: cleaned.append(v) or v)
    monkeypatch.setattr(sanitize, "http_url", lambda v: v)
    sanitize._recheck(kept)
    assert cleaned == [] and kept.venue == "หอประชุม ใหญ่"


def test_a_list_changed_in_place_is_cleaned_again():
    article = _article()
    article.venue = ["ศาลากลาง"]
    sanitize._recheck(article)
    article.venue.append("<b>หอประชุม</b>")                # the same list object, new content
    sanitize._recheck(article)
    assert article.venue == ["ศาลากลาง", "หอประชุม"]
