"""A deterministic synthetic archive for benchmarks: N reports in our Markdown
format, Thai bodies recombined from the fixture reports' sentences.

    python benchmarks/corpus.py 5000 benchmarks/out/corpus-5000

Writes OUT/reports/<year>/<slug>.md and a few small JPEGs under
OUT/images/<slug>/ (referenced through `Images:`). The same N and seed always
give byte-identical files, and report i is the same whatever N is, so the
1,000-report archive is the first 1,000 reports of the 5,000-report one.
Every province, agency and program is used (the first 77 reports already
cover them all). For benchmarks only: never write it into content/.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import re
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from thaireports.reportfile import atomic_write, render_report  # noqa: E402
from thaireports.slugs import report_path, report_slug  # noqa: E402
from thaireports.thaidates import format_be  # noqa: E402
from thaireports.vocabulary import load_vocabulary  # noqa: E402

SHARED = ROOT.parent / "shared"
SOURCES = (SHARED / "seeds", SHARED / "corpus")
FIRST_DAY = dt.date(2010, 1, 1)
LAST_DAY = dt.date(2026, 10, 31)
IMAGES_EVERY = 40          # one report in 40 carries photos
DEFAULT_SEED = 2567

_THAI = re.compile(r"[\u0e00-\u0e7f]")
# Thai separates sentences and clauses with spaces; lines are paragraphs.
_PIECE_SPLIT = re.compile(r"\s*\n\s*|[ \t\u00a0\u200b]{1,}")


@lru_cache(maxsize=1)
def sentences() -> tuple[str, ...]:
    """Thai clauses from the fixture reports, deduplicated, in a stable order.
    Short fragments and lines that are mostly Latin (menus, widgets) are left out."""
    seen: dict[str, None] = {}
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            for piece in _PIECE_SPLIT.split(text):
                piece = piece.strip(" \"“”'")
                thai = len(_THAI.findall(piece))
                if thai >= 12 and thai >= 0.6 * len(piece) and "\ufffd" not in piece:
                    seen.setdefault(piece, None)
    if not seen:
        raise SystemExit(f"no Thai sentences found under {', '.join(map(str, SOURCES))}")
    return tuple(seen)


def _date(rng: random.Random) -> dt.date:
    span = (LAST_DAY - FIRST_DAY).days
    return FIRST_DAY + dt.timedelta(days=rng.randrange(span + 1))


def _paragraph(rng: random.Random, pool: tuple[str, ...], k: int) -> str:
    return " ".join(rng.choice(pool) for _ in range(k))


def make_report(i: int, seed: int = DEFAULT_SEED, vocab=None) -> tuple[dict, str]:
    """Metadata and body of report number i (0-based)."""
    vocab = vocab or load_vocabulary()
    rng = random.Random(f"{seed}:{i}")
    pool = sentences()
    provinces = sorted(vocab.provinces)
    agencies = sorted(vocab.agencies)
    programs = sorted(vocab.programs)

    # Rotating through the vocabulary guarantees every key appears early;
    # the extra picks make the facet sizes uneven, as in a real archive.
    prov = [provinces[i % len(provinces)]]
    if rng.random() < 0.2:
        prov += rng.sample([p for p in provinces if p != prov[0]], rng.randint(1, 2))
    agen = [agencies[i % len(agencies)]]
    if rng.random() < 0.5:
        agen.append(rng.choice([a for a in agencies if a != agen[0]]))
    prog = [programs[i % len(programs)]]
    if rng.random() < 0.3:
        prog.append(rng.choice([p for p in programs if p != prog[0]]))

    p0 = vocab.provinces[prov[0]]
    g0 = vocab.agencies[agen[0]]
    r0 = vocab.programs[prog[0]]
    date = _date(rng)
    title = f"{r0.th.split(' / ')[0]} {rng.choice(pool)[:60]} จังหวัด{p0.th} ครั้งที่ {i + 1}"

    # The body names the report's own province, agency and program (as real
    # reports do), then recombined clauses from the fixtures.
    lead = (f"เมื่อวันที่ {format_be(date)} {g0.label_th} ร่วมกับเครือข่าย"
            f"ในจังหวัด{p0.th} จัดกิจกรรม{r0.th.split(' / ')[0]} {rng.choice(pool)}")
    paras = [lead]
    for _ in range(rng.randint(4, 8)):
        paras.append(_paragraph(rng, pool, rng.randint(4, 9)))
    if rng.random() < 0.25:
        paras.append("\n".join(f"- {rng.choice(pool)}" for _ in range(rng.randint(2, 4))))
    body = "\n\n".join(paras)

    meta = {
        "Title": title,
        "Date": date.isoformat(),
        "Provinces": prov,
        "Agencies": agen,
        "Programs": prog,
        "Venue": f"ห้องประชุมศาลากลางจังหวัด{p0.th}",
        "Source": f"https://www.example.go.th/news/{i + 1}",
        "Summary": rng.choice(pool),
        "Lang": "th",
    }
    if rng.random() < 0.3:
        meta["End_date"] = (date + dt.timedelta(days=rng.randint(1, 3))).isoformat()
    if rng.random() < 0.7:
        meta["Participants"] = str(rng.randrange(20, 600))
    return meta, body


def make_jpeg(rng: random.Random, width: int = 800, height: int = 600) -> bytes:
    """A small photo-like JPEG: a gradient with a few blocks of colour."""
    from PIL import Image, ImageDraw

    c1 = [rng.randrange(256) for _ in range(3)]
    c2 = [rng.randrange(256) for _ in range(3)]
    strip = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / (height - 1)
        strip.putpixel((0, y), tuple(int(a + (b - a) * t) for a, b in zip(c1, c2)))
    img = strip.resize((width, height))
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1, y1 = x0 + rng.randrange(40, 300), y0 + rng.randrange(40, 200)
        draw.rectangle((x0, y0, x1, y1), fill=tuple(rng.randrange(256) for _ in range(3)))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _write_if_changed(path: Path, data: bytes | str) -> None:
    """Leave identical files alone so that re-generating an archive does not
    touch mtimes (caches keyed on them stay warm)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists() and path.read_bytes() == raw:
        return
    if isinstance(data, str):
        atomic_write(path, data)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)


def generate(n: int, out: Path | str, *, seed: int = DEFAULT_SEED,
             images_every: int = IMAGES_EVERY) -> list[Path]:
    """Write the archive; return the report paths. Reports and images left
    over from a larger earlier run in OUT are removed."""
    out = Path(out)
    vocab = load_vocabulary()
    paths: list[Path] = []
    slugs: set[str] = set()
    image_dirs: set[Path] = set()
    for i in range(n):
        meta, body = make_report(i, seed, vocab)
        date = dt.date.fromisoformat(meta["Date"])
        slug = report_slug(date, meta["Provinces"], meta["Title"])
        assert slug not in slugs, f"duplicate slug {slug}"
        slugs.add(slug)
        if images_every and i % images_every == images_every - 1:
            rng = random.Random(f"{seed}:img:{i}")
            names = [f"photo-{k + 1}.jpg" for k in range(rng.randint(1, 3))]
            folder = out / "images" / slug
            for name in names:
                _write_if_changed(folder / name, make_jpeg(rng))
            image_dirs.add(folder)
            meta["Images"] = names
        path = out / "reports" / report_path(date, slug)
        _write_if_changed(path, render_report(meta, body))
        paths.append(path)

    keep = set(paths)
    for old in (out / "reports").rglob("*.md"):
        if old not in keep:
            old.unlink()
    if (out / "images").is_dir():
        for folder in (out / "images").iterdir():
            if folder not in image_dirs:
                for f in folder.iterdir():
                    f.unlink()
                folder.rmdir()
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of reports")
    ap.add_argument("out", type=Path, help="output folder (content root for Pelican)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--images-every", type=int, default=IMAGES_EVERY,
                    help="one report in this many gets photos (0: none)")
    args = ap.parse_args(argv)
    if args.out.resolve().is_relative_to((ROOT / "content").resolve()):
        ap.error("the synthetic archive must not go into content/")
    paths = generate(args.n, args.out, seed=args.seed, images_every=args.images_every)
    print(f"{len(paths)} reports in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
