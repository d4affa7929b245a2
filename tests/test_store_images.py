"""The scraper keeps a report's real photos under content/images/<slug>/:
fetched from the page's <img> URLs or read from files beside a text dump,
checked with Pillow, named by content hash."""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from scraper.images import local_images_next_to, store_images
from support import serve_dir

SLUG = "2024-04-05-phitsanulok-1afdb7"
PAGE = "https://news.example.go.th/2567/04/report.html"


def jpeg(size=(640, 480), colour=(30, 120, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "JPEG")
    return buf.getvalue()


def png(size=(400, 300)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buf, "PNG")
    return buf.getvalue()


class FakeFetch:
    """Stands in for scraper.fetch.fetch: bytes per URL, FetchError-like
    failures for unknown ones; records what was asked."""

    def __init__(self, files):
        self.files = files
        self.asked = []

    def __call__(self, url):
        self.asked.append(url)
        if url not in self.files:
            exc = Exception("HTTP 404")
            exc.reason = "HTTP 404 Not Found"
            raise exc
        return type("Result", (), {"content": self.files[url]})()


def test_page_images_are_fetched_resolved_checked_and_named_by_hash(tmp_path):
    photo, other = jpeg(), png()
    fetch = FakeFetch({
        "https://news.example.go.th/uploads/ภาพ กิจกรรม 1.jpg": photo,
        "https://cdn.example.org/p/2.png": other,
        "https://news.example.go.th/uploads/copy-of-1.jpg": photo,          # same photo again
        "https://news.example.go.th/icons/share.png": png((16, 16)),
        "https://news.example.go.th/uploads/broken.jpg": b"<html>Not found</html>",
    })
    problems = []
    stored = store_images(["../../uploads/ภาพ กิจกรรม 1.jpg", "https://cdn.example.org/p/2.png",
                           "/uploads/copy-of-1.jpg", "/icons/share.png", "/uploads/broken.jpg",
                           "/uploads/gone.jpg", "data:image/gif;base64,R0lGOD"],
                          SLUG, tmp_path, base=PAGE, fetch=fetch, problems=problems)
    assert len(stored) == 2
    for rel in stored:
        assert re.fullmatch(rf"images/{SLUG}/[0-9a-f]{{16}}\.(jpg|png)", rel), rel
    assert stored[0].endswith(".jpg") and stored[1].endswith(".png")
    assert (tmp_path / stored[0]).read_bytes() == photo
    assert (tmp_path / stored[1]).read_bytes() == other
    assert "https://news.example.go.th/uploads/ภาพ กิจกรรม 1.jpg" in fetch.asked
    assert not any(u.startswith("data:") for u in fetch.asked)
    reasons = "\n".join(problems)
    assert "share.png: image left out: 16×16 px is an icon" in reasons
    assert "broken.jpg: image left out: not an image" in reasons
    assert "gone.jpg: image left out: HTTP 404" in reasons
    assert sorted(p.name for p in (tmp_path / "images" / SLUG).iterdir()) == sorted(
        r.rsplit("/", 1)[1] for r in stored)


def test_files_beside_a_text_dump_are_kept_and_a_rerun_rewrites_nothing(tmp_path):
    dump = tmp_path / "inbox" / "report-12.txt"
    (tmp_path / "inbox" / "report-12").mkdir(parents=True)
    dump.write_text("รายงาน", encoding="utf-8")
    (dump.with_suffix("") / "a.jpg").write_bytes(jpeg(colour=(1, 2, 3)))
    (dump.with_suffix("") / "b.png").write_bytes(png())
    (dump.with_suffix("") / "notes.txt").write_text("x")
    (dump.with_suffix("") / "c.jpg").write_bytes(jpeg()[:300])      # truncated download
    found = local_images_next_to(dump)
    assert [p.rsplit("/", 1)[1] for p in found] == ["a.jpg", "b.png", "c.jpg"]
    content = tmp_path / "content"
    problems = []
    stored = store_images(found + ["report-12/missing.jpg"], SLUG, content, base=dump.parent,
                          fetch=FakeFetch({}), problems=problems)
    assert len(stored) == 2
    assert any("c.jpg: image left out: the file is damaged" in p for p in problems)
    assert any("missing.jpg: image left out: cannot read the file" in p for p in problems)
    mtimes = {p: p.stat().st_mtime_ns for p in (content / "images" / SLUG).iterdir()}
    assert store_images(found, SLUG, content, base=dump.parent, fetch=FakeFetch({})) == stored
    assert {p: p.stat().st_mtime_ns for p in (content / "images" / SLUG).iterdir()} == mtimes


def test_a_bad_slug_is_refused(tmp_path):
    with pytest.raises(ValueError):
        store_images([], "../../etc", tmp_path)


def test_default_fetcher_against_a_local_server(tmp_path):
    site = tmp_path / "site"
    (site / "img").mkdir(parents=True)
    (site / "img" / "p.jpg").write_bytes(jpeg((800, 600)))
    with serve_dir(site) as url:
        stored = store_images(["/img/p.jpg"], SLUG, tmp_path / "content", base=f"{url}/news/1.html",
                              cache_dir=tmp_path / "fetch-cache", allow_loopback=True)
    assert len(stored) == 1
    with Image.open(tmp_path / "content" / stored[0]) as im:
        assert im.size == (800, 600)
