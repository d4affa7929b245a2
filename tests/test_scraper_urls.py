"""URL inputs go through the polite fetcher (tested on its own in
test_fetch.py) and then the same extraction as files."""
import json
import shutil
import subprocess
import sys

from PIL import Image

from support import FIXTURES, ROOT, serve_dir


def test_extract_and_normalize_from_a_local_server(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(FIXTURES / "scraper" / "seed004-windows-874.html", site / "news.html")
    page = (FIXTURES / "scraper" / "utf8-news-page.html").read_text(encoding="utf-8")
    # the article's photo served by the same local server (no request leaves the machine)
    page = page.replace("https://news.example.org/uploads/2023/03/strong-lampang-1.jpg", "photos/strong-1.jpg")
    (site / "lampang.html").write_text(page, encoding="utf-8")
    (site / "photos").mkdir()
    Image.new("RGB", (900, 600), (200, 120, 40)).save(site / "photos" / "strong-1.jpg", quality=80)
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    cache = tmp_path / "cache"
    with serve_dir(site) as base:
        proc = subprocess.run(
            [sys.executable, "-m", "scraper", "extract", f"{base}/news.html", f"{base}/missing.html",
             f"{base}/private/x.html", "--json", "--allow-loopback", "--cache", str(cache)],
            cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 1
        (line,) = proc.stdout.strip().splitlines()
        rec = json.loads(line)
        assert rec["source"] == f"{base}/news.html"
        assert rec["date"] == "2015-05-25" and rec["participants"] == 250
        assert "อปท.โปร่งใส" in rec["title"]
        errors = proc.stderr.strip().splitlines()
        assert any(e.startswith(f"{base}/missing.html: skipped:") and "404" in e for e in errors), errors
        assert any(e.startswith(f"{base}/private/x.html: skipped:") and "robots" in e.lower() for e in errors), errors
        assert "Traceback" not in proc.stderr

        out = tmp_path / "content" / "reports"
        proc = subprocess.run(
            [sys.executable, "-m", "scraper", "normalize", f"{base}/lampang.html", "--out", str(out),
             "--allow-loopback", "--cache", str(cache)], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        (path,) = out.rglob("*.md")
        text = path.read_text(encoding="utf-8")
        assert f"Source: {base}/lampang.html" in text and "Date: 2023-03-15" in text
        (image,) = (tmp_path / "content" / "images").rglob("*.jpg")
        assert image.parent.name == path.stem
        assert f"Images: images/{path.stem}/{image.name}" in text
