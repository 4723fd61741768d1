"""SQLite store: the embedded default for `make demo` and single-box installs."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from infra.store.base import ConditionFailed, Item, Put, Update

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    pk TEXT NOT NULL,
    sk TEXT NOT NULL,
    data TEXT NOT NULL,
    version INTEGER NOT NULL,
    expires_at INTEGER,
    PRIMARY KEY (pk, sk)
) WITHOUT ROWID
"""


class SQLiteStore:
    def __init__(self, path: str = ":memory:", clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        # One connection guarded by a lock: SQLite serialises writers anyway,
        # and the local server runs lazy listeners on threads.
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(_SCHEMA)
        self._lock = threading.RLock()

    def _row_to_item(self, row: tuple[str, str, str, int, int | None]) -> Item:
        pk, sk, data, version, expires_at = row
        return Item(pk=pk, sk=sk, data=json.loads(data), version=version, expires_at=expires_at)

    def _live(self, pk: str, sk: str) -> Item | None:
        row = self._conn.execute(
            "SELECT pk, sk, data, version, expires_at FROM items WHERE pk=? AND sk=?", (pk, sk)
        ).fetchone()
        if row is None:
            return None
        item = self._row_to_item(row)
        return None if item.is_expired(self._clock()) else item

    def get(self, pk: str, sk: str) -> Item | None:
        with self._lock:
            return self._live(pk, sk)

    def _put(self, item: Item) -> None:
        if self._live(item.pk, item.sk) is not None:
            raise ConditionFailed(item.pk, item.sk, "item exists")
        self._conn.execute(
            "INSERT OR REPLACE INTO items (pk, sk, data, version, expires_at) VALUES (?, ?, ?, ?, ?)",
            (item.pk, item.sk, json.dumps(item.data, sort_keys=True), item.version, item.expires_at),
        )

    def _update(self, step: Update) -> Item:
        current = self._live(step.pk, step.sk)
        if current is None or current.version != step.expected_version:
            raise ConditionFailed(step.pk, step.sk, "version mismatch" if current else "item absent")
        new = Item(pk=step.pk, sk=step.sk, data=step.data, version=current.version + 1, expires_at=step.expires_at)
        self._conn.execute(
            "UPDATE items SET data=?, version=?, expires_at=? WHERE pk=? AND sk=?",
            (json.dumps(new.data, sort_keys=True), new.version, new.expires_at, new.pk, new.sk),
        )
        return new

    def put_if_absent(self, item: Item) -> bool:
        with self._lock:
            try:
                self._put(item)
            except ConditionFailed:
                return False
            return True

    def update(
        self, pk: str, sk: str, data: dict[str, Any], *, expected_version: int, expires_at: int | None = None
    ) -> Item:
        with self._lock:
            return self._update(
                Update(pk=pk, sk=sk, data=data, expected_version=expected_version, expires_at=expires_at)
            )

    def delete(self, pk: str, sk: str, *, expected_version: int | None = None) -> bool:
        with self._lock:
            current = self._live(pk, sk)
            if expected_version is not None and (current is None or current.version != expected_version):
                raise ConditionFailed(pk, sk, "version mismatch" if current else "item absent")
            cur = self._conn.execute("DELETE FROM items WHERE pk=? AND sk=?", (pk, sk))
            return cur.rowcount > 0 and current is not None

    def query(self, pk: str, *, prefix: str = "", limit: int | None = None, descending: bool = False) -> list[Item]:
        order = "DESC" if descending else "ASC"
        # Range scan instead of LIKE so '%' and '_' in keys stay literal.
        sql = f"SELECT pk, sk, data, version, expires_at FROM items WHERE pk=? AND sk>=? AND sk<? ORDER BY sk {order}"
        upper = prefix + "\U0010ffff"
        with self._lock:
            rows = self._conn.execute(sql, (pk, prefix, upper)).fetchall()
        now = self._clock()
        items = [i for i in map(self._row_to_item, rows) if not i.is_expired(now)]
        return items[:limit] if limit is not None else items

    def transact(self, steps: Sequence[Put | Update]) -> None:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for step in steps:
                    if isinstance(step, Put):
                        self._put(step.item)
                    else:
                        self._update(step)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()
