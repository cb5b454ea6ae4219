"""A backup brings a county back as it was: its rows and its uploaded files; a bad archive changes nothing."""

import tarfile

import pytest
from django.core.management import CommandError, call_command

from xieyu.directory.models import School, Student

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "rosters").mkdir(parents=True)
    (settings.MEDIA_ROOT / "rosters" / "三年级1班.xlsx").write_bytes(b"roster bytes")
    return settings.MEDIA_ROOT


def _backup(tmp_path, capsys) -> str:
    call_command("backup", output=str(tmp_path / "backups"))
    return capsys.readouterr().out.strip()


def test_a_restore_brings_back_the_rows_and_files_changed_since_the_backup(cast, media, tmp_path, capsys):
    students = Student.objects.count()
    archive = _backup(tmp_path, capsys)

    Student.objects.filter(school_class=cast.class_a1).delete()
    cast.school_a.name = "改名后的学校"
    cast.school_a.save()
    (media / "rosters" / "三年级1班.xlsx").unlink()
    (media / "rosters" / "新文件.xlsx").write_bytes(b"new")

    call_command("restore", archive, yes=True)

    assert Student.objects.count() == students
    assert School.objects.get(pk=cast.school_a.pk).name == "全南县城厢小学"
    assert (media / "rosters" / "三年级1班.xlsx").read_bytes() == b"roster bytes"
    assert not (media / "rosters" / "新文件.xlsx").exists()


def test_without_yes_the_restore_only_describes_the_archive(cast, media, tmp_path, capsys):
    archive = _backup(tmp_path, capsys)
    Student.objects.filter(school_class=cast.class_a1).delete()
    left = Student.objects.count()

    call_command("restore", archive)

    assert "--yes" in capsys.readouterr().out
    assert Student.objects.count() == left


def test_an_archive_that_is_not_a_backup_or_climbs_out_of_its_folder_is_refused(cast, media, tmp_path, capsys):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="not a backup archive"):
        call_command("restore", str(junk), yes=True)

    archive = _backup(tmp_path, capsys)
    evil = tmp_path / "evil.tar.gz"
    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    with tarfile.open(archive, "r:gz") as src, tarfile.open(evil, "w:gz") as dst:
        for m in src.getmembers():
            dst.addfile(m, src.extractfile(m))
        dst.add(outside, arcname="../outside.txt")
    students = Student.objects.count()
    with pytest.raises(CommandError, match="unsafe path"):
        call_command("restore", str(evil), yes=True)
    assert Student.objects.count() == students
    assert (media / "rosters" / "三年级1班.xlsx").exists()
