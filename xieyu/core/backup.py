"""Backup and restore of one installation: its database and its media files, in one archive.

An archive is a `.tar.gz` holding
- `manifest.json`: the engine, when it was made, the applied migrations (a restore refuses an archive from a newer
  schema than the code knows);
- `database.sqlite3` (SQLite's online backup API: a consistent copy while the platform keeps running) or
  `database.pgdump` (`pg_dump --format=custom`, one consistent snapshot);
- `media/…`: every uploaded file (roster files, attachments, photos, documents).

A restore replaces the database's contents and the media folder with the archive's. SQLite is written back through
the same backup API into the live file (readers never see half a file); PostgreSQL through
`pg_restore --clean --if-exists --single-transaction`. Stop the web servers and workers before a restore: requests in
flight would write into the database being replaced.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Manifest:
    engine: str
    created_at: str
    migrations: list[str]
    media_files: int
    format: int = FORMAT


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"unsupported database: {vendor}")
    return vendor


def _pg_env(alias: str) -> tuple[list[str], dict[str, str]]:
    s = connections[alias].settings_dict
    args = ["--host", s.get("HOST") or "127.0.0.1", "--port", str(s.get("PORT") or 5432)]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


def _applied_migrations(alias: str) -> list[str]:
    recorder = MigrationRecorder(connections[alias])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _dump_database(alias: str, into: Path) -> str:
    engine = _engine(alias)
    conn = connections[alias]
    if engine == "sqlite":
        target = into / "database.sqlite3"
        conn.ensure_connection()
        dst = sqlite3.connect(target)
        try:
            conn.connection.backup(dst)  # the online backup API: consistent while others write
        finally:
            dst.close()
        return target.name
    target = into / "database.pgdump"
    args, env = _pg_env(alias)
    cmd = ["pg_dump", *args, "--format=custom", "--no-owner", "--file", str(target), conn.settings_dict["NAME"]]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return target.name


def backup(output_dir: Path, *, alias: str = "default") -> Path:
    """Write one archive into `output_dir` and return its path."""
    output_dir.mkdir(parents=True, exist_ok=True)
    media = Path(settings.MEDIA_ROOT)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"xieyu-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db_name = _dump_database(alias, work)
        files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
        manifest = Manifest(
            engine=_engine(alias),
            created_at=timezone.now().isoformat(),
            migrations=_applied_migrations(alias),
            media_files=len(files),
        )
        (work / "manifest.json").write_text(json.dumps(manifest.__dict__, ensure_ascii=False, indent=1))
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / "manifest.json", arcname="manifest.json")
            tar.add(work / db_name, arcname=db_name)
            for f in files:
                tar.add(f, arcname=f"media/{f.relative_to(media).as_posix()}")
        partial.replace(archive)  # a crash mid-way leaves no archive that looks whole
    return archive


def read_manifest(archive: Path) -> Manifest:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile("manifest.json")
            if member is None:
                raise KeyError
            data = json.loads(member.read())
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError) as e:
        raise BackupError(f"not a backup archive: {archive} ({e})") from e
    if data.get("format") != FORMAT:
        raise BackupError(f"unknown archive format: {data.get('format')}")
    return Manifest(**data)


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for m in tar.getmembers():
        name = Path(m.name)
        if name.is_absolute() or ".." in name.parts or not (m.isfile() or m.isdir()):
            raise BackupError(f"refusing an unsafe path in the archive: {m.name}")
        members.append(m)
    return members


def _restore_database(alias: str, manifest: Manifest, work: Path) -> None:
    conn = connections[alias]
    if manifest.engine == "sqlite":
        src = sqlite3.connect(work / "database.sqlite3")
        try:
            conn.ensure_connection()
            src.backup(conn.connection)  # page by page into the live file, under SQLite's own lock
        finally:
            src.close()
        return
    connections.close_all()
    args, env = _pg_env(alias)
    cmd = [
        "pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
        "--dbname", conn.settings_dict["NAME"], str(work / "database.pgdump"),
    ]  # fmt: skip
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


def restore(archive: Path, *, alias: str = "default") -> Manifest:
    """Replace the database's contents and the media files with the archive's."""
    manifest = read_manifest(archive)
    engine = _engine(alias)
    if manifest.engine != engine:
        raise BackupError(f"the archive holds a {manifest.engine} database; this installation runs {engine}")
    unknown = set(manifest.migrations) - set(_known_migrations())
    if unknown:
        raise BackupError(f"the archive comes from a newer version (unknown migrations: {', '.join(sorted(unknown))})")
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, members=_safe_members(tar), filter="data")
        _restore_database(alias, manifest, work)
        if media.exists():
            shutil.rmtree(media)
        if (work / "media").exists():
            shutil.copytree(work / "media", media)
        else:
            media.mkdir(parents=True, exist_ok=True)
    return manifest


def _known_migrations() -> list[str]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [f"{app}.{name}" for app, name in loader.disk_migrations]
