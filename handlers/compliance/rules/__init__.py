"""The rule catalogue the engine runs, by family. IDs are those of amazon-rules-and-peers.md §2."""

from __future__ import annotations

from handlers.compliance.model import Rule
from handlers.compliance.rules import conduct, contact, marketing, offers_intl, reviews, style, types

RULES: list[Rule] = [*contact.RULES, *marketing.RULES, *reviews.RULES, *conduct.RULES, *types.RULES, *style.RULES]
BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
assert len(BY_ID) == len(RULES), "duplicate rule id"
# Offers, off-Amazon review sites and repeat review asks in all 13 languages (offers_intl.py).
for _rid, _dets in offers_intl.EXTRA.items():
    BY_ID[_rid].detectors.extend(_dets)
