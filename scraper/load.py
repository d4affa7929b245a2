"""Read one input — a text dump, a saved HTML page or a URL — and extract its
record. The only module of the scraper that touches files and the network."""
from __future__ import annotations

import re
from pathlib import Path

from .extract import Hints, extract
from .record import NotAReport, Record, ScraperError
from .text_input import decode, looks_like_html

# The largest real report pages are a few MB; anything far larger is a wrong
# file (a log, a dump, a video) and would only stall the run.
MAX_INPUT_BYTES = 20 * 1024 * 1024
_URL = re.compile(r"^https?://", re.IGNORECASE)


def is_url(spec: str) -> bool:
    return bool(_URL.match(spec))


def _local_images(images: tuple[str, ...], folder: Path) -> tuple[str, ...]:
    """Image references of a saved page, as paths when the file is there."""
    out = []
    for ref in images:
        if is_url(ref) or ref.startswith("data:"):
            out.append(ref)
            continue
        path = (folder / ref.split("?", 1)[0]).resolve()
        if path.is_file():
            out.append(str(path))
    return tuple(out)


def record_from_bytes(data: bytes, source: str, *, declared: str | None = None,
                      base_url: str | None = None, folder: Path | None = None,
                      require_date: bool = True) -> Record:
    if len(data) > MAX_INPUT_BYTES:
        raise NotAReport(_too_large(len(data)))
    decoded = decode(data, declared=declared, name=source)
    text = decoded.text
    hints = None
    if looks_like_html(text, source):
        from .html_input import html_to_text
        text, hints = html_to_text(text, base_url)
        if folder is not None and not base_url:
            hints = Hints(hints.title, hints.published, _local_images(hints.images, folder))
    elif folder is not None:
        hints = Hints(images=_photos_beside(source))
    return extract(text, source, hints=hints, require_date=require_date)


def _too_large(size: int) -> str:
    return (f"is {size / 1048576:.1f} MB, larger than the {MAX_INPUT_BYTES // 1048576} MB limit "
            "for one report")


def _photos_beside(dump: str) -> tuple[str, ...]:
    """Photos saved next to a text dump (`report.txt` → `report/*.jpg`)."""
    try:
        from .images import local_images_next_to
    except ImportError:
        return ()
    return tuple(local_images_next_to(dump))


def load_record(spec: str, *, cache_dir: Path | str | None = None, allow_loopback: bool = False,
                require_date: bool = True) -> Record:
    """The record of a file path or an http(s) URL. Raises ScraperError
    (NotAReport) or the fetcher's FetchError, each with a one-line reason."""
    if is_url(spec):
        from .fetch import fetch
        res = fetch(spec, cache_dir=cache_dir, allow_loopback=allow_loopback)
        return record_from_bytes(res.content, spec, declared=res.encoding_hint, base_url=res.final_url,
                                 require_date=require_date)
    path = Path(spec)
    if not path.exists():
        raise NotAReport("no such file")
    if path.is_dir():
        raise NotAReport("is a folder, not a report file")
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise NotAReport(_too_large(size))
        data = path.read_bytes()
    except OSError as exc:
        raise NotAReport(f"cannot be read ({exc.strerror})") from None
    return record_from_bytes(data, str(path), folder=path.parent, require_date=require_date)


def expand_inputs(specs: list[str]) -> list[str]:
    """Folders stand for the .txt/.html/.htm files inside them, sorted."""
    out: list[str] = []
    for spec in specs:
        p = Path(spec)
        if not is_url(spec) and p.is_dir():
            out += sorted(str(f) for f in p.iterdir()
                          if f.is_file() and f.suffix.lower() in (".txt", ".html", ".htm"))
        else:
            out.append(spec)
    return out


__all__ = ["load_record", "record_from_bytes", "expand_inputs", "is_url", "ScraperError"]
