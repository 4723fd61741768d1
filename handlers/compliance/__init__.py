"""Message compliance checker (issue 3): deterministic, explainable rules.

Public API: check(text, lang=None) -> ComplianceResult; InvalidInput.
"""
from handlers.compliance.engine import ComplianceResult, Finding, InvalidInput, check

__all__ = ["check", "ComplianceResult", "Finding", "InvalidInput"]
