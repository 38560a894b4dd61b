"""The backup drill on PostgreSQL: fill, publish, back up, lose the database and the files, restore, compare.

The restore runs as an operator runs it, `manage.py restore` in its own process, into a new empty database
(a scratch database of this test, dropped at the end) and an empty media folder.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from reports.filing.models import Publication, ReportEvent, ReportRevision
from reports.operations.backup import MANIFEST, prune_backups
from reports.rendering.models import PdfRendition
from reports.rendering.renditions import render_rendition_now
from tests.front_server import ROOT, database_url_of_the_tests
from tests.publishing import correct, published_report

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs DATABASE_URL: backs up PostgreSQL"
)


def server(dbname: str = "postgres") -> psycopg.Connection:
    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=dbname,
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        autocommit=True,
    )


@pytest.fixture
def scratch_database():
    """A new, empty database: the database of a stack rebuilt after the disk died."""
    name = f"wt16_drill_{uuid.uuid4().hex[:8]}"
    with server() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with server() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def every_row(dbname: str) -> dict[str, list[str]]:
    """Every table's rows as JSON text, in a fixed order."""
    with server(dbname) as db:
        tables = [t for (t,) in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {
            table: [row for (row,) in db.execute(f'SELECT row_to_json(t)::text AS r FROM "{table}" t ORDER BY r')]
            for table in tables
        }


def checksums(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def filled_site(transactional_db, places, cycle, sx_filer, sx_reviewer, cz_filer, cz_reviewer, settings, tmp_path):
    """Two agencies' reports published, one corrected (two versions), each version's PDF made."""
    settings.MEDIA_ROOT = tmp_path / "media"
    sx = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer)
    sx = correct(sx, sx_filer, sx_reviewer, text="更正后的第三部分。", note="更正了第三部分的表述。")
    published_report(places.cz_emergency, cycle, cz_filer, cz_reviewer)
    for rendition in PdfRendition.objects.all():
        render_rendition_now(rendition_id=rendition.pk)
    return sx


def restored_stack(dbname: str, media: Path, *args: str, script: str | None = None) -> subprocess.CompletedProcess:
    environment = {
        **{name: value for name, value in os.environ.items() if name in ("PATH", "HOME", "LANG")},
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "SECRET_KEY": "test-only-secret-key",  # production settings (DEBUG off), as an operator runs it
        "SSL_REDIRECT": "false",  # the check asks Django directly, not through the TLS proxy
        "DATABASE_URL": database_url_of_the_tests().rsplit("/", 1)[0] + f"/{dbname}",
        "MEDIA_ROOT": str(media),
        "VAR_DIR": str(media.parent / "var"),
    }
    command = [sys.executable, "-c", script] if script else [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)


CHECK_RESTORED = """
import django, hashlib
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", check=True, verbosity=0)
response = Client().get({path!r})
print(response.status_code, hashlib.sha256(b"".join(response.streaming_content)).hexdigest())
"""


@needs_postgresql
def test_a_backup_brings_back_every_report_version_pdf_and_audit_row_into_an_empty_stack(
    filled_site, scratch_database, tmp_path
):
    assert ReportRevision.objects.count() >= 3 and Publication.objects.filter(report=filled_site).count() == 2
    assert ReportEvent.objects.count() >= 6 and PdfRendition.objects.filter(status="ready").count() == 3
    call_command("backup", to=tmp_path / "backups")
    [backup] = (tmp_path / "backups").iterdir()
    manifest = json.loads((backup / MANIFEST).read_text())
    assert manifest["database"]["rows"]["filing_reportevent"] == ReportEvent.objects.count()
    assert len(manifest["media"]["files"]) == 3

    rows_before = every_row(settings.DATABASES["default"]["NAME"])
    media = tmp_path / "media"
    files_before = checksums(media)
    shutil.rmtree(media)  # the disk died

    restored_media = tmp_path / "restored" / "media"
    restored_media.mkdir(parents=True)
    result = restored_stack(scratch_database, restored_media, "restore", str(backup))
    assert result.returncode == 0, result.stderr
    assert "均与备份清单一致" in result.stdout

    rows_after = every_row(scratch_database)
    for table in ("filing_report", "filing_reportrevision", "filing_publication", "filing_reportevent"):
        assert rows_after[table] == rows_before[table] and rows_before[table], table
    assert rows_after["rendering_pdfrendition"] == rows_before["rendering_pdfrendition"]
    assert rows_after == rows_before, "every table, down to the migrations applied"
    assert checksums(restored_media) == files_before

    # The restored stack needs no migration and hands out the corrected version's PDF as before.
    rendition = PdfRendition.objects.get(report=filled_site, content_hash=filled_site.published_revision.content_hash)
    path = f"/published/{filled_site.cycle.year}/{filled_site.agency.code}.pdf"
    check = restored_stack(scratch_database, restored_media, script=CHECK_RESTORED.format(path=path))
    assert check.returncode == 0, check.stderr
    assert check.stdout.split() == ["200", files_before[rendition.file.name]]


@needs_postgresql
def test_restore_refuses_a_database_that_is_not_empty(filled_site, tmp_path):
    call_command("backup", to=tmp_path / "backups")
    [backup] = (tmp_path / "backups").iterdir()
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(backup))


@needs_postgresql
def test_a_damaged_backup_is_found_out_before_anything_is_restored(filled_site, scratch_database, tmp_path):
    call_command("backup", to=tmp_path / "backups")
    [backup] = (tmp_path / "backups").iterdir()
    call_command("restore", str(backup), check=True)
    archive = backup / "media.tar"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(CommandError, match=r"media\.tar 与清单不符"):
        call_command("restore", str(backup), check=True)
    result = restored_stack(scratch_database, tmp_path / "empty-media", "restore", str(backup))
    assert result.returncode != 0 and "media.tar 与清单不符" in result.stderr
    with server(scratch_database) as db:
        assert db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)


def test_old_backups_are_pruned_to_the_number_kept(tmp_path):
    for stamp in ("20260101-020000", "20260102-020000", "20260103-020000"):
        (tmp_path / f"portal-{stamp}").mkdir()
        (tmp_path / f"portal-{stamp}" / MANIFEST).write_text("{}")
    (tmp_path / ".portal-20260104-020000.partial").mkdir()
    removed = prune_backups(into=tmp_path, keep=2)
    assert [path.name for path in removed] == ["portal-20260101-020000"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        ".portal-20260104-020000.partial",
        "portal-20260102-020000",
        "portal-20260103-020000",
    ]
