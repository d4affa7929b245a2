"""Keep a report's real photos: fetch (or read) each image the page or the
text dump refers to, check it is a photo Pillow can decode, and store it
under content/images/<report-slug>/ named by its content hash.

Icons, spacers and tracking pixels (a side under `min_side`) and anything
that is not an image are left out with a one-line reason in the log; a
failed image never stops the report."""
from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urljoin

from thaireports.photos import READABLE, BadImage, open_checked
from thaireports.reportfile import atomic_write_bytes

logger = logging.getLogger(__name__)

MIN_SIDE = 100                 # smaller is an icon, a bullet or a tracking pixel
MAX_FILE_BYTES = 25 * 2**20    # for local files; the fetcher has its own cap
MAX_IMAGES = 60                # a report is not a photo album dump
_URL = re.compile(r"^https?://", re.I)


def _is_url(value: str | Path | None) -> bool:
    return isinstance(value, str) and bool(_URL.match(value))


def _where(ref: str, base: str | Path | None) -> str | Path | None:
    """An absolute http(s) URL, a local Path, or None (nothing we can fetch)."""
    ref = ref.strip()
    if not ref or ref.startswith(("data:", "blob:", "javascript:")):
        return None
    if _is_url(ref):
        return ref
    if ref.startswith("//"):
        return "https:" + ref
    if _is_url(base):
        return urljoin(base, ref)
    if re.match(r"^[a-z][a-z0-9+.-]*:", ref, re.I) and not re.match(r"^[a-z]:[\\/]", ref, re.I):
        return None            # ftp:, file:, mailto: …
    path = Path(unquote(ref.split("?", 1)[0].split("#", 1)[0]))
    if not path.is_absolute() and base is not None:
        path = Path(base) / path
    return path


def _read(where: str | Path, fetch: Callable | None) -> bytes:
    if isinstance(where, Path):
        size = where.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BadImage(f"the file is {size / 2**20:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB",
                           f"ไฟล์มีขนาด {size / 2**20:.0f} MB เกินขีดจำกัด {MAX_FILE_BYTES // 2**20} MB")
        return where.read_bytes()
    result = fetch(where)
    return result if isinstance(result, (bytes, bytearray)) else result.content


def _write_once(path: Path, data: bytes) -> None:
    """Files are named by their hash: one already there is this very file."""
    if not (path.is_file() and path.stat().st_size == len(data)):
        atomic_write_bytes(path, data)


def store_images(images: list[str], slug: str, content_dir: Path | str, *,
                 base: str | Path | None = None, fetch: Callable | None = None,
                 cache_dir: Path | str | None = None, allow_loopback: bool = False,
                 min_side: int = MIN_SIDE, problems: list[str] | None = None) -> list[str]:
    """Store the photos among `images` (URLs, or paths of local files) in
    `content_dir`/images/`slug`/ and return their paths relative to
    `content_dir` (`images/<slug>/<hash>.jpg`), in order, without duplicates.

    Relative references are resolved against `base`: the page URL, or the
    folder of a text dump. `fetch(url)` returns bytes or an object with
    `.content`; the default is the project's polite fetcher (with
    `cache_dir` and `allow_loopback`). Skipped images are logged, and their
    reasons appended to `problems` when given."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        raise ValueError(f"not a report slug: {slug!r}")
    if fetch is None:
        from .fetch import fetch as polite_fetch

        def fetch(url):
            return polite_fetch(url, cache_dir=cache_dir, allow_loopback=allow_loopback)
    folder = Path(content_dir) / "images" / slug
    stored: list[str] = []
    seen: set[str] = set()

    def skip(ref: str, reason: str) -> None:
        message = f"{ref}: image left out: {reason}"
        logger.warning(message)
        if problems is not None:
            problems.append(message)

    for ref in images:
        where = _where(str(ref), base)
        if where is None or str(where) in seen:
            continue
        seen.add(str(where))
        if len(stored) >= MAX_IMAGES:
            skip(str(ref), f"more than {MAX_IMAGES} images in one report")
            break
        try:
            data = _read(where, fetch)
            img = open_checked(data)
        except BadImage as exc:
            skip(str(ref), exc.en)
            continue
        except OSError as exc:
            skip(str(ref), f"cannot read the file ({exc.strerror or exc})")
            continue
        except Exception as exc:  # the fetcher's FetchError or an injected fetch failing
            skip(str(ref), getattr(exc, "reason", None) or str(exc) or type(exc).__name__)
            continue
        if min(img.size) < min_side:
            skip(str(ref), f"{img.width}×{img.height} px is an icon or spacer, not a photo")
            continue
        name = hashlib.sha256(data).hexdigest()[:16] + READABLE[img.format]
        rel = f"images/{slug}/{name}"
        if rel in stored:
            continue
        _write_once(folder / name, data)
        stored.append(rel)
    return stored


def local_images_next_to(dump: Path | str) -> list[str]:
    """Photos saved beside a text dump: files with an image extension in a
    folder named after the dump (`report.txt` → `report/` or `report_files/`),
    in name order."""
    dump = Path(dump)
    out = []
    for folder in (dump.with_suffix(""), dump.parent / f"{dump.stem}_files"):
        if folder.is_dir():
            out += sorted(str(p) for p in folder.iterdir()
                          if p.suffix.lower() in {".jpg", ".jpeg", ".png", ".webp", ".gif"})
    return out

