"""The backup archive: a zip with `manifest.json`, `database/<table>.jsonl` and
`files/<folder under AUDIT_DATA_DIR>/...`; the manifest lists the SHA-256 and size of every
other member, and the archive is verified in full before anything is restored."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any

from audit_app.errors import UserError

FORMAT = "revisionsstod-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
FILES_DIR = "files"
FILE_FOLDERS = ("underlag", "templates")
"""The folders under AUDIT_DATA_DIR that are backed up: evidence files and uploaded templates."""

CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 64 * 1024 * 1024

_TABLE = re.compile(r"^[a-z_][a-z0-9_]*$")


class BackupError(UserError):
    """A backup or restore that cannot be done; nothing has been restored."""


@dataclass
class Manifest:
    """What the archive holds and which schema its tables have."""

    created_at: str
    schema_version: str
    dialect: str
    data_dir: str
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows, in insert order
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> sha256, size

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": self.created_at,
                "schema_version": self.schema_version,
                "dialect": self.dialect,
                "data_dir": self.data_dir,
                "tables": self.tables,
                "members": self.members,
            },
            ensure_ascii=False,
            indent=1,
        )


def table_member(table: str) -> str:
    return f"{DATABASE_DIR}/{table}.jsonl"


class HashingWriter:
    """Write to a zip member while counting bytes and computing the SHA-256."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.sha.update(data)
        self.size += len(data)
        self.target.write(data)

    def entry(self) -> dict[str, Any]:
        return {"sha256": self.sha.hexdigest(), "size": self.size}


def safe_member(name: str) -> bool:
    """Tell whether a member name is one the archive may hold (no absolute path, no '..')."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not path.parts:
        return False
    if name == MANIFEST:
        return True
    if path.parts[0] == DATABASE_DIR:
        return len(path.parts) == 2 and name.endswith(".jsonl") and bool(_TABLE.match(path.stem))
    return path.parts[0] == FILES_DIR and len(path.parts) >= 3 and path.parts[1] in FILE_FOLDERS


def _bad(path: str, what: str) -> BackupError:
    return BackupError(
        f"Säkerhetskopian {path} är skadad eller ändrad: {what}. Inget har återställts."
    )


def read_manifest(archive: zipfile.ZipFile, path: str) -> Manifest:
    """Read and check the manifest, then every member's SHA-256 and size (nothing is written)."""
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        raise _bad(path, "manifest.json saknas") from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise _bad(path, "manifest.json är orimligt stor")
    try:
        raw = json.loads(archive.read(info).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile):
        raise _bad(path, "manifest.json kan inte läsas") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise BackupError(f"Filen {path} är ingen säkerhetskopia från Revisionsstöd.")
    if raw.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Säkerhetskopian {path} har formatversion {raw.get('format_version')}; den här "
            f"versionen av programmet läser version {FORMAT_VERSION}."
        )
    try:
        manifest = Manifest(
            created_at=str(raw["created_at"]),
            schema_version=str(raw["schema_version"]),
            dialect=str(raw["dialect"]),
            data_dir=str(raw["data_dir"]),
            tables={str(k): int(v) for k, v in raw["tables"].items()},
            members={
                str(k): {"sha256": str(v["sha256"]), "size": int(v["size"])}
                for k, v in raw["members"].items()
            },
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _bad(path, "manifest.json saknar uppgifter") from None
    verify_members(archive, manifest, path)
    return manifest


def verify_members(archive: zipfile.ZipFile, manifest: Manifest, path: str) -> None:
    """Check that the archive holds exactly the manifest's members, each with its SHA-256."""
    names = [i.filename for i in archive.infolist() if not i.is_dir()]
    unsafe = [n for n in [*names, *manifest.members] if not safe_member(n)]
    if unsafe:
        raise _bad(path, f"otillåtet filnamn {unsafe[0]!r}")
    present = set(names) - {MANIFEST}
    missing = sorted(set(manifest.members) - present)
    extra = sorted(present - set(manifest.members))
    if missing:
        raise _bad(path, f"{missing[0]} saknas")
    if extra:
        raise _bad(path, f"{extra[0]} finns inte i manifestet")
    if len(names) != len(set(names)):
        raise _bad(path, "en fil finns två gånger")
    for table in manifest.tables:
        if table_member(table) not in manifest.members:
            raise _bad(path, f"tabellen {table} saknas")
    for name, expected in manifest.members.items():
        sha = hashlib.sha256()
        size = 0
        try:
            with archive.open(name) as member:
                while chunk := member.read(CHUNK):
                    sha.update(chunk)
                    size += len(chunk)
                    if size > expected["size"]:
                        break
        except (zipfile.BadZipFile, OSError, EOFError):
            raise _bad(path, f"{name} kan inte läsas") from None
        if size != expected["size"] or sha.hexdigest() != expected["sha256"]:
            raise _bad(path, f"{name} har fel kontrollsumma")
