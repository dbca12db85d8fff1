"""Photos sent with a complaint: images only, size-limited, re-encoded, every metadata block dropped.

Pure: bytes in, bytes out, no Flask or database. Re-encoding is what makes a photo safe to keep: the
output is a fresh JPEG built from pixels alone, so EXIF (GPS position, camera serial, owner name),
XMP, IPTC, ICC comments and anything smuggled after the image data are all left behind, and a file
that only pretends to be an image never decodes in the first place.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from app.domain.errors import RuleError

# MPO is a JPEG with more pictures after the first (a depth map, a preview): many phones save
# their photos so, and Pillow names them MPO. The first picture is the photo; the rest are left.
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
_JPEG_FORMATS = frozenset({"JPEG", "MPO"})
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 5 * 1024 * 1024
# Far beyond any phone camera; refuses decompression bombs before their pixels are allocated.
# A JPEG is decoded at a reduced scale (1/2 to 1/8) near the size kept, so its pixels are never
# all held at once.
MAX_PIXELS = 50_000_000
# PNG and WebP decode whole, four bytes a pixel with transparency: 16 million pixels (a 4000 x
# 4000 screenshot) is 64 MB, and a few complaints at once stay within a worker's memory.
MAX_UNSCALED_PIXELS = 16_000_000
# Large enough to read a licence plate or a drain pipe, small enough to keep storage modest.
MAX_SIDE = 2048
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Photo:
    data: bytes
    content_type: str
    width: int
    height: int


def _error(position: int | str, en: str, th: str, code: str) -> RuleError:
    return RuleError(f"Photo {position}: {en}", f"รูปภาพที่ {position}: {th}", code=code, field="photos")


def too_many(count: int | str, limit: int = MAX_PHOTOS) -> RuleError:
    return RuleError(f"Photos: send at most {limit} photos ({count} given).",
                     f"รูปภาพ: แนบได้ไม่เกิน {limit} รูป (แนบมา {count} รูป)", code="too_many_photos", field="photos")


def too_large(position: int | str, max_bytes: int = MAX_PHOTO_BYTES) -> RuleError:
    megabytes = f"{max_bytes / (1024 * 1024):g}"
    return _error(position, f"the file is too large (at most {megabytes} MB).",
                  f"ไฟล์ใหญ่เกินไป (ไม่เกิน {megabytes} MB)", "photo_too_large")


def too_many_pixels(position: int | str, limit: int) -> RuleError:
    millions = f"{limit / 1_000_000:g}"
    return _error(position, f"the picture has too many pixels (at most {millions} million for this kind of file). "
                            "Send a smaller picture.",
                  f"รูปภาพมีจำนวนพิกเซลมากเกินไป (ไฟล์ชนิดนี้ไม่เกิน {millions} ล้านพิกเซล) กรุณาแนบรูปที่เล็กลง",
                  "photo_too_many_pixels")


# The EXIF orientation tag's values and the turn that puts each picture the right way up.
_ORIENTATION_TAG = 0x0112
_TURNS = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
          5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
          8: Image.Transpose.ROTATE_90}


def _orientation(image: Image.Image) -> int | None:
    """The EXIF orientation tag, read without rewriting the EXIF block (Pillow's exif_transpose
    does, and fails on the odd blocks some cameras write). A block that cannot be read leaves
    the picture as it is stored."""
    try:
        return image.getexif().get(_ORIENTATION_TAG)
    except Exception:  # any malformed EXIF: the photo matters more than its turn
        return None


def reencode(data: bytes, position: int = 1, *, max_bytes: int = MAX_PHOTO_BYTES,
             max_pixels: int = MAX_PIXELS, max_unscaled_pixels: int = MAX_UNSCALED_PIXELS,
             max_side: int = MAX_SIDE) -> Photo:
    """A clean JPEG of the image in `data`; RuleError when it is not an acceptable image.

    Memory: a picture is held at full size at most once (twice while an orientation tag turns
    it): it is shrunk in place before its pixels are converted or flattened."""
    if len(data) > max_bytes:
        raise too_large(position, max_bytes)
    if not data:
        raise _error(position, "the file is empty.", "ไฟล์ว่างเปล่า", "photo_empty")
    not_an_image = _error(position, "this file is not a photo. Send a JPEG, PNG or WebP image.",
                          "ไฟล์นี้ไม่ใช่รูปภาพ กรุณาแนบไฟล์ JPEG, PNG หรือ WebP", "not_an_image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in ACCEPTED_FORMATS:
                    raise not_an_image
                width, height = image.size
                # A progressive JPEG keeps every coefficient of the picture while it decodes, at
                # whatever scale: it is held whole, as PNG and WebP are.
                scaled = image.format in _JPEG_FORMATS and not image.info.get("progressive")
                limit = max_pixels if scaled else min(max_pixels, max_unscaled_pixels)
                if width < 1 or height < 1 or width * height > limit:
                    raise too_many_pixels(position, limit)
                orientation = _orientation(image)
                if scaled:
                    # The smallest scale still at least max_side on each side it has.
                    image.draft("RGB", (max_side, max_side))
                image.load()
                # Keep the picture the right way up once the EXIF orientation tag is gone.
                if orientation in _TURNS:
                    image = image.transpose(_TURNS[orientation])
                if image.mode in ("1", "P"):
                    # Palette pixels would be resized by nearest neighbour; one byte a pixel to convert.
                    image = image.convert("RGBA" if "transparency" in image.info else "RGB")
                image.thumbnail((max_side, max_side))
                clean = _flatten(image)
    except RuleError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard, past about 89 million pixels, fires while the file is opened.
        raise too_many_pixels(position, min(max_pixels, max_unscaled_pixels)) from None
    except UnidentifiedImageError:
        raise not_an_image from None
    except (OSError, ValueError, SyntaxError, EOFError):  # truncated or corrupt image data
        raise not_an_image from None
    out = io.BytesIO()
    # No exif=, icc_profile= or comment= arguments: the new file carries pixels only.
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return Photo(out.getvalue(), "image/jpeg", clean.width, clean.height)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels only, transparent areas on white, in a new image with no info dictionary."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    rgb = image.convert("RGB")
    # convert() returns the same object when the mode already matches; copy the pixels into a
    # fresh image so no info (exif, icc_profile, comments) rides along.
    fresh = Image.new("RGB", rgb.size)
    fresh.paste(rgb)
    return fresh
