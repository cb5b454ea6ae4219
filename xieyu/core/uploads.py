"""Every uploaded file goes through here: its type is read from its content (magic bytes, and for Office files the
parts inside), never from its name; it must be on the named allow-list of the place it is uploaded to, within that
list's size limits; it is stored under a random name with the extension of its real type, and served with that
type, as a download unless it is a picture, with no-sniff and a sandbox policy.

Plain text has no magic bytes, so it alone also needs its name to say .txt (any other bytes that decode as text,
an HTML page or a script, are refused).

A refusal is a ValidationError naming the file and saying what is allowed there (codes: "type", "content" when the
name promises an allowed type the content is not, "empty", "size", "count").
"""

from __future__ import annotations

import codecs
import secrets
import struct
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

MB = 1024 * 1024
HEAD_BYTES = 4096


@dataclass(frozen=True)
class FileType:
    key: str
    label: str  # the name people know the format by: JPG, PDF, Word …
    extension: str  # the extension it is stored and served with
    content_type: str
    kind: str  # "image", "document" or "video"
    extensions: tuple[str, ...] = ()  # names it usually carries (the first is `extension`)

    @property
    def is_image(self) -> bool:
        return self.kind == "image"


def _t(key, label, ext, content_type, kind, *more) -> FileType:
    return FileType(key, label, ext, content_type, kind, (ext, *more))


OOXML = "application/vnd.openxmlformats-officedocument"
TYPES: dict[str, FileType] = {
    t.key: t
    for t in [
        _t("jpeg", "JPG", ".jpg", "image/jpeg", "image", ".jpeg", ".jpe"),
        _t("png", "PNG", ".png", "image/png", "image"),
        _t("gif", "GIF", ".gif", "image/gif", "image"),
        _t("webp", "WEBP", ".webp", "image/webp", "image"),
        _t("pdf", "PDF", ".pdf", "application/pdf", "document"),
        _t("docx", "Word", ".docx", f"{OOXML}.wordprocessingml.document", "document"),
        _t("xlsx", "Excel", ".xlsx", f"{OOXML}.spreadsheetml.sheet", "document"),
        _t("pptx", "PowerPoint", ".pptx", f"{OOXML}.presentationml.presentation", "document"),
        _t("doc", "Word 97-2003", ".doc", "application/msword", "document", ".wps"),
        _t("xls", "Excel 97-2003", ".xls", "application/vnd.ms-excel", "document", ".et"),
        _t("ppt", "PowerPoint 97-2003", ".ppt", "application/vnd.ms-powerpoint", "document", ".dps"),
        _t("odt", "OpenDocument", ".odt", "application/vnd.oasis.opendocument.text", "document"),
        _t("txt", "TXT", ".txt", "text/plain; charset=utf-8", "document", ".text"),
        _t("mp4", "MP4", ".mp4", "video/mp4", "video", ".m4v"),
    ]
}
BY_EXTENSION = {extension: t for t in TYPES.values() for extension in reversed(t.extensions)}


# --- reading the type from the content ---------------------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_STREAMS = {"worddocument": "doc", "workbook": "xls", "book": "xls", "powerpoint document": "ppt"}
OOXML_MAIN = {
    f"{OOXML}.wordprocessingml.document.main+xml": "docx",
    f"{OOXML}.wordprocessingml.template.main+xml": "docx",
    "application/vnd.ms-word.document.macroenabled.main+xml": None,  # macros: never
    f"{OOXML}.spreadsheetml.sheet.main+xml": "xlsx",
    f"{OOXML}.presentationml.presentation.main+xml": "pptx",
}
MAX_ZIP_ENTRIES = 10000
# ISO base media files a phone's browser plays as MP4 (H.264/AAC from phones and editors).
MP4_BRANDS = frozenset({b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"MSNV", b"dash"})


def _ole_type(upload, head: bytes) -> str | None:
    """doc, xls or ppt (WPS writes the same formats) by the streams named in the first directory sector."""
    if len(head) < 512:
        return None
    shift, first_dir = struct.unpack_from("<H", head, 0x1E)[0], struct.unpack_from("<I", head, 0x30)[0]
    if shift not in (9, 12) or first_dir >= 0xFFFFFFFA:
        return None
    size = 1 << shift
    upload.seek((first_dir + 1) * size)
    sector = upload.read(size)
    for offset in range(0, len(sector) - 127, 128):
        length = struct.unpack_from("<H", sector, offset + 0x40)[0]
        if 2 <= length <= 64:
            name = sector[offset : offset + length - 2].decode("utf-16-le", "replace").lower()
            if name in OLE_STREAMS:
                return OLE_STREAMS[name]
    return None


def _zip_type(upload) -> str | None:
    """docx, xlsx, pptx or odt by the parts the archive declares; any other archive (or a damaged one) is None."""
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return None
            names = {i.filename for i in infos}
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return "odt" if mimetype == TYPES["odt"].content_type else None
            if "[Content_Types].xml" not in names:
                return None
            manifest = archive.read("[Content_Types].xml")[: 1024 * 1024].decode("utf-8", "replace").lower()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError, RuntimeError):
        return None
    if "vnd.ms-office.vbaproject" in manifest or "macroenabled" in manifest:
        return None
    for content_type, key in OOXML_MAIN.items():
        if content_type.lower() in manifest:
            return key
    return None


def _is_text(upload) -> bool:
    """Plain UTF-8 (or GB 18030, as Chinese Windows saves it) text without NULs or other control characters."""
    upload.seek(0)
    data = upload.read(2 * MB)  # enough to tell; a character cut at the end is not held against it
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(data, final=False)
        except UnicodeDecodeError:
            continue
        return not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text)
    return False


def sniff(upload) -> FileType | None:
    """The file's real type, read from its content; None when it is none we know."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    try:
        if head.startswith(b"\xff\xd8\xff"):
            return TYPES["jpeg"]
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return TYPES["png"]
        if head.startswith((b"GIF87a", b"GIF89a")):
            return TYPES["gif"]
        if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
            return TYPES["webp"]
        if head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
            return TYPES["mp4"]
        if head.startswith(b"%PDF-"):
            return TYPES["pdf"]
        if head.startswith(OLE_MAGIC):
            key = _ole_type(upload, head)
            return TYPES[key] if key else None
        if head.startswith(b"PK\x03\x04"):
            key = _zip_type(upload)
            return TYPES[key] if key else None
        return TYPES["txt"] if head and _is_text(upload) else None
    finally:
        upload.seek(0)


# --- allow-lists ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllowList:
    """What one place accepts: the types, the largest file, and (when smaller) the largest picture."""

    types: tuple[str, ...]
    max_bytes: int
    max_image_bytes: int | None = None

    def describe(self) -> str:
        """e.g. 图片(JPG、PNG)或文档(PDF、Word)."""
        images = [TYPES[k].label for k in self.types if TYPES[k].is_image]
        documents = [TYPES[k].label for k in self.types if not TYPES[k].is_image and k != "txt"]
        parts = []
        if images:
            parts.append(_("pictures (%(types)s)") % {"types": pgettext("list separator", ", ").join(images)})
        if documents:
            parts.append(_("documents (%(types)s)") % {"types": pgettext("list separator", ", ").join(documents)})
        if "txt" in self.types:
            parts.append(_("plain text (TXT)"))
        return pgettext("between alternatives", " or ").join(parts)

    def limit_for(self, file_type: FileType) -> int:
        if file_type.is_image and self.max_image_bytes:
            return self.max_image_bytes
        return self.max_bytes

    def allows_extension(self, extension: str) -> bool:
        return any(extension in TYPES[k].extensions for k in self.types)


IMAGES = ("jpeg", "png", "gif", "webp")
OFFICE = ("pdf", "docx", "xlsx", "pptx", "doc", "xls", "ppt")
# Notices: pictures up to 5 MB, documents up to 10 MB.
NOTICE_FILES = AllowList(IMAGES + OFFICE, max_bytes=10 * MB, max_image_bytes=5 * MB)
# A photo with a parent's question.
PHOTOS = AllowList(("jpeg", "png", "webp"), max_bytes=5 * MB)
# Slides, handouts and pictures shared after an event.
EVENT_MATERIALS = AllowList(IMAGES + OFFICE, max_bytes=20 * MB, max_image_bytes=10 * MB)
# An article's pictures (resized on upload), its files, and its video.
ARTICLE_IMAGES = AllowList(("jpeg", "png", "webp", "gif"), max_bytes=10 * MB)
ARTICLE_FILES = AllowList(IMAGES + OFFICE, max_bytes=20 * MB, max_image_bytes=10 * MB)
ARTICLE_VIDEOS = AllowList(("mp4",), max_bytes=200 * MB)
# A parent school's rules: PDF, Word (WPS saves the same formats), OpenDocument, plain text or a picture of them.
RULES_DOCUMENTS = AllowList(("pdf", "docx", "doc", "odt", "txt", "jpeg", "png"), max_bytes=10 * MB)


# --- checking one upload ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedUpload:
    file: object
    name: str  # the name to show and to download it as (its extension that of the real type)
    type: FileType
    size: int

    @property
    def kind(self) -> str:
        return "image" if self.type.is_image else "file"

    @property
    def content_type(self) -> str:
        return self.type.content_type

    def stored_name(self) -> str:
        """A random file name with the real type's extension: never the user's name on disk."""
        return secrets.token_hex(16) + self.type.extension


def clean_name(name: str, fallback: str = "file") -> str:
    """The last part of a path, without control characters, at most 120 characters (the extension kept)."""
    base = PurePath((name or "").replace("\\", "/")).name
    base = "".join(c for c in base if c.isprintable()).strip().strip(".") or fallback
    if len(base) > 120:
        suffix = PurePath(base).suffix[:10]
        base = base[: 120 - len(suffix)] + suffix
    return base


def download_name(name: str, file_type: FileType) -> str:
    """The name with the extension of the real type (a PNG called 通知.pdf downloads as 通知.png)."""
    name = clean_name(name)
    path = PurePath(name)
    if path.suffix.lower() in file_type.extensions:
        return name
    stem = path.stem if path.suffix and len(path.suffix) <= 6 else name
    return f"{stem}{file_type.extension}"


def check_upload(upload, allowed: AllowList) -> CheckedUpload:
    name = clean_name(getattr(upload, "name", "") or "")
    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if size > allowed.max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a file here may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(allowed.max_bytes)},
            code="size",
        )
    file_type = sniff(upload)
    extension = PurePath(name).suffix.lower()
    if file_type is not None and file_type.key == "txt" and extension not in file_type.extensions:
        file_type = None  # text has no magic bytes: only a file called .txt is taken for plain text
    if file_type is None or file_type.key not in allowed.types:
        if extension and allowed.allows_extension(extension):
            raise ValidationError(
                _(
                    "“%(name)s” is not really a %(ext)s file (the type is read from the file itself, not its name); "
                    "it may be damaged or renamed. Allowed here: %(allowed)s."
                )
                % {"name": name, "ext": extension, "allowed": allowed.describe()},
                code="content",
            )
        raise ValidationError(
            _("“%(name)s” cannot be uploaded here: only %(allowed)s are allowed.")
            % {"name": name, "allowed": allowed.describe()},
            code="type",
        )
    limit = allowed.limit_for(file_type)
    if size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a picture may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="size",
        )
    return CheckedUpload(file=upload, name=download_name(name, file_type), type=file_type, size=size)


def check_uploads(uploads, allowed: AllowList, *, max_files: int) -> list[CheckedUpload]:
    uploads = list(uploads or [])
    if len(uploads) > max_files:
        raise ValidationError(
            _("At most %(max)d files may be uploaded at once; you chose %(count)d.")
            % {"max": max_files, "count": len(uploads)},
            code="count",
        )
    return [check_upload(u, allowed) for u in uploads]


# --- serving a stored file -------------------------------------------------------------------------------------------


def type_of_stored(name: str) -> FileType | None:
    """The type of a file stored through here, by the extension it was given (ours, not the user's)."""
    return BY_EXTENSION.get(PurePath(name or "").suffix.lower())


def type_for_content_type(content_type: str) -> FileType | None:
    return next((t for t in TYPES.values() if t.content_type == content_type), None)


def serve_file(field_file, *, filename: str, file_type: FileType | None = None) -> FileResponse:
    """A stored upload as a response: its real type, inline only for pictures, never sniffed or run as a page."""
    file_type = file_type or type_of_stored(field_file.name)
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("file not found") from exc
    inline = file_type is not None and file_type.kind in ("image", "video")
    content_type = file_type.content_type if file_type else "application/octet-stream"
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    response["Cache-Control"] = "private, no-store"
    return response
