"""Integrity of the real-text compliance corpus (tests/compliance/corpus/*.jsonl).

Checks the shape only: every line parses and carries the README's fields, ids and texts are
unique, languages and labels are known, rules are given exactly for violations, and every text
has a source address. The recall / pass goals are measured by bench/compliance_corpus.py, not here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"
FIELDS = {"id", "text", "lang", "label", "rules", "source", "kind", "why"}
LANGS = {"en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "tr", "ar", "zh", "ja"}
LABELS = {"violation", "compliant"}


def _lines() -> list[tuple[str, int, str]]:
    return [
        (f.name, n, line)
        for f in sorted(CORPUS.glob("*.jsonl"))
        for n, line in enumerate(f.read_text("utf-8").splitlines(), 1)
        if line.strip()
    ]


def _cases() -> list[dict]:
    return [json.loads(line) for _, _, line in _lines()]


def test_corpus_has_files() -> None:
    assert list(CORPUS.glob("*.jsonl")), "no corpus files"


@pytest.mark.parametrize(("name", "number", "line"), _lines(), ids=lambda v: str(v)[:20])
def test_line_is_a_complete_case(name: str, number: int, line: str) -> None:
    case = json.loads(line)
    where = f"{name}:{number}"
    assert isinstance(case, dict), where
    assert case.keys() >= FIELDS, f"{where} lacks {sorted(FIELDS - case.keys())}"
    assert isinstance(case["text"], str) and case["text"].strip(), where
    assert case["lang"] in LANGS, where
    assert case["id"].startswith(case["lang"] + "-"), where
    assert case["label"] in LABELS, where
    assert isinstance(case["rules"], list), where
    assert bool(case["rules"]) == (case["label"] == "violation"), f"{where}: rules must be empty iff compliant"
    assert isinstance(case["source"], str) and case["source"].startswith("http"), where
    assert isinstance(case["why"], str) and case["why"].strip(), where


def test_ids_are_unique() -> None:
    ids = [c["id"] for c in _cases()]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_texts_are_unique() -> None:
    texts = [c["text"].strip() for c in _cases()]
    dupes = {t[:60] for t in texts if texts.count(t) > 1}
    assert not dupes, sorted(dupes)
