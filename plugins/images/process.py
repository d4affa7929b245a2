"""Turn one report photo into its responsive variants, once.

Pure apart from the cache folder: `process_image(source, cache_dir, config)`
decodes, validates, applies EXIF orientation, drops every metadata block
(EXIF with GPS, XMP, comments) and writes WebP and JPEG at the configured
widths, never upscaling. The result is stored under the content hash of the
source plus the settings, so an unchanged photo is never decoded again."""
from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PIL import Image, ImageOps

from thaireports.photos import MAX_PIXELS, MAX_SIDE, BadImage, open_checked
from thaireports.reportfile import atomic_write_bytes

# Bump when the output of process_image changes for the same input.
PIPELINE_VERSION = 2

EXTENSIONS = {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp",
              ".heic", ".heif", ".avif", ".jfif", ".ico", ".svg"}
MIME = {"webp": "image/webp", "jpeg": "image/jpeg"}
SUFFIX = {"webp": ".webp", "jpeg": ".jpg"}


@dataclass(frozen=True)
class Config:
    widths: tuple[int, ...] = (320, 640, 1280)
    formats: tuple[str, ...] = ("webp", "jpeg")
    webp_quality: int = 75
    jpeg_quality: int = 80
    max_side: int = MAX_SIDE
    max_pixels: int = MAX_PIXELS
    background: tuple[int, int, int] = (255, 255, 255)

    def digest(self) -> str:
        raw = json.dumps([PIPELINE_VERSION, asdict(self)], sort_keys=True)
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


@dataclass
class Variant:
    width: int
    height: int
    files: dict[str, str] = field(default_factory=dict)   # format -> file name in the cache entry


@dataclass
class Processed:
    key: str
    width: int
    height: int
    variants: list[Variant]

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "Processed":
        d = json.loads(text)
        return cls(key=d["key"], width=d["width"], height=d["height"],
                   variants=[Variant(**v) for v in d["variants"]])


def cache_key(data: bytes, config: Config) -> str:
    return hashlib.sha256(data).hexdigest()[:24] + "-" + config.digest()


def entry_dir(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / key


def load_cached(cache_dir: Path, key: str) -> Processed | None:
    """The cached result for `key` when it is complete, else None."""
    folder = entry_dir(cache_dir, key)
    try:
        result = Processed.from_json((folder / "meta.json").read_text("utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    for v in result.variants:
        for name in v.files.values():
            if not (folder / name).is_file():
                return None
    return result


def target_widths(width: int, config: Config) -> list[int]:
    """The configured widths below the source width, plus the source width
    itself when it falls between them: a 500 px photo gives 320 and 500."""
    out = [w for w in config.widths if w < width]
    if width <= max(config.widths):
        out.append(width)
    else:
        out.append(max(config.widths))
    return sorted(set(out))


def _flatten(img: Image.Image, background: tuple[int, int, int]) -> Image.Image:
    """RGB for JPEG and WebP: transparency goes onto the page background."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        base = Image.new("RGB", rgba.size, background)
        base.paste(rgba, mask=rgba.getchannel("A"))
        return base
    return img.convert("RGB")


def render_variants(img: Image.Image, config: Config) -> tuple[tuple[int, int], list[tuple[int, int, dict[str, bytes]]]]:
    """Encoded variants of a decoded image: ((w, h), [(w, h, {format: bytes})])."""
    # Orientation first: a portrait phone photo is stored sideways plus a tag.
    img = ImageOps.exif_transpose(img)
    img = _flatten(img, config.background)
    # Nothing of the source's metadata travels on: no EXIF (GPS, camera
    # serials), no XMP, no comments.
    img.info = {}
    width, height = img.size
    out = []
    im = img
    # Largest first, each from the one before: a fraction of the work of
    # resizing the full image every time, and no visible difference.
    for w in sorted(target_widths(width, config), reverse=True):
        h = max(1, round(height * w / width))
        if (w, h) != im.size:
            im = im.resize((w, h), Image.Resampling.LANCZOS)
        encoded = {}
        for fmt in config.formats:
            buf = io.BytesIO()
            if fmt == "webp":
                im.save(buf, "WEBP", quality=config.webp_quality, method=4)
            else:
                im.save(buf, "JPEG", quality=config.jpeg_quality, optimize=True, progressive=True)
            encoded[fmt] = buf.getvalue()
        out.append((w, h, encoded))
    return (width, height), out[::-1]


def process_image(source: str | Path, cache_dir: str | Path, config: Config = Config()) -> Processed:
    """Variants of `source` from the cache, or made now and cached.
    Raises BadImage for files that cannot be published."""
    cache_dir = Path(cache_dir)
    try:
        data = Path(source).read_bytes()
    except FileNotFoundError:
        raise BadImage("the file does not exist; check the name (capital letters count) "
                       "and that it is in the report's image folder",
                       "ไม่พบไฟล์นี้ ตรวจชื่อไฟล์ (ตัวพิมพ์เล็ก-ใหญ่ต้องตรงกัน) "
                       "และตรวจว่าอยู่ในโฟลเดอร์ภาพของรายงาน") from None
    except OSError as exc:
        raise BadImage(f"the file cannot be read ({exc.strerror})",
                       f"อ่านไฟล์ไม่ได้ ({exc.strerror})") from None
    key = cache_key(data, config)
    cached = load_cached(cache_dir, key)
    if cached is not None:
        return cached
    img = open_checked(data, max_side=config.max_side, max_pixels=config.max_pixels,
                       draft=max(config.widths))
    (width, height), variants = render_variants(img, config)
    folder = entry_dir(cache_dir, key)
    result = Processed(key=key, width=width, height=height, variants=[])
    for w, h, encoded in variants:
        v = Variant(width=w, height=h)
        for fmt, blob in encoded.items():
            name = f"{w}{SUFFIX[fmt]}"
            atomic_write_bytes(folder / name, blob, fsync=False)
            v.files[fmt] = name
        result.variants.append(v)
    # meta.json last: its presence marks a complete entry.
    atomic_write_bytes(folder / "meta.json", result.to_json().encode("utf-8"), fsync=False)
    return result
