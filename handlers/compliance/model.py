"""Data types of the compliance checker: rules, detectors, findings, results."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from handlers.compliance.context import Scanner, Validator

MAX_CHARS = 20_000
# the languages of Amazon's marketplaces (BR: pt, NL/BE: nl, PL: pl, SE: sv, TR: tr, SA/AE/EG: ar)
LANGS = ("en", "zh", "de", "fr", "es", "it", "ja", "pt", "nl", "pl", "sv", "tr", "ar")
Severity = Literal["violation", "warning"]
# How a sentence with this finding is rewritten (see fixes.py).
FixKind = Literal["remove", "contact", "review", "resolved", "resolved_fb", "cancel", "delete", "instruction"]


class InvalidInput(ValueError):
    """Empty text, text over 20,000 characters, or an unsupported language."""


@dataclass
class Detector:
    """One regex over the normalised (NFKC, lower-case, t2s for Chinese) text.

    `triggers`: substrings of the normalised text; the regex only runs when one is present
    (substring tests are C-speed, most messages skip most detectors). Empty = always run.
    `validate(ctx, match)` may veto a match (negation, missing review context, Amazon link...).
    `group`: report the span of this group instead of the whole match.
    """

    pattern: str
    triggers: tuple[str, ...] = ()
    validate: Validator | None = None
    group: str | int = 0
    lang: str | None = None  # None: language-independent (links, emails, phones, HTML...)
    reach: int = 0  # how far (characters) a match may extend beyond the sentence holding the trigger
    regex: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.regex = re.compile(self.pattern)


@dataclass
class Rule:
    id: str  # the catalogue ID (amazon-rules-and-peers.md §2)
    title: str
    severity: Severity
    source: str  # policy source
    message: str  # plain explanation shown with every finding
    fix_kind: FixKind
    advice: str  # what to do when no rewrite is possible
    detectors: list[Detector] = field(default_factory=list)
    scan: Scanner | None = None  # whole-message detector (normalised spans)


class Finding(BaseModel):
    rule: str
    severity: Severity
    start: int
    end: int
    excerpt: str
    message: str
    fix: str


def findings_lines(findings: list[Finding]) -> list[str]:
    """One plain-text line per finding (Slack fallback text, buyer-message previews)."""
    return [f'{f.rule} [{f.severity}] "{f.excerpt}": {f.message} Fix: {f.fix}' for f in findings]


class ComplianceResult(BaseModel):
    verdict: Literal["violation", "warning", "ok"]
    lang: str
    findings: list[Finding]

    def to_json_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "lang": self.lang, "findings": [f.model_dump() for f in self.findings]}


STD_ORDER = ("en", "de", "fr", "es", "it", "zh", "ja")


def tag(detectors: list[Detector], *langs: str | None) -> list[Detector]:
    """Set each detector's language (default: one per language in STD_ORDER)."""
    langs = langs or STD_ORDER
    assert len(langs) == len(detectors), (len(langs), len(detectors))
    for det, lang in zip(detectors, langs, strict=False):
        det.lang = lang
    return detectors
