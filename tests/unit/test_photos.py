"""Photos are re-encoded from pixels alone: no EXIF, no GPS, nothing that is not an image."""
import io

import pytest
from PIL import Image

from app.domain.errors import RuleError
from app.domain.photos import MAX_PHOTOS, reencode, too_many

GPS_IFD = 0x8825


def jpeg_with_gps(size=(640, 480)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"           # Make
    exif[0x013B] = "สมชาย ใจดี"            # Artist: a person's name
    exif[0x0112] = 6                       # Orientation: rotate 90° to display
    exif[GPS_IFD] = {1: "N", 2: (13.0, 45.0, 30.0), 3: "E", 4: (100.0, 30.0, 5.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"taken at home")
    return out.getvalue()


def test_the_test_photo_really_carries_gps():
    with Image.open(io.BytesIO(jpeg_with_gps())) as image:
        assert image.getexif().get_ifd(GPS_IFD)


def test_reencoding_drops_exif_gps_and_comments_and_keeps_it_upright():
    photo = reencode(jpeg_with_gps())
    assert photo.content_type == "image/jpeg"
    assert b"Exif" not in photo.data[:4096] and b"PhoneMaker" not in photo.data
    assert "สมชาย".encode() not in photo.data and b"taken at home" not in photo.data
    with Image.open(io.BytesIO(photo.data)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert not image.getexif().get_ifd(GPS_IFD)
        assert "exif" not in image.info and "comment" not in image.info
        assert image.size == (480, 640)  # turned by the orientation tag, which is gone


def test_large_photos_are_scaled_down():
    photo = reencode(jpeg_with_gps((2600, 1200)), max_side=2048)
    assert max(photo.width, photo.height) == 2048


def test_a_phone_photo_with_more_pictures_after_it_is_kept_as_its_first():
    """Many phones save a JPEG with a depth map or a preview after the photo (Multi-Picture
    Format), which Pillow names MPO: the photo is the first picture, and only it is kept."""
    photo_part = Image.new("RGB", (3000, 2000), (200, 10, 10))
    out = io.BytesIO()
    photo_part.save(out, format="MPO", save_all=True, append_images=[Image.new("RGB", (300, 200), (0, 0, 200))])
    with Image.open(io.BytesIO(out.getvalue())) as sent:
        assert sent.format == "MPO" and sent.n_frames == 2
    photo = reencode(out.getvalue())
    assert (photo.width, photo.height) == (2048, 1365)
    with Image.open(io.BytesIO(photo.data)) as image:
        assert image.format == "JPEG" and getattr(image, "n_frames", 1) == 1
        assert image.getpixel((10, 10))[0] > 180  # the red photo, not the blue second picture


def test_transparent_png_is_flattened_onto_white():
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, format="PNG")
    photo = reencode(out.getvalue())
    with Image.open(io.BytesIO(photo.data)) as image:
        assert image.mode == "RGB" and image.getpixel((5, 5))[0] > 240


def gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="GIF")
    return out.getvalue()


@pytest.mark.parametrize("data, code", [
    (b"MZ\x90\x00 this is a program, not a photo", "not_an_image"),
    (b"<script>alert(1)</script>", "not_an_image"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "not_an_image"),   # a JPEG header and nothing else
    (gif_bytes(), "not_an_image"),                            # images, but not a format we take
    (b"", "photo_empty"),
    (b"\xff" * (5 * 1024 * 1024 + 1), "photo_too_large"),
])
def test_refused_files(data, code):
    with pytest.raises(RuleError) as info:
        reencode(data, 2)
    assert info.value.code == code
    assert info.value.message_en.startswith("Photo 2:") and info.value.message_th.startswith("รูปภาพที่ 2:")


@pytest.mark.parametrize("side", [12_000, 20_000])  # past Pillow's warning, and past its own refusal
def test_decompression_bombs_are_refused_before_decoding_as_too_many_pixels(side):
    """Pillow's own guard fires while the file is opened: the message still says what is wrong
    (a panorama is a photo with too many pixels, not "not a photo")."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, format="PNG")  # tiny file, 144 or 400 million pixels
    with pytest.raises(RuleError) as info:
        reencode(out.getvalue())
    assert info.value.code == "photo_too_many_pixels"
    assert "16 million" in info.value.message_en and "16 ล้านพิกเซล" in info.value.message_th


def odd_exif() -> bytes:
    """An EXIF block as some cameras write it: an orientation, and a tag in a type other than its
    own (SubIFDs, numbers, written as text). Pillow reads it, and fails to write it back."""
    import struct

    text_at = 8 + 2 + 12 * 2 + 4
    return (b"Exif\x00\x00II*\x00" + struct.pack("<IH", 8, 2)
            + struct.pack("<HHII", 0x0112, 3, 1, 6)          # Orientation: turn 90° to display
            + struct.pack("<HHII", 0x014A, 2, 6, text_at)    # SubIFDs, as ASCII "Owner"
            + struct.pack("<I", 0) + b"Owner\x00")


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP"])
def test_a_photo_with_an_odd_exif_block_is_kept_and_turned_upright(fmt):
    """Turning a photo by its orientation rewrote the EXIF block, and an odd one made the complaint
    form fail with a server error, losing what the citizen typed."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 0, 0)).save(out, format=fmt, exif=odd_exif())
    photo = reencode(out.getvalue())
    assert (photo.width, photo.height) == (48, 64)


def test_a_progressive_jpeg_is_held_to_the_limit_of_pictures_decoded_whole():
    """A progressive JPEG keeps every coefficient while it decodes, whatever the scale: a 563 KB
    file of 48 million pixels grew the worker by 320 MB."""
    def jpeg(size, progressive):
        out = io.BytesIO()
        Image.new("RGB", size, (10, 200, 30)).save(out, format="JPEG", progressive=progressive)
        return out.getvalue()

    with pytest.raises(RuleError) as info:
        reencode(jpeg((5000, 4000), True))
    assert info.value.code == "photo_too_many_pixels"
    assert reencode(jpeg((5000, 4000), False)).width == 2048
    assert reencode(jpeg((4000, 3000), True)).width == 2048


MAKE = """
import sys
from PIL import Image
kind, width, height, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
mode, fmt = {"jpeg": ("RGB", "JPEG"), "png": ("RGBA", "PNG")}[kind]
Image.new(mode, (width, height), (10, 200, 30, 128)[:len(mode)]).save(path, format=fmt)
"""
MEASURE = """
import resource, sys
sys.path.insert(0, sys.argv[1])
from app.domain.errors import RuleError
from app.domain.photos import reencode
data = open(sys.argv[2], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    reencode(data)
    outcome = "kept"
except RuleError as error:
    outcome = error.code
print(outcome, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


@pytest.mark.parametrize("kind, width, height, outcome, most_mb", [
    ("jpeg", 8000, 6000, "kept", 160),                      # a 48-megapixel camera: 730 MB before draft()
    ("png", 7070, 7070, "photo_too_many_pixels", 20),       # 194 KB of file, 50 million RGBA pixels
    ("png", 4000, 4000, "kept", 230),                       # a large screenshot, decoded whole
])
def test_decoding_a_photo_takes_bounded_memory(tmp_path, kind, width, height, outcome, most_mb):
    """A small file of many pixels made the web worker grow by 600 to 800 MB while it was decoded."""
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / f"photo.{kind}"
    subprocess.run([sys.executable, "-c", MAKE, kind, str(width), str(height), str(path)], check=True)
    root = str(Path(__file__).resolve().parents[2])
    done = subprocess.run([sys.executable, "-c", MEASURE, root, str(path)], capture_output=True, text=True, check=True)
    got, grown_mb = done.stdout.split()
    assert got == outcome
    assert int(grown_mb) < most_mb, f"decoding grew the process by {grown_mb} MB"


def test_too_many_photos_message():
    error = too_many(MAX_PHOTOS + 1)
    assert error.field == "photos" and str(MAX_PHOTOS) in error.message_en
