"""`mercato user create` gives the role `medusa user` gives: the column's default, member."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path


def _create(db: Path, *args: str) -> None:
    env = {"MERCATO_DATABASE_URL": f"sqlite+aiosqlite:///{db}", "PATH": "/usr/bin:/bin"}
    code = "from mercato.cli import app; app()"
    done = subprocess.run(
        [sys.executable, "-c", code, "user", "create", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_user_create_default_role_is_member(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    _create(db, "-e", "cli-member@example.com", "-p", "secret")
    _create(db, "-e", "cli-admin@example.com", "-p", "secret", "--role", "admin")
    with sqlite3.connect(db) as conn:
        roles = dict(conn.execute('SELECT email, role FROM "user" ORDER BY email'))
    assert roles == {"cli-admin@example.com": "admin", "cli-member@example.com": "member"}
