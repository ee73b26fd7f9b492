"""Photos re-encoded before they are stored: decoded by Pillow and written anew, so nothing of the
uploaded file but its pixels is kept.

What goes: EXIF (GPS position, camera, date), XMP, comments, every ancillary PNG chunk (text,
time, physical size…), the colour profile (its colours are converted to sRGB first), any bytes
before or after the image (an HTML or script polyglot), and every frame but the first. What is
applied first: the EXIF orientation, so a phone's photo stands upright, and a bound on its
longest side. What comes out: a JPEG, or a PNG when the photo really uses transparency.
"""

import contextlib
import io
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from .validators import PHOTO_DECODERS, not_a_photo, validate_photo

# Longest side of a stored photo and of its thumbnail, in pixels.
PHOTO_MAX_SIDE = 4000
THUMBNAIL_SIDE = 480
JPEG_OPTIONS = {"quality": 85, "progressive": True, "optimize": True}
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class EncodedImage:
    content: bytes
    extension: str  # "jpg" or "png"
    width: int
    height: int


@dataclass(frozen=True)
class ReencodedPhoto:
    photo: EncodedImage
    thumbnail: EncodedImage


def reencode_photo(
    file, *, max_side: int = PHOTO_MAX_SIDE, thumbnail_side: int = THUMBNAIL_SIDE
) -> ReencodedPhoto:
    """Check ``file`` as ``validate_photo`` does (bytes, format and pixels from the header,
    before any pixel is decoded), then decode it and return it re-encoded, with a thumbnail.

    Raises ``ValidationError`` (the messages of ``validate_photo``) when the file is too large,
    not a JPEG, PNG or WebP photo, or cannot be decoded to its end (a truncated file).
    """
    validate_photo(file)
    try:
        file.seek(0)
        with Image.open(file, formats=PHOTO_DECODERS) as source:
            image = _upright_bounded(source, max_side)
    except Exception as error:  # Pillow raises many kinds of errors for a broken or hostile file
        raise not_a_photo() from error
    image = _in_srgb(image)
    thumbnail = image.copy()
    thumbnail.thumbnail((thumbnail_side, thumbnail_side), Image.Resampling.LANCZOS)
    return ReencodedPhoto(photo=_encode(image), thumbnail=_encode(thumbnail))


def _upright_bounded(source: Image.Image, max_side: int) -> Image.Image:
    """The first frame's pixels, no longer than ``max_side`` on either side, turned as its EXIF
    orientation says; with its ICC profile, if any, and no other metadata."""
    if source.mode not in ("RGB", "RGBA", "L", "LA", "CMYK") or "transparency" in source.info:
        source = _eight_bit(source)
    # Scaled down before it is turned and its colours converted: the full-size pixels are held
    # once, not copied by each step.
    source.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    source.load()
    icc_profile = source.info.get("icc_profile")
    # Damaged EXIF: keep the photo as it was taken rather than refuse it.
    with contextlib.suppress(Exception):
        ImageOps.exif_transpose(source, in_place=True)
    # A new image of the same pixels: nothing of the file's ``info`` (EXIF, XMP, comment, PNG
    # text, transparency key, dpi…) can reach the encoder, which copies some of it by default.
    clean = Image.new(source.mode, source.size)
    clean.paste(source)
    if icc_profile:
        clean.info["icc_profile"] = icc_profile
    return clean


def _eight_bit(image: Image.Image) -> Image.Image:
    """Palette, bilevel, 16-bit and colour-keyed images as RGB(A) or L, which every step after
    understands."""
    if image.mode.startswith("I") or image.mode == "F":
        # 16-bit grey: scale to 8 bits (a plain conversion would clip everything to white).
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return image.convert("RGBA" if image.has_transparency_data else "RGB")


def _in_srgb(image: Image.Image) -> Image.Image:
    """``image`` in RGB (RGBA when its transparency is used, L when it is grey) with sRGB
    colours and no profile: a phone's Display P3 photo keeps its colours in every browser."""
    icc_profile = image.info.pop("icc_profile", None)
    alpha = image.mode in ("RGBA", "LA") and image.getchannel("A").getextrema()[0] < 255
    if image.mode == "LA":
        image = image.convert("RGBA") if alpha else image.convert("L")
    elif image.mode == "RGBA" and not alpha:
        image = image.convert("RGB")
    if icc_profile and image.mode in ("RGB", "RGBA", "CMYK"):
        # A profile littleCMS cannot use: the pixels are kept as they are.
        with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError):
            image = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
                SRGB,
                outputMode="RGBA" if image.mode == "RGBA" else "RGB",
            )
        image.info.pop("icc_profile", None)
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGB")  # CMYK without a usable profile
    return image


def _encode(image: Image.Image) -> EncodedImage:
    buffer = io.BytesIO()
    if image.mode == "RGBA":
        image.save(buffer, format="PNG", optimize=True)
        extension = "png"
    else:
        image.save(buffer, format="JPEG", **JPEG_OPTIONS)
        extension = "jpg"
    return EncodedImage(buffer.getvalue(), extension, image.width, image.height)
