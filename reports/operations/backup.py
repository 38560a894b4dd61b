"""Backups that restore: the PostgreSQL database and every stored file, with a manifest of checksums.

A backup is a folder `portal-YYYYmmdd-HHMMSS/` holding

- `database.dump`: pg_dump's custom format, taken from one snapshot of the database;
- `media.tar`: every file in Django's default storage (the PDFs, anything uploaded), read through the storage,
  so that S3-compatible storage is backed up the same way as the media volume;
- `manifest.json`: when and from what it was taken, the applied migrations, the rows of every table and the
  size and SHA-256 of the two files and of each stored file.

The manifest's row counts and the list of files the database refers to are read in the very snapshot pg_dump
exports (`pg_export_snapshot`), while the site keeps running. Stored files are only added while a backup runs
(a new PDF gets a new name), so archiving them after the dump finds every file the dump refers to; the backup
checks that it did. A backup is written under a hidden name and renamed when complete: a folder named
`portal-…` is always whole.

`restore` refuses a database that has tables or a storage that has files: it fills an empty stack, and then
checks every table's rows and every file against the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.db.models import FileField
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar"
PREFIX = "portal-"
# What django-health-check's storage probe writes and deletes again: never worth keeping.
NOT_BACKED_UP = ("health_check_storage_test/",)


class BackupError(Exception):
    """Why a backup or restore cannot go on, in words fit to show the operator."""


@dataclass(frozen=True)
class RestoreSummary:
    tables: int
    rows: int
    files: int


def create_backup(*, into: Path, keep: int | None = None) -> Path:
    """Write a complete backup folder under `into`; with `keep`, then delete all but the newest `keep`."""
    _require_postgresql()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = into / f"{PREFIX}{stamp}"
    if target.exists():
        raise BackupError(_("备份 %(name)s 已存在，请稍后再试。") % {"name": target.name})
    partial = into / f".{PREFIX}{stamp}.partial"
    partial.mkdir(parents=True)
    try:
        database = _dump_database(partial / DATABASE_FILE)
        files = _archive_storage(default_storage, partial / MEDIA_FILE)
        missing = sorted(database.pop("referenced_files") - set(files))
        if missing:
            raise BackupError(
                _("数据库引用的 %(count)d 个文件在存储中找不到（例如 %(name)s），备份不完整。")
                % {"count": len(missing), "name": missing[0]}
            )
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": {**database, **_describe(partial / DATABASE_FILE)},
            "media": {**_describe(partial / MEDIA_FILE), "files": files},
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if keep:
        prune_backups(into=into, keep=keep)
    return target


def prune_backups(*, into: Path, keep: int) -> list[Path]:
    """Delete complete backups beyond the newest `keep` (names sort by time); returns what was deleted."""
    complete = sorted(path for path in into.glob(f"{PREFIX}*") if (path / MANIFEST).is_file())
    removed = complete[:-keep] if keep else []
    for path in removed:
        shutil.rmtree(path)
    return removed


def check_backup(*, source: Path) -> dict:
    """The manifest of a backup whose files are all there, whole; else BackupError."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(_("%(path)s 不是完整的备份：没有可读的 manifest.json。") % {"path": source}) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("备份格式 %(format)s 不受本版本支持。") % {"format": manifest.get("format")})
    for part, name in (("database", DATABASE_FILE), ("media", MEDIA_FILE)):
        if _describe(source / name) != {key: manifest[part][key] for key in ("file", "bytes", "sha256")}:
            raise BackupError(_("备份文件 %(name)s 与清单不符（已损坏或被改动），不能用于恢复。") % {"name": name})
    return manifest


def restore_backup(*, source: Path) -> RestoreSummary:
    """Bring a backup back into an empty database and an empty storage, then check both against the manifest."""
    _require_postgresql()
    manifest = check_backup(source=source)
    tables = _table_names()
    if tables:
        raise BackupError(
            _("数据库 %(name)s 不是空的（已有 %(count)d 张表）：恢复只写入新建的空数据库。")
            % {"name": settings.DATABASES["default"]["NAME"], "count": len(tables)}
        )
    if next(_stored_files(default_storage), None) is not None:
        raise BackupError(_("文件存储不是空的：恢复只写入空的存储（MEDIA_ROOT 或存储桶）。"))
    whole = ("--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction")
    _run(["pg_restore", *whole, "--dbname", settings.DATABASES["default"]["NAME"], str(source / DATABASE_FILE)])
    files = _extract_storage(source / MEDIA_FILE, manifest["media"]["files"])
    rows = _row_counts(connection.cursor(), _table_names())
    if rows != manifest["database"]["rows"]:
        differ = sorted(
            t
            for t in set(rows) | set(manifest["database"]["rows"])
            if rows.get(t) != manifest["database"]["rows"].get(t)
        )
        raise BackupError(_("恢复后的数据与清单不符：%(tables)s。") % {"tables": "、".join(differ)})
    return RestoreSummary(tables=len(rows), rows=sum(rows.values()), files=files)


def _require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise BackupError(_("备份与恢复只支持 PostgreSQL（DATABASE_URL）；SQLite 演示库请直接复制 var/ 目录。"))


def _dump_database(path: Path) -> dict:
    """pg_dump from an exported snapshot; in the same snapshot, the rows of each table and the files referred to."""
    with psycopg.connect(**_conninfo()) as snapshot:
        snapshot.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        snapshot.read_only = True
        with snapshot.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot_id, server_version = cursor.fetchone()
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot_id}", "--file", str(path)])
            rows = _row_counts(cursor, _table_names(cursor))
            referenced = _referenced_files(cursor)
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
            migrations: dict[str, list[str]] = {}
            for app, name in cursor.fetchall():
                migrations.setdefault(app, []).append(name)
    return {
        "server_version": server_version,
        "pg_dump": _run(["pg_dump", "--version"]).strip(),
        "rows": rows,
        "migrations": migrations,
        "referenced_files": referenced,
    }


def _table_names(cursor=None) -> list[str]:
    cursor = cursor or connection.cursor()
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [name for (name,) in cursor.fetchall()]


def _row_counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def _referenced_files(cursor) -> set[str]:
    """Every name a FileField of any model holds."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, FileField):
                table, column = model._meta.db_table, field.column
                cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> %s', [""])
                names.update(name for (name,) in cursor.fetchall())
    return names


def _stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        path = f"{folder}{name}"
        if not path.startswith(NOT_BACKED_UP):
            yield path
    for name in sorted(folders):
        if not f"{folder}{name}/".startswith(NOT_BACKED_UP):
            yield from _stored_files(storage, f"{folder}{name}/")


def _archive_storage(storage: Storage, path: Path) -> dict[str, dict]:
    files = {}
    with tarfile.open(path, "w") as archive:
        for name in _stored_files(storage):
            with storage.open(name, "rb") as stored:
                data = stored.read()
            member = tarfile.TarInfo(name)
            member.size = len(data)
            member.mtime = int(timezone.now().timestamp())
            archive.addfile(member, io.BytesIO(data))
            files[name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return files


def _extract_storage(path: Path, expected: dict[str, dict]) -> int:
    count = 0
    with tarfile.open(path, "r") as archive:
        for member in archive:
            data = archive.extractfile(member).read()
            if expected.get(member.name) != {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}:
                raise BackupError(_("文件 %(name)s 与清单不符。") % {"name": member.name})
            saved = default_storage.save(member.name, ContentFile(data))
            if saved != member.name:
                raise BackupError(_("文件 %(name)s 未能以原名写回存储。") % {"name": member.name})
            count += 1
    if count != len(expected):
        raise BackupError(
            _("备份中只有 %(count)d 个文件，清单列出 %(expected)d 个。") % {"count": count, "expected": len(expected)}
        )
    return count


def _describe(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return {"file": path.name, "bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def _conninfo() -> dict:
    db = settings.DATABASES["default"]
    info = {"dbname": db["NAME"], "user": db.get("USER") or None, "password": db.get("PASSWORD") or None}
    info.update(host=db.get("HOST") or None, port=db.get("PORT") or None)
    return {key: value for key, value in info.items() if value}


def _run(command: list[str]) -> str:
    """PostgreSQL's client programs, given the connection in PG* variables (no password on the command line)."""
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD", "host": "PGHOST", "port": "PGPORT"}
    environment = {**os.environ, **{names[key]: str(value) for key, value in _conninfo().items()}}
    try:
        result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            _("找不到 %(program)s：请安装 PostgreSQL 客户端（postgresql-client）。") % {"program": command[0]}
        ) from exc
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s 失败：%(error)s") % {"program": command[0], "error": result.stderr.strip()[-2000:]}
        )
    return result.stdout
