"""The storage tests run on both databases: SQLite and PostgreSQL (tests/dbs.py)."""

from __future__ import annotations

from tests import dbs

db, db_target = dbs.db, dbs.db_target
