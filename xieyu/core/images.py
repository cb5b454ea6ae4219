"""Pictures made fit for a cheap phone: at most so many pixels a side, JPEG, without their metadata.

A photo straight from a phone is 4–12 MB and carries EXIF (the place it was taken, the phone); what is stored is
the resized picture alone, turned upright, so a page of photos loads on a slow network and tells no one where a
child lives.
"""

from __future__ import annotations

from io import BytesIO
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # a larger picture is refused before it is decoded (a decompression bomb)


class Picture(NamedTuple):
    content: ContentFile
    width: int
    height: int


def resized_jpeg(upload, *, max_side: int = 1280, name: str = "picture.jpg", quality: int = 82) -> Picture:
    """The upload as a JPEG no larger than max_side a side, upright, without EXIF (a transparent picture on white),
    with its size; ValidationError naming the file if it cannot be read as a picture."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _("“%(name)s” is too large a picture (at most 40 million pixels).")
                    % {"name": getattr(upload, "name", "")},
                    code="image",
                )
            image.seek(0)  # an animated GIF: its first frame
            picture = ImageOps.exif_transpose(image)
            if picture.mode not in ("RGB", "L"):
                background = Image.new("RGB", picture.size, "white")
                rgba = picture.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                picture = background
            picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            out = BytesIO()
            picture.convert("RGB").save(out, "JPEG", quality=quality, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("“%(name)s” cannot be read as a picture; it may be damaged.") % {"name": getattr(upload, "name", "")},
            code="image",
        ) from exc
    finally:
        upload.seek(0)
    return Picture(ContentFile(out.getvalue(), name=name), picture.width, picture.height)
