"""Sharing a private promo chart in the channel, once (issue 17 item 6).

The charts function uploads a `/promo report` chart to the requester's DM with the bot and offers them a
"Share in channel" button; the button's value is a `ShareTicket`. Pressing it claims the share with a
conditional write, so a double click (or Slack's retry of the action) posts the chart once:

  CHARTSHARE#<file id>        CHANNEL#<channel>          {"file_id","channel","requester","code","by","at"}
  CHARTSHAREAUDIT#<file id>   AUDIT#<iso ts>#<action>#<r> handlers.audit.AuditEntry (shared | share_failed)

A share that fails after the claim (the bot is not in the channel, Slack is down) is released, with its own
audit entry, so the requester can press the button again.
"""

from __future__ import annotations

import re
from datetime import datetime
from uuid import uuid4

from pydantic import BaseModel, Field, ValidationError

from handlers import audit
from infra.clock import as_utc, iso_sortable
from infra.store.base import ConditionFailed, Item, Put, Store

SHARED = "shared"
SHARE_FAILED = "share_failed"
_SLACK_ID = r"[A-Z0-9]{2,30}"


class ShareTicket(BaseModel):
    """What the button carries: which uploaded file, into which channel, whose chart, of which code."""

    file_id: str = Field(pattern=rf"^F{_SLACK_ID}$")
    channel: str = Field(pattern=rf"^[CGD]{_SLACK_ID}$")
    requester: str = Field(pattern=rf"^[UW]{_SLACK_ID}$")
    code: str = Field(pattern=r"^[A-Z0-9]{1,40}$")

    def value(self) -> str:
        return "|".join((self.file_id, self.channel, self.requester, self.code))

    @classmethod
    def parse(cls, value: str) -> ShareTicket | None:
        """The ticket a button value holds; None for anything else (a tampered or foreign value)."""
        parts = value.split("|") if len(value) <= 200 else []
        if len(parts) != 4:
            return None
        try:
            return cls(file_id=parts[0], channel=parts[1], requester=parts[2], code=parts[3])
        except ValidationError:
            return None


def _key(ticket: ShareTicket) -> tuple[str, str]:
    return f"CHARTSHARE#{ticket.file_id}", f"CHANNEL#{ticket.channel}"


def _audit(ticket: ShareTicket, action: str, by: str, now: datetime, **detail: str) -> Put:
    entry = audit.AuditEntry(
        at=now, by=by, action=action, detail={"channel": ticket.channel, "code": ticket.code, **detail}
    )
    return Put(
        item=Item(
            pk=f"CHARTSHAREAUDIT#{ticket.file_id}",
            sk=f"AUDIT#{iso_sortable(now)}#{action}#{uuid4().hex[:8]}",
            data=entry.model_dump(mode="json"),
        )
    )


def claim(store: Store, ticket: ShareTicket, *, by: str, now: datetime) -> bool:
    """Record that `by` shares the chart in its channel (conditional, audited). False: it was shared already."""
    now = as_utc(now)
    pk, sk = _key(ticket)
    data = {**ticket.model_dump(), "by": by, "at": now.isoformat()}
    try:
        store.transact([Put(item=Item(pk=pk, sk=sk, data=data)), _audit(ticket, SHARED, by, now)])
    except ConditionFailed:
        if store.get(pk, sk) is None:  # not a share already made: let the caller report it
            raise
        return False
    return True


def release(store: Store, ticket: ShareTicket, *, by: str, now: datetime, reason: str) -> None:
    """Undo a claim whose share failed, so the button works again; audited with the reason."""
    now = as_utc(now)
    pk, sk = _key(ticket)
    store.transact([_audit(ticket, SHARE_FAILED, by, now, reason=reason[:200])])
    try:
        store.delete(pk, sk, expected_version=1)
    except ConditionFailed:  # nothing updates a claim; already gone is what we want
        pass


def shared_by(store: Store, ticket: ShareTicket) -> str | None:
    """Who shared this chart in its channel, if anyone."""
    item = store.get(*_key(ticket))
    return str(item.data.get("by")) if item else None


def audit_trail(store: Store, file_id: str) -> list[audit.AuditEntry]:
    if not re.fullmatch(rf"F{_SLACK_ID}", file_id):
        return []
    items = store.query(f"CHARTSHAREAUDIT#{file_id}", prefix="AUDIT#")
    return [audit.AuditEntry.model_validate(i.data) for i in items]
