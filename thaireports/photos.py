"""Is this file a photo we can publish? One answer for the scraper (which
keeps a report's images) and the images plugin (which publishes them).

`open_checked(data)` decodes the whole image with Pillow or raises BadImage
with the reason in English and Thai: empty, damaged or truncated files,
formats other than JPEG/PNG/WebP/GIF, 0 px sides, sides over `max_side`, and
decompression bombs (more pixels than `max_pixels`, Pillow's own limit; its
warning is treated as the error it is)."""
from __future__ import annotations

import io
import struct
import warnings

from PIL import Image, ImageFile, UnidentifiedImageError

# What phones, cameras and web pages deliver; anything else must be converted
# by the contributor (TIFF, BMP and friends are archival or odd formats).
READABLE = {"JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
MAX_SIDE = 16383               # WebP's own limit; 20,000 px photos are mistakes
MAX_PIXELS = 89_478_485        # Pillow's default decompression-bomb limit


class BadImage(Exception):
    """A photo that cannot be published, with the reason in English and Thai."""

    def __init__(self, en: str, th: str):
        super().__init__(en, th)     # both in args: the exception crosses process boundaries
        self.en = en
        self.th = th

    def __str__(self) -> str:
        return self.en


ZERO = ("the image has a side of 0 px; export the photo again",
        "ภาพมีด้านกว้างหรือสูง 0 พิกเซล ให้ส่งออก (export) ภาพใหม่")


def _zero_size(data: bytes) -> bool:
    """Pillow refuses to identify PNG and GIF files that declare a 0 px side;
    read their headers so the contributor gets the real reason."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return w == 0 or h == 0
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        w, h = struct.unpack("<HH", data[6:10])
        return w == 0 or h == 0
    return False


def _bomb(max_pixels: int) -> BadImage:
    return BadImage(f"the image has too many pixels (over {max_pixels:,}: "
                    f"a decompression bomb or a huge scan); resize it to at most 4000 px",
                    f"ภาพมีจำนวนพิกเซลมากเกินไป (เกิน {max_pixels:,} พิกเซล) "
                    f"ให้ย่อภาพให้ไม่เกิน 4000 พิกเซล")


def _damaged(exc: Exception) -> BadImage:
    return BadImage(f"the file is damaged or incomplete ({exc}); copy or export the photo again",
                    "ไฟล์ภาพเสียหรือไม่ครบ (อาจคัดลอกหรือดาวน์โหลดไม่สมบูรณ์) "
                    "ให้คัดลอกหรือส่งออกภาพใหม่")


def open_checked(data: bytes, *, max_side: int = MAX_SIDE, max_pixels: int = MAX_PIXELS,
                 draft: int | None = None) -> Image.Image:
    """The fully decoded image in `data`, or BadImage saying why not.
    `draft`: decode JPEGs at the smallest scale still at least that many
    pixels on each side (several times faster on camera photos)."""
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    if not data:
        raise BadImage("the file is empty (0 bytes); replace it with the real photo",
                       "ไฟล์ว่างเปล่า (0 ไบต์) ให้ใส่ไฟล์ภาพจริงแทน")
    if _zero_size(data):
        raise BadImage(*ZERO)
    Image.MAX_IMAGE_PIXELS = max_pixels
    with warnings.catch_warnings():
        # Pillow only warns between the limit and twice the limit: refuse both.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _bomb(max_pixels) from None
        except UnidentifiedImageError:
            raise BadImage("not an image, or a format this site cannot read; "
                           "save it as JPEG, PNG or WebP",
                           "ไม่ใช่ไฟล์ภาพ หรือเป็นรูปแบบที่เว็บไซต์อ่านไม่ได้ "
                           "ให้บันทึกเป็น JPEG, PNG หรือ WebP") from None
        except Exception as exc:  # Pillow raises many kinds on broken headers
            raise _damaged(exc) from None
        if img.format not in READABLE:
            raise BadImage(f"{img.format} images are not supported; save it as JPEG, PNG or WebP",
                           f"ไม่รองรับภาพแบบ {img.format} ให้บันทึกเป็น JPEG, PNG หรือ WebP")
        w, h = img.size
        if w == 0 or h == 0:
            raise BadImage(*ZERO)
        if max(w, h) > max_side:
            raise BadImage(f"the image is {w}×{h} px; sides over {max_side:,} px are "
                           f"not accepted: resize it to at most 4000 px",
                           f"ภาพขนาด {w}×{h} พิกเซล ยาวเกิน {max_side:,} พิกเซล "
                           f"ให้ย่อภาพให้ไม่เกิน 4000 พิกเซล")
        if draft and img.format in ("JPEG", "MPO"):
            img.draft("RGB", (draft, draft))
        try:
            img.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _bomb(max_pixels) from None
        except Exception as exc:
            raise _damaged(exc) from None
    return img
