"""Savepoint statements as fixed text, for both of Mercato's dialects.

SQLAlchemy runs a savepoint by executing a `SavepointClause`, which has no cache key: it is
compiled anew every time (~0.3 ms of Python, twice for each placed order: the completion's
savepoint and its release). The statements are plain text with the savepoint's name.
"""

from __future__ import annotations

from typing import Any


class TextSavepoints:
    identifier_preparer: Any

    def _savepoint_sql(self, connection: Any, verb: str, name: str) -> None:
        connection.exec_driver_sql(f"{verb} {self.identifier_preparer.quote(name)}")

    def do_savepoint(self, connection: Any, name: str) -> None:
        self._savepoint_sql(connection, "SAVEPOINT", name)

    def do_release_savepoint(self, connection: Any, name: str) -> None:
        self._savepoint_sql(connection, "RELEASE SAVEPOINT", name)

    def do_rollback_to_savepoint(self, connection: Any, name: str) -> None:
        self._savepoint_sql(connection, "ROLLBACK TO SAVEPOINT", name)
