"""Checking a notice's images and attachments: by extension, by the file's first bytes, and by size."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MB = 1024 * 1024
MAX_IMAGE_BYTES = 5 * MB
MAX_FILE_BYTES = 10 * MB
MAX_FILES = 9

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt
ZIP = b"PK\x03\x04"  # .docx, .xlsx, .pptx

# extension: (kind, content type, accepted leading bytes)
TYPES: dict[str, tuple[str, str, tuple[bytes, ...]]] = {
    ".jpg": ("image", "image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image", "image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image", "image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".gif": ("image", "image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image", "image/webp", (b"RIFF",)),
    ".pdf": ("file", "application/pdf", (b"%PDF-",)),
    ".doc": ("file", "application/msword", (OLE,)),
    ".docx": ("file", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    ".xls": ("file", "application/vnd.ms-excel", (OLE,)),
    ".xlsx": ("file", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    ".ppt": ("file", "application/vnd.ms-powerpoint", (OLE,)),
    ".pptx": ("file", "application/vnd.openxmlformats-officedocument.presentationml.presentation", (ZIP,)),
}


@dataclass(frozen=True)
class CheckedUpload:
    file: object
    name: str
    kind: str
    content_type: str
    size: int


def _clean_name(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name.strip() or "file"
    return base[-120:]


def check_upload(upload) -> CheckedUpload:
    """Accept an image (JPG, PNG, GIF, WEBP, up to 5 MB) or a document (PDF, Word, Excel, PowerPoint, up to 10 MB)."""
    name = _clean_name(getattr(upload, "name", "") or "")
    ext = PurePath(name).suffix.lower()
    if ext not in TYPES:
        raise ValidationError(
            _(
                "“%(name)s” cannot be attached: only images (JPG, PNG, GIF, WEBP) and documents "
                "(PDF, Word, Excel, PowerPoint) are allowed."
            )
            % {"name": name},
            code="type",
        )
    kind, content_type, magics = TYPES[ext]
    size = int(upload.size or 0)
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    limit = MAX_IMAGE_BYTES if kind == "image" else MAX_FILE_BYTES
    if size > limit:
        message = (
            _("“%(name)s” is %(size)s; an image may be at most %(limit)s.")
            if kind == "image"
            else _("“%(name)s” is %(size)s; a document may be at most %(limit)s.")
        )
        raise ValidationError(
            message % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}, code="size"
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    ok = any(head.startswith(m) for m in magics)
    if ok and ext == ".webp":
        ok = head[8:12] == b"WEBP"
    if not ok:
        raise ValidationError(
            _("“%(name)s” is not really a %(ext)s file; it may be damaged or renamed.") % {"name": name, "ext": ext},
            code="content",
        )
    return CheckedUpload(file=upload, name=name, kind=kind, content_type=content_type, size=size)


def check_uploads(uploads) -> list[CheckedUpload]:
    uploads = list(uploads or [])
    if len(uploads) > MAX_FILES:
        raise ValidationError(
            _("At most %(max)d images and files may be attached; you chose %(count)d.")
            % {"max": MAX_FILES, "count": len(uploads)},
            code="count",
        )
    return [check_upload(u) for u in uploads]
