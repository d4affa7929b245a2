"""How long the images plugin takes per photo and per social card, cold and
from the cache.

    .venv/bin/python benchmarks/images.py [--photos 6] [--cards 20]

Photos are photo-like test images made here (noise over gradients, which
compress like real photos do): a 12 MP phone photo (4000×3000, 3.5 MB JPEG)
and an 800×600 web photo, the size the synthetic archive uses."""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from PIL import Image, ImageFilter  # noqa: E402

from images import cards, process  # noqa: E402


def photo_like(size: tuple[int, int], seed: int) -> bytes:
    w, h = size
    noise = Image.effect_noise(size, 40 + seed % 20)
    grad = Image.linear_gradient("L").resize(size)
    img = Image.merge("RGB", [noise, grad, grad.transpose(Image.Transpose.FLIP_LEFT_RIGHT)])
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def timed(fn) -> float:
    """CPU seconds of `fn` (this process does all the work): stable when
    other jobs share the machine, unlike wall time."""
    t = time.process_time()
    fn()
    return time.process_time() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--photos", type=int, default=4, help="photos of each size")
    ap.add_argument("--cards", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print(f"{'CPU time, median':34} {'cold ms':>9} {'cached ms':>10}")
        for label, size in (("12 MP phone photo 4000×3000", (4000, 3000)),
                            ("web photo 800×600", (800, 600))):
            cold, warm = [], []
            for i in range(args.photos):
                src = tmp / f"{size[0]}-{i}.jpg"
                src.write_bytes(photo_like(size, i))
                cold.append(timed(lambda: process.process_image(src, tmp / "cache")))
                warm.append(timed(lambda: process.process_image(src, tmp / "cache")))
            print(f"{label:34} {statistics.median(cold) * 1000:9.0f} {statistics.median(warm) * 1000:10.1f}")
        fonts = ROOT / "theme" / "static" / "fonts"
        bold = str(cards.merged_font(cards.theme_fonts(fonts, 700), tmp))
        regular = str(cards.merged_font(cards.theme_fonts(fonts, 400), tmp))
        title = ("สำนักงาน ป.ป.ช. ประจำจังหวัดพิษณุโลก จัดกิจกรรมเสริมสร้างเครือข่ายภาคประชาชน"
                 "ต่อต้านการทุจริต ประจำปีงบประมาณ พ.ศ. 2567 ครั้งที่ {n}")
        cards.render_card(cards.CardText(title, "พิษณุโลก", "5 เมษายน 2567", "คลัง"), bold, regular)
        times = [timed(lambda n=n: cards.render_card(
            cards.CardText(title.format(n=n), "พิษณุโลก, เพชรบูรณ์", "5 เมษายน 2567", "คลังข่าวเครือข่ายสุจริต"),
            bold, regular)) for n in range(args.cards)]
        print(f"{'social card 1200×630 (one core)':34} {statistics.median(times) * 1000:9.0f} {'(file)':>10}")


if __name__ == "__main__":
    main()
