"""Offers, off-Amazon review sites and repeat review asks in all 13 languages (issue 15).

rules/__init__.py appends these detectors to TYPE-05, CONT-13 and REV-09 by id.
"""

from __future__ import annotations

from handlers.compliance.model import Detector

# rule id -> the detectors rules/__init__.py appends to that rule
EXTRA: dict[str, list[Detector]] = {}
