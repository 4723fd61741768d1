"""The LWA secret's record: conditional writes, audited, never back in time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.onboarding.rotation import PK, LwaSecretBook
from infra.store.factory import build_store

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_records_a_new_secret_and_an_expiry_notice_with_audit_entries():
    store = build_store("sqlite://:memory:")
    book = LwaSecretBook(store)
    assert book.get() is None
    assert not book.record_expiry(expires_at=NOW + timedelta(days=90), at=NOW, by="amazon")  # nothing to annotate
    assert book.record_new_secret(at=NOW, by="cli:secrets-put")
    assert book.get().due_at() == NOW + timedelta(days=180)
    assert book.record_expiry(expires_at=NOW + timedelta(days=90), at=NOW, by="amazon")
    assert book.get().due_at() == NOW + timedelta(days=90)
    audit = [i for i in store.query(PK, prefix="AUDIT#")]
    assert [a.data["action"] for a in audit] == ["lwa_secret_stored", "lwa_secret_expiry_notice"]


def test_an_older_record_never_replaces_a_newer_one():
    book = LwaSecretBook(build_store("sqlite://:memory:"))
    assert book.record_new_secret(at=NOW, by="a")
    assert not book.record_new_secret(at=NOW - timedelta(days=1), by="b")
    assert book.get().by == "a"
