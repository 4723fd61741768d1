"""Message compliance checker (issue 3): deterministic, explainable rules over buyer messages.

Public API: check(text, lang=None) -> ComplianceResult; InvalidInput; RULES (the catalogue in use).

The engine loads on the first `check` and `RULES`/`BY_ID` on first access (PEP 562): the rule modules
compile several hundred patterns (~250 ms) and the Slack ack path imports this package for its models
and `check` without calling it (issue 16).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from handlers.compliance.model import LANGS, MAX_CHARS, ComplianceResult, Finding, InvalidInput, Rule, findings_lines

if TYPE_CHECKING:
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


def check(text: str, lang: str | None = None) -> ComplianceResult:
    """Check one buyer message. Raises InvalidInput (empty, > 20,000 characters, unknown language)."""
    from handlers.compliance.engine import check as engine_check  # the rules compile here, once

    return engine_check(text, lang)


def __getattr__(name: str) -> Any:
    if name not in ("RULES", "BY_ID"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from handlers.compliance import rules

    value = getattr(rules, name)
    globals()[name] = value  # later lookups skip this function
    return value


def warm() -> None:
    """Compile the rules and load the language model now (SnapStart's before-snapshot hook)."""
    # English text long enough that the script test does not decide, so the language model loads too.
    check("Thank you for your order, we hope the parcel arrived safely and in good time.")
