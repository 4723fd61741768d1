"""Message compliance checker (issue 3): deterministic, explainable rules over buyer messages.

Public API: check(text, lang=None) -> ComplianceResult; InvalidInput; RULES (the catalogue in use).
"""

from handlers.compliance.engine import check
from handlers.compliance.model import LANGS, MAX_CHARS, ComplianceResult, Finding, InvalidInput, Rule, findings_lines
from handlers.compliance.rules import BY_ID, RULES

__all__ = [
    "BY_ID",
    "LANGS",
    "MAX_CHARS",
    "RULES",
    "ComplianceResult",
    "Finding",
    "InvalidInput",
    "Rule",
    "check",
    "findings_lines",
]
