"""Validators for what staff upload."""

import contextlib

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

# The formats a photo may come in, as Pillow names them (``core.images`` stores every photo as
# a JPEG, or a PNG when it uses transparency). MPO is the JPEG of many phones, with a second
# (depth or preview) image appended.
PHOTO_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
# The only decoders a photo is ever shown to (Pillow's JPEG decoder also opens MPO files).
PHOTO_DECODERS = ["JPEG", "PNG", "WEBP"]


def image_format(file) -> str | None:
    """The Pillow format of ``file`` (``"JPEG"``…), or None when it is not an image Pillow can
    read and verify, or has more pixels than ``TRACKER_PHOTO_MAX_PIXELS`` (read from its header,
    before any pixel is decoded). Leaves the file at its start."""
    try:
        file.seek(0)
        with Image.open(file, formats=PHOTO_DECODERS) as image:
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


def not_a_photo() -> ValidationError:
    return ValidationError(
        _(
            "This file is not a JPEG, PNG or WebP photo (or it is damaged, or larger than "
            "%(megapixels)d megapixels)."
        )
        % {"megapixels": settings.TRACKER_PHOTO_MAX_PIXELS // 1_000_000},
        code="not_a_photo",
    )


def validate_photo_size(file) -> None:
    limit = settings.TRACKER_PHOTO_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("The photo is %(size)s; the largest allowed is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="photo_too_large",
        )


def validate_photo(file) -> None:
    """A photo must be a JPEG, PNG or WebP image, within the size and pixel limits.

    Only the header is read here; ``core.images.reencode_photo`` decodes the pixels (and
    refuses a file that ends before its image does)."""
    validate_photo_size(file)
    if image_format(file) not in PHOTO_FORMATS:
        raise not_a_photo()


class PhotoUploadField(forms.ImageField):
    """A form's photo field: the byte limit first, before any decoder reads the file.

    Django's ``ImageField`` would have Pillow open and verify the upload, with every decoder it
    has and before the model's checks, reading a PNG's text chunk whole, however large. Here
    only ``validate_photo`` (the model field's validator) opens it, with the photo decoders."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is not None:
            validate_photo_size(upload)
        return upload
