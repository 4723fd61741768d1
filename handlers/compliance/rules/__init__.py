"""The rule catalogue the engine runs, by family. IDs are those of amazon-rules-and-peers.md §2."""

from __future__ import annotations

from handlers.compliance.model import Rule
from handlers.compliance.rules import (
    conduct,
    contact,
    contact_intl,
    marketing,
    offers_intl,
    persuasion,
    reviews,
    reviews_intl,
    style,
    types,
)

RULES: list[Rule] = [
    *contact.RULES,
    *marketing.RULES,
    *reviews.RULES,
    *persuasion.RULES,
    *conduct.RULES,
    *types.RULES,
    *style.RULES,
]
BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
assert len(BY_ID) == len(RULES), "duplicate rule id"
# The pt nl pl sv tr ar detectors of rules defined with the first seven languages (reviews_intl.py).
for _rid, _dets in reviews_intl.EXTRA.items():
    BY_ID[_rid].detectors.extend(_dets)
# Offers, off-Amazon review sites and repeat review asks in all 13 languages (offers_intl.py).
for _rid, _dets in offers_intl.EXTRA.items():
    BY_ID[_rid].detectors.extend(_dets)
# Asking to call, e-mail or pay outside Buyer-Seller Messaging, without a written address (contact_intl.py).
for _rid, _dets in contact_intl.EXTRA.items():
    BY_ID[_rid].detectors.extend(_dets)
