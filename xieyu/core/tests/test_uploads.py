"""Uploads are judged by their content against the place's allow-list, named in every refusal, stored under a random
name with their real type's extension, and served with that type (a download unless a picture)."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from xieyu.core.uploads import (
    EVENT_MATERIALS,
    NOTICE_FILES,
    PHOTOS,
    RULES_DOCUMENTS,
    check_upload,
    clean_name,
    download_name,
    sniff,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64


def ooxml(main: str, parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/{next(iter(parts))}" ContentType="{main}"/></Types>',
        )
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


DOCX = ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
             {"word/document.xml": "<w:document/>"})  # fmt: skip
PPTX = ooxml("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
             {"ppt/presentation.xml": "<p:presentation/>"})  # fmt: skip
DOCM = ooxml("application/vnd.ms-word.document.macroEnabled.main+xml", {"word/document.xml": "<w:document/>"})


def xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", "<script>alert(1)</script>")
    return buffer.getvalue()


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def ole(stream: str) -> bytes:
    """A minimal compound file (Word 97-2003, Excel 97-2003 …) whose first directory sector names the stream."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<H", header, 0x1E, 9)  # 512-byte sectors
    struct.pack_into("<I", header, 0x30, 0)  # the directory starts at sector 0
    sector = bytearray(512)
    for i, name in enumerate(["Root Entry", stream]):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        sector[i * 128 : i * 128 + len(encoded)] = encoded
        struct.pack_into("<H", sector, i * 128 + 0x40, len(encoded))
    return bytes(header + sector)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize(
    "data, key",
    [
        (PNG, "png"), (JPEG, "jpeg"), (WEBP, "webp"), (b"GIF89a" + b"\x00" * 10, "gif"), (PDF, "pdf"),
        (DOCX, "docx"), (xlsx(), "xlsx"), (PPTX, "pptx"), (odt(), "odt"),
        (ole("WordDocument"), "doc"), (ole("Workbook"), "xls"), (ole("PowerPoint Document"), "ppt"),
        ("家长学校管理制度\n第一条".encode(), "txt"), ("家长学校管理制度".encode("gb18030"), "txt"),
        (DOCM, None), (plain_zip(), None), (ole("Something Else"), None), (b"MZ\x90\x00\x03\x00\x00\x00", None),
        (b"PK\x03\x04" + b"0" * 40, None), (b"RIFF\x00\x00\x00\x00AVI " + b"\x00" * 20, None),
    ],
)  # fmt: skip
def test_the_type_is_read_from_the_content(data, key):
    found = sniff(upload("whatever.bin", data))
    assert (found.key if found else None) == key


@pytest.mark.parametrize(
    "name, data, allowed, code",
    [
        ("页面.html", b"<script>alert(1)</script>", EVENT_MATERIALS, "type"),
        ("页面.txt", b"<script>alert(1)</script>", EVENT_MATERIALS, "type"),  # text is not allowed for materials
        ("病毒.exe", b"MZ\x90\x00", NOTICE_FILES, "type"),
        ("假图片.png", b"MZ\x90\x00" + b"0" * 20, NOTICE_FILES, "content"),
        ("宏.docx", DOCM, NOTICE_FILES, "content"),
        ("打包.zip", plain_zip(), EVENT_MATERIALS, "type"),
        ("课件.pdf", plain_zip(), EVENT_MATERIALS, "content"),
        ("病历.pdf", PDF, PHOTOS, "type"),
        ("空.pdf", b"", NOTICE_FILES, "empty"),
        ("大图.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024), NOTICE_FILES, "size"),
        ("大课件.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024), EVENT_MATERIALS, "size"),
        ("脚本", b"#!/bin/sh\nrm -rf /\n", RULES_DOCUMENTS, "type"),  # text, but not called .txt
    ],
)
def test_a_refusal_names_the_file_and_what_is_allowed(name, data, allowed, code):
    with pytest.raises(ValidationError) as err:
        check_upload(upload(name, data), allowed)
    assert err.value.code == code
    message = err.value.messages[0]
    assert f"“{name}”" in message
    if code in ("type", "content"):
        assert "PDF" in message or "JPG" in message


def test_an_allowed_file_is_named_and_stored_by_its_real_type():
    checked = check_upload(upload("座位表.pdf", PNG), NOTICE_FILES)  # a picture, whatever its name says
    assert (checked.type.key, checked.kind, checked.content_type) == ("png", "image", "image/png")
    assert checked.name == "座位表.png"
    stored = checked.stored_name()
    assert stored.endswith(".png") and "座位表" not in stored and len(stored) == 36
    assert check_upload(upload("制度.txt", "第一条".encode()), RULES_DOCUMENTS).type.key == "txt"
    assert check_upload(upload("制度.wps", ole("WordDocument")), RULES_DOCUMENTS).name == "制度.wps"


@pytest.mark.parametrize(
    "raw, expected",
    [("../../etc/passwd", "passwd"), ("C:\\Users\\a\\通知.pdf", "通知.pdf"), ("a\x00b.pdf", "ab.pdf"),
     ("\u202egpj.exe", "gpj.exe"), ("", "file"), ("...", "file"), ("长" * 200 + ".pdf", "长" * 116 + ".pdf")],
)  # fmt: skip
def test_names_are_cleaned(raw, expected):
    assert clean_name(raw) == expected


def test_a_download_name_carries_the_real_extension():
    from xieyu.core.uploads import TYPES

    assert download_name("学习资料", TYPES["pdf"]) == "学习资料.pdf"
    assert download_name("讲座.课件", TYPES["pptx"]) == "讲座.pptx"
    assert download_name("照片.JPEG", TYPES["jpeg"]) == "照片.JPEG"
