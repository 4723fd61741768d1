"""Each finding's explanation and advice in the message's language (issue 15, item 2).

The translations live in i18n.json beside this module (package data: pyproject ships "*.json" of every package,
and tools/build_lambda_zip.py copies every file):
{"rules": {RULE_ID: {"message": {lang: text}, "advice": {lang: text}}}, "phrases": {key: {lang: text}}}.
English stays the rule's own text (rules/*.py), the single source; other languages show the translation
followed by the English (" — "), so a seller who checks a message in a language they do not read still
understands the finding. A rule without a translation yet falls back to English alone.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any, Literal

from handlers.compliance.model import Rule

Field = Literal["message", "advice"]
SEP = " — "
_DATA = Path(__file__).with_suffix(".json")


@functools.cache
def _load() -> dict[str, dict[str, dict[str, Any]]]:
    data: dict[str, dict[str, dict[str, Any]]] = json.loads(_DATA.read_text("utf-8"))
    return data


def table() -> dict[str, dict[str, dict[str, str]]]:
    """RULE_ID -> field -> lang -> text."""
    return _load()["rules"]


def phrases() -> dict[str, dict[str, str]]:
    """key -> lang -> text."""
    return _load()["phrases"]


def translated(rule: Rule, field: Field, lang: str) -> str | None:
    """The rule's `field` in `lang` alone, or None (English, or no translation)."""
    if lang == "en":
        return None
    return table().get(rule.id, {}).get(field, {}).get(lang)


def localized(rule: Rule, field: Field, lang: str) -> str:
    """The rule's message or advice in `lang`, with the English alongside ("<lang> — <English>")."""
    english: str = getattr(rule, field)
    local = translated(rule, field, lang)
    return f"{local}{SEP}{english}" if local else english


def message(rule: Rule, lang: str) -> str:
    return localized(rule, "message", lang)


def advice(rule: Rule, lang: str) -> str:
    return localized(rule, "advice", lang)


def phrase(key: str, lang: str) -> str:
    """A fixed phrase of the fixes ("To ask for a review, write:") in `lang`, English when missing."""
    by_lang = phrases()[key]
    return by_lang.get(lang) or by_lang["en"]
