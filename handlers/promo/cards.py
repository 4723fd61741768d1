"""Where a promotion's approval card lives, and which one-time notices were sent.

The Slack surface posts one request card per promotion and edits it in place
on every change, so it must know the card's (channel, ts) even when a click
comes from another message. Both records are conditional writes in the
promotion's own partition (sk prefixes never collide with `ID#`/`CODE#`):

  PROMO#<account>  CARD#<promo id>             {"channel", "ts"}: claimed before posting
  PROMO#<account>  NOTICE#<promo id>#<kind>    {"at"}: a notification sent once
"""

from __future__ import annotations

import time

from pydantic import BaseModel

from handlers.promo.repository import promo_pk
from infra.store.base import ConditionFailed, Item, Store


class CardRef(BaseModel):
    channel: str
    ts: str | None = None  # None while the post is in flight (or failed before Slack answered)
    version: int = 1


class CardRefs:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, account_id: str, promo_id: str) -> CardRef | None:
        item = self.store.get(promo_pk(account_id), f"CARD#{promo_id}")
        return CardRef(**item.data, version=item.version) if item else None

    def claim(self, account_id: str, promo_id: str, channel: str) -> bool:
        """True for exactly one caller: that caller posts the card."""
        return self.store.put_if_absent(
            Item(pk=promo_pk(account_id), sk=f"CARD#{promo_id}", data={"channel": channel, "ts": None})
        )

    def posted(self, account_id: str, promo_id: str, channel: str, ts: str) -> None:
        ref = self.get(account_id, promo_id)
        if ref is None:
            raise LookupError(f"no card claim for {account_id}:{promo_id}")
        self.store.update(
            promo_pk(account_id), f"CARD#{promo_id}", {"channel": channel, "ts": ts}, expected_version=ref.version
        )

    def release(self, account_id: str, promo_id: str) -> None:
        """Forget a claim whose post failed, so the next attempt may post."""
        ref = self.get(account_id, promo_id)
        if ref is not None and ref.ts is None:
            try:
                self.store.delete(promo_pk(account_id), f"CARD#{promo_id}", expected_version=ref.version)
            except ConditionFailed:
                pass

    def claim_notice(self, account_id: str, promo_id: str, kind: str) -> bool:
        """True once per (promotion, kind): send that notification only then."""
        return self.store.put_if_absent(
            Item(pk=promo_pk(account_id), sk=f"NOTICE#{promo_id}#{kind}", data={"at": int(time.time())})
        )
