"""Contact and payment outside Buyer-Seller Messaging, in all 13 languages (TYPE-16, CONT-13)."""

from __future__ import annotations

from handlers.compliance.model import Detector

EXTRA: dict[str, list[Detector]] = {}
