"""Images and files: type, content and size checked, a clear message when refused, seen only by recipients."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from xieyu.core.uploads import NOTICE_FILES
from xieyu.core.uploads import check_upload as check_any_upload
from xieyu.notices.models import Notice, NoticeAttachment
from xieyu.notices.services import MAX_ATTACHMENTS as MAX_FILES


def check_upload(upload):
    return check_any_upload(upload, NOTICE_FILES)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_an_image_and_a_document_are_attached_and_served_to_recipients(cast, send_notice, client_for):
    notice = send_notice(
        "head_teacher_li", classes=[cast.class_a1.pk], attachments=[upload("座位表.png", PNG), upload("安排.pdf", PDF)]
    )
    image, document = NoticeAttachment.objects.filter(notice=notice).order_by("pk")
    assert (image.kind, document.kind) == ("image", "file")
    assert image.file.name.endswith(image.token) and "座位表" not in image.file.name  # never the user's name on disk
    page = client_for("grandma_zhao").get(f"/notices/{notice.pk}/").content.decode()
    assert f"/notices/attachments/{image.pk}/" in page and "安排.pdf" in page
    response = client_for("grandma_zhao").get(f"/notices/attachments/{document.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    assert client_for("head_teacher_li").get(f"/notices/attachments/{image.pk}/").status_code == 200
    for persona in ("parent_sun", "head_teacher_wang", None):
        assert client_for(persona).get(f"/notices/attachments/{image.pk}/").status_code in (404, 302)


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("病毒.exe", b"MZ\x90\x00", "type"),
        ("脚本.html", b"<script>", "type"),
        ("假图片.png", b"MZ\x90\x00" + b"0" * 20, "content"),
        ("假文档.pdf", b"PK\x03\x04" + b"0" * 20, "content"),
        ("空.pdf", b"", "empty"),
        ("大图.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024), "size"),
        ("大文档.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "size"),
    ],
)
def test_refused_files_are_named_in_the_message(name, data, code):
    with pytest.raises(ValidationError) as err:
        check_upload(upload(name, data))
    assert err.value.code == code
    assert name in err.value.messages[0]


def test_the_size_message_says_the_limit(settings):
    with pytest.raises(ValidationError) as err:
        check_upload(upload("大图.jpg", b"\xff\xd8\xff" + b"0" * (6 * 1024 * 1024)))
    assert "5.0" in err.value.messages[0]


def test_a_refused_file_stops_the_notice_and_the_form_says_why(cast, client_for):
    response = client_for("head_teacher_li").post(
        "/notices/new/",
        {"title": "通知", "body": "内容", "receipt_mode": "read", "classes": [cast.class_a1.pk],
         "attachments": [upload("病毒.exe", b"MZ\x90\x00")]},
    )  # fmt: skip
    assert response.status_code == 200
    assert "病毒.exe" in response.content.decode()
    assert not Notice.objects.exists()


def test_too_many_files(cast, send_notice):
    with pytest.raises(ValidationError) as err:
        send_notice(
            "head_teacher_li", classes=[cast.class_a1.pk],
            attachments=[upload(f"{i}.png", PNG) for i in range(MAX_FILES + 1)],
        )  # fmt: skip
    assert err.value.messages == [
        _("At most %(max)d files may be uploaded at once; you chose %(count)d.") % {"max": 9, "count": 10}
    ]
