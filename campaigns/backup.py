"""One archive holding the database and the attachments, and its restore into an empty database.

The archive (``.tar.gz``) holds ``manifest.json``, ``database.dump`` (PostgreSQL: ``pg_dump
--format=custom``, one consistent snapshot; SQLite: the online backup API) and ``media/`` (every
file under ``MEDIA_ROOT``, copied after the snapshot, so every attachment the snapshot names is
there). Used by ``manage.py backup`` and ``manage.py restore``.
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

FORMAT = "mytho-backup-1"


class BackupError(Exception):
    pass


def _pg_environment(settings_dict: dict) -> dict[str, str]:
    """libpq's variables for the database Django uses (the password never on a command line)."""
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _dump_database(target: Path) -> str:
    vendor = connection.vendor
    if vendor == "postgresql":
        env = _pg_environment(connection.settings_dict)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--file={target}"], env)
    elif vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        raise BackupError(f"No backup for the {vendor} database engine.")
    return vendor


def create_backup(output: Path) -> dict:
    """Write the archive to ``output``; returns its manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="mytho-backup-") as work:
        work_path = Path(work)
        vendor = _dump_database(work_path / "database.dump")
        files = (
            sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
        )
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database_vendor": vendor,
            "media_files": len(files),
        }
        (work_path / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work_path / "manifest.json", arcname="manifest.json")
            archive.add(work_path / "database.dump", arcname="database.dump")
            for path in files:
                archive.add(path, arcname=f"media/{path.relative_to(media_root)}")
        # Only a complete archive carries the final name.
        partial.replace(output)
    return manifest


def database_is_empty() -> bool:
    """No table of this project exists yet (a fresh ``createdb``), or none has a row."""
    tables = set(connection.introspection.table_names())
    return not any(table.startswith(("wards_", "campaigns_")) for table in tables)


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in archive.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"Refusing an archive member: {member.name}")
        members.append(member)
    return members


def restore_backup(source: Path) -> dict:
    """Restore ``source`` into the (empty) database and ``MEDIA_ROOT``; returns its manifest."""
    if not database_is_empty():
        raise BackupError(
            "The database is not empty: restore only into a new database "
            "(createdb, then point DATABASE_URL at it)."
        )
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="mytho-restore-") as work:
        work_path = Path(work)
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(work_path, members=_safe_members(archive), filter="data")
        manifest = json.loads((work_path / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Not a backup of this application: {manifest.get('format')!r}")
        if manifest["database_vendor"] != connection.vendor:
            raise BackupError(
                f"The backup is of a {manifest['database_vendor']} database; "
                f"DATABASE_URL points at {connection.vendor}."
            )
        dump = work_path / "database.dump"
        if connection.vendor == "postgresql":
            env = _pg_environment(connection.settings_dict)
            connection.close()
            _run(
                ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
                 f"--dbname={env['PGDATABASE']}", str(dump)],
                env,
            )  # fmt: skip
        else:
            connection.ensure_connection()
            with sqlite3.connect(dump) as copy:
                copy.backup(connection.connection)
            copy.close()
        media = work_path / "media"
        if media.exists():
            for path in sorted(p for p in media.rglob("*") if p.is_file()):
                target = media_root / path.relative_to(media)
                if target.exists():
                    raise BackupError(f"{target} exists already: restore into an empty MEDIA_ROOT")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
    return manifest
