"""Validators for what staff upload."""

import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

# Pillow's format name → the extension a stored photo gets.
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def image_format(file) -> str | None:
    """The Pillow format of ``file`` (``"JPEG"``…), or None when it is not an image Pillow can
    read and verify. Leaves the file at its start."""
    try:
        file.seek(0)
        with Image.open(file) as image:
            name = image.format
            if image.width * image.height > settings.TRACKER_PHOTO_MAX_PIXELS:
                return None
            image.verify()
        return name
    except Exception:  # Pillow raises many kinds of errors for a broken or hostile file
        return None
    finally:
        # A field file saved from code has no file yet: nothing to rewind.
        with contextlib.suppress(ValueError, AttributeError):
            file.seek(0)


def image_extension(file, filename: str = "") -> str:
    """The extension a stored photo gets: from its content, else from ``filename``."""
    found = PHOTO_FORMATS.get(image_format(file) or "")
    if found:
        return found
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return (
        {"jpeg": "jpg"}.get(suffix, suffix) if suffix in {"jpg", "jpeg", "png", "webp"} else "jpg"
    )


def validate_photo(file) -> None:
    """A photo must be a JPEG, PNG or WebP image, within the size and pixel limits."""
    limit = settings.TRACKER_PHOTO_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("The photo is %(size)s; the largest allowed is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="photo_too_large",
        )
    if image_format(file) not in PHOTO_FORMATS:
        raise ValidationError(
            _(
                "This file is not a JPEG, PNG or WebP photo (or it is damaged, or larger than "
                "%(megapixels)d megapixels)."
            )
            % {"megapixels": settings.TRACKER_PHOTO_MAX_PIXELS // 1_000_000},
            code="not_a_photo",
        )
