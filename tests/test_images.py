"""Report photos: responsive WebP/JPEG variants, metadata stripped, cached
between builds, bad files reported and skipped. One real Pelican build of a
small archive, run twice into the same output and cache."""
from __future__ import annotations

import io
import json
import re
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from support import build_site

SLUG = "2024-04-05-phitsanulok-1afdb7"
OTHER = "2024-05-01-chiang-mai-2bc0aa"
RED, BLUE = (220, 20, 20), (20, 20, 220)
GPS_MARK = b"GPSLatitude"
BAD = {
    # file name -> words its log line must contain
    "truncated.jpg": "damaged or incomplete",
    "not-a-photo.jpg": "not an image",
    "bomb.png": "too many pixels",
    "zero.png": "0 px",
    "long.png": "sides over",
    "scan.tif": "TIFF images are not supported",
    "missing.jpg": "does not exist",
}


def photo(size, *, orientation=None, gps=False, fmt="JPEG", mode="RGB") -> bytes:
    """A test photo: blue with a red block in the top-left corner (as stored),
    optionally with an EXIF orientation tag and GPS position (EXIF and XMP)."""
    img = Image.new(mode, size, BLUE)
    img.paste(RED, (0, 0, size[0] // 4, size[1] // 4))
    kw = {}
    if orientation or gps:
        exif = Image.Exif()
        exif[0x010F] = "TestCam"
        if orientation:
            exif[0x0112] = orientation
        if gps:
            exif[0x8825] = {1: "N", 2: (13.0, 45.0, 12.5), 3: "E", 4: (100.0, 30.0, 1.0)}
        kw["exif"] = exif.tobytes()
    if gps:
        kw["xmp"] = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
                     b'02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
                     b'exif:GPSLatitude="13,45.2N" exif:GPSLongitude="100,30.0E"/></rdf:RDF></x:xmpmeta>')
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


def big_png(size, mode="1") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size).save(buf, "PNG")
    return buf.getvalue()


def write_archive(content: Path) -> None:
    imgs = content / "images" / SLUG
    imgs.mkdir(parents=True)
    (imgs / "camera.jpg").write_bytes(photo((2000, 1500), orientation=6, gps=True))
    (imgs / "mid.png").write_bytes(photo((500, 400), fmt="PNG"))
    (imgs / "tiny.jpg").write_bytes(photo((200, 150)))
    (imgs / "inline.jpg").write_bytes(photo((900, 600), gps=True))
    good = photo((1600, 1200))
    (imgs / "truncated.jpg").write_bytes(good[: len(good) // 2])
    (imgs / "not-a-photo.jpg").write_text("<html>404 Not Found</html>")
    (imgs / "bomb.png").write_bytes(big_png((10000, 10000)))
    (imgs / "zero.png").write_bytes(png_header_only(0, 480))
    (imgs / "long.png").write_bytes(big_png((20000, 20), "RGB"))
    buf = io.BytesIO()
    Image.new("RGB", (300, 200), RED).save(buf, "TIFF")
    (imgs / "scan.tif").write_bytes(buf.getvalue())
    images = ["camera.jpg", f"images/{SLUG}/mid.png", "tiny.jpg", *BAD]
    reports = content / "reports" / "2024"
    reports.mkdir(parents=True)
    (reports / f"{SLUG}.md").write_text(
        "Title: ป.ป.ช.จังหวัดพิษณุโลก จัดกิจกรรมเสริมสร้างเครือข่ายภาคประชาชนต่อต้านการทุจริต\n"
        "Date: 2024-04-05\n"
        "Provinces: phitsanulok\n"
        "Agencies: nacc\n"
        "Programs: \n"
        f"Images: {', '.join(images)}\n"
        "Lang: th\n\n"
        "วันที่ 5 เมษายน 2567 สำนักงาน ป.ป.ช. ประจำจังหวัดพิษณุโลก จัดกิจกรรม\n\n"
        "![ผู้เข้าร่วมกิจกรรมถ่ายภาพร่วมกัน](inline.jpg)\n\n"
        f"[ภาพขนาดเต็ม]({{static}}/images/{SLUG}/inline.jpg)\n\n"
        + "ผู้เข้าร่วมกิจกรรมร่วมกันแลกเปลี่ยนความคิดเห็น " * 20 + "\n\n"
        "![](truncated.jpg)\n\n"
        "ภาพจากเว็บไซต์อื่น ![](https://example.org/x.jpg)\n",
        encoding="utf-8")
    (reports / f"{OTHER}.md").write_text(
        "Title: เชียงใหม่จัดเวทีธรรมนูญตำบล\nDate: 2024-05-01\nProvinces: chiang-mai\n"
        "Agencies: nhco\nPrograms: \nLang: th\n\nเวทีธรรมนูญตำบลที่เชียงใหม่\n", encoding="utf-8")


# The plugin's contract is tested on Pelican's own "simple" theme plus the
# gallery and card tags, with no other plugin: what the project theme does with
# them is the theme's test.
TEST_THEME = """{% extends "!simple/article.html" %}
{% block head %}{{ super() }}<meta property="og:image" content="{{ article.og_image }}">
<meta property="og:image:width" content="{{ article.og_image_width }}">
<meta property="og:image:height" content="{{ article.og_image_height }}">{% endblock %}
{% block content %}<article>{{ article.content|safe }}</article>
<section class="gallery">{% for img in article.gallery %}{{ img.html }}{% endfor %}</section>
{% endblock %}
"""


def build(content: Path, out: Path, **extra):
    theme = content.parent / "theme"
    (theme / "templates").mkdir(parents=True, exist_ok=True)
    (theme / "templates" / "article.html").write_text(TEST_THEME, encoding="utf-8")
    fonts = Path(__file__).resolve().parent.parent / "theme" / "static" / "fonts"
    settings = {"PLUGINS": ["images"], "THEME": str(theme), "IMAGES_CARD_FONT_DIR": str(fonts), **extra}
    return build_site(content, out, extra=settings)


def snapshot(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("images")
    content = base / "content"
    write_archive(content)
    out = base / "output"
    first = build(content, out)
    stats1 = json.loads((base / "output-cache" / "images" / "last-build.json").read_text())
    images1 = snapshot(out / "images")
    second = build(content, out)
    stats2 = json.loads((base / "output-cache" / "images" / "last-build.json").read_text())
    page2 = (out / "reports" / "2024" / SLUG / "index.html").read_text("utf-8")
    images2 = snapshot(out / "images")
    # A contributor replaces one photo with another of the same name.
    (content / "images" / SLUG / "inline.jpg").write_bytes(photo((900, 600), orientation=3))
    build(content, out)
    stats3 = json.loads((base / "output-cache" / "images" / "last-build.json").read_text())
    return {"stats3": stats3, "images3": snapshot(out / "images"), "page2": page2,
            "page3": (out / "reports" / "2024" / SLUG / "index.html").read_text("utf-8"),
            "out": out, "base": base, "log": first.stdout, "log2": second.stdout,
            "stats1": stats1, "stats2": stats2, "images1": images1, "images2": images2,
            "page": page2}


def variants(out: Path) -> dict[tuple[int, int], dict[str, Path]]:
    """Output files of the report's photos grouped by (source key, width)."""
    found: dict = {}
    for p in (out / "images" / SLUG).iterdir():
        m = re.fullmatch(r"([0-9a-f]{12})-(\d+)\.(webp|jpg)", p.name)
        assert m, f"unexpected output file {p.name}"
        found.setdefault(m.group(1), {}).setdefault(int(m.group(2)), {})[m.group(3)] = p
    return found


def by_width_set(out: Path) -> dict[tuple[int, ...], dict[int, dict[str, Path]]]:
    return {tuple(sorted(v)): v for v in variants(out).values()}


def test_variants_have_the_expected_widths_and_formats_and_are_never_upscaled(site):
    groups = by_width_set(site["out"])
    # camera.jpg 2000×1500 turned upright 1500×2000 → 320/640/1280; inline.jpg 900 wide
    # → 320/640/900; mid.png 500 → 320/500; tiny.jpg 200 → 200 only.
    assert set(groups) == {(320, 640, 1280), (320, 640, 900), (320, 500), (200,)}
    ratio = {(320, 640, 1280): 2000 / 1500, (320, 640, 900): 600 / 900,
             (320, 500): 400 / 500, (200,): 150 / 200}
    for widths, files in groups.items():
        for w in widths:
            assert set(files[w]) == {"webp", "jpg"}
            with Image.open(files[w]["webp"]) as im:
                assert im.format == "WEBP"
                assert im.size == (w, round(w * ratio[widths]))
            with Image.open(files[w]["jpg"]) as im:
                assert im.format == "JPEG"
                assert im.size == (w, round(w * ratio[widths]))
    assert max(max(g) for g in groups) == 1280


def test_orientation_is_applied_and_exif_gps_and_xmp_are_gone(site):
    camera = by_width_set(site["out"])[(320, 640, 1280)]
    with Image.open(camera[1280]["jpg"]) as im:
        # Orientation 6 (rotate 90° clockwise): the stored top-left red block
        # is now in the top-right corner, the top-left is blue.
        assert im.size == (1280, round(1280 * 2000 / 1500))
        rgb = im.convert("RGB")
        assert rgb.getpixel((1280 - 20, 20))[0] > 180
        assert rgb.getpixel((20, 20))[2] > 180
    for p in (site["out"] / "images" / SLUG).iterdir():
        data = p.read_bytes()
        assert b"Exif\x00\x00" not in data and GPS_MARK not in data and b"TestCam" not in data, p
        assert b"xmpmeta" not in data, p
        with Image.open(p) as im:
            assert len(im.getexif()) == 0, p
            assert "exif" not in im.info and "xmp" not in im.info, p


def test_originals_with_their_metadata_are_not_published(site):
    out = site["out"]
    assert not (out / "images" / SLUG / "camera.jpg").exists()
    for p in out.rglob("*"):
        if p.is_file() and p.suffix in {".jpg", ".png", ".webp", ".tif"}:
            assert GPS_MARK not in p.read_bytes(), p


def test_report_page_has_responsive_pictures_with_size_lazy_loading_and_alt(site):
    page = site["page"]
    pictures = re.findall(r"<picture>.*?</picture>", page, re.S)
    assert len(pictures) >= 4          # inline photo + 3 gallery photos
    for pic in pictures:
        assert re.search(r'<source type="image/webp" srcset="[^"]+ \d+w"', pic)
        img = re.search(r"<img [^>]+>", pic).group(0)
        for attr in ("src", "srcset", "sizes", "width", "height", "alt"):
            assert re.search(rf'\b{attr}="[^"]+"', img), (attr, img)
        assert 'decoding="async"' in img
        assert re.search(r'loading="(lazy|eager)"', img)
    inline = [p for p in pictures if "ผู้เข้าร่วมกิจกรรมถ่ายภาพร่วมกัน" in p]
    assert len(inline) == 1
    assert 'width="900" height="600"' in inline[0]
    assert 'loading="eager"' in inline[0]       # first photo, right after one sentence
    assert sum('loading="eager"' in p for p in pictures) == 1
    # The camera photo is listed in metadata only: a gallery tile with the title as alt.
    assert any('width="1280" height="1707"' in p and "ป.ป.ช.จังหวัดพิษณุโลก" in p for p in pictures)
    # URLs are relative to the report page in the development build and exist.
    for url in re.findall(r'(?:src|srcset)="([^"]+)"', "".join(pictures)):
        for candidate in url.split(", "):
            path = candidate.split(" ")[0]
            assert path.startswith("../../../images/"), path
            assert (site["out"] / "reports" / "2024" / SLUG / path).resolve().is_file(), path
    # The bad inline photo and the other website's one are dropped.
    assert "truncated.jpg" not in page
    assert "example.org" not in page


def test_a_photo_on_another_website_is_dropped_with_a_warning(site):
    log = log_messages(site["log"])
    report = f"content/reports/2024/{SLUG}.md:"
    assert re.search(rf"{re.escape(report)}\d+: the photo https://example.org/x.jpg is on another website", log)
    assert "ภาพ https://example.org/x.jpg อยู่บนเว็บไซต์อื่น" in log


def log_messages(log: str) -> str:
    """Pelican's console log without its time, level and source columns and
    line wrapping: one space-separated text."""
    lines = []
    for ln in log.splitlines():
        ln = re.sub(r"^\s*(\[\d\d:\d\d:\d\d\])?\s*(DEBUG|INFO|WARNING|ERROR|CRITICAL)?\s", " ", ln)
        ln = re.sub(r"\s+[\w.]+\.py:\d+\s*$", "", ln)
        lines.append(ln.strip())
    return " ".join(lines)


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_bad_image_is_logged_with_file_and_report_and_skipped(site, name):
    messages = re.split(r"(?=content/images/)", log_messages(site["log"]))
    report = f"content/reports/2024/{SLUG}.md:6"        # the Images: line
    mine = [m for m in messages if m.startswith(f"content/images/{SLUG}/{name}: ")]
    assert any(BAD[name] in m and f"(report {report})" in m for m in mine), mine
    assert any(f"(รายงาน {report})" in m for m in mine), mine           # and in Thai
    assert name not in site["page"]


def test_the_build_goes_on_and_counts_what_it_did(site):
    s = site["stats1"]
    assert s["images_processed"] == 4 and s["images_failed"] == len(BAD) - 0
    assert s["cards_rendered"] == 3      # two reports + the default card


def test_second_build_reprocesses_and_rewrites_nothing(site):
    s = site["stats2"]
    assert s["images_processed"] == 0 and s["images_cached"] == 4
    assert s["cards_rendered"] == 0 and s["cards_cached"] == 3
    assert s["files_written"] == 0
    assert site["images2"] == site["images1"]       # same files, same mtimes
    assert len(site["images1"]) == 2 * (3 + 3 + 2 + 1) + 3


def test_each_report_has_its_card_in_og_image_and_index_pages_a_default(site):
    out = site["out"]
    m = re.search(r'<meta property="og:image" content="([^"]+)">', site["page"])
    assert m and m.group(1) == f"/images/cards/{SLUG}.png"
    assert 'og:image:width" content="1200"' in site["page"]
    for name in (f"{SLUG}.png", f"{OTHER}.png", "default.png"):
        with Image.open(out / "images" / "cards" / name) as im:
            assert im.format == "PNG" and im.size == (1200, 630)


def test_a_link_to_an_original_points_at_its_clean_largest_jpeg(site):
    m = re.search(r'<a href="([^"]+)">ภาพขนาดเต็ม</a>', site["page"])
    assert m and re.fullmatch(rf"\.\./\.\./\.\./images/{SLUG}/[0-9a-f]{{12}}-900\.jpg", m.group(1)), m


def test_a_replaced_photo_alone_is_processed_again(site):
    s = site["stats3"]
    assert s["images_processed"] == 1 and s["images_cached"] == 3
    new = set(site["images3"]) - set(site["images2"])
    assert len(new) == 6 and all(f"{SLUG}/" in n for n in new)      # 320/640/900 × webp/jpg
    for name, mtime in site["images2"].items():
        if name in site["images3"]:
            assert site["images3"][name] == mtime, name
    assert site["page3"] != site["page2"]
