"""The checker does linear work on pathological 20,000-character inputs (issue 15, item 5).

No timed assertions (project rule): the work is counted deterministically instead.
- Python-level work: line events inside handlers/compliance (sys.settrace), so a Python loop over all
  sentences or all findings per finding shows up as quadratic growth.
- Characters handed to regexes through Ctx: the windows the detectors' regexes run in (Ctx.windows),
  the sentences validators search for context (Ctx.sentence_text, which Ctx.in_sentence reads once per
  sentence and pattern) and whole-text context searches (Ctx.in_text, on a cache miss).
A validator that searches ctx.low itself is not counted: use Ctx.in_text / Ctx.in_sentence.
Doubling an input must at most about double each count.
bench/compliance_worst.py measures the same inputs in milliseconds.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from handlers.compliance import check
from handlers.compliance.context import Ctx
from handlers.compliance.engine import MAX_FINDINGS_PER_RULE

PKG = str(Path(check.__code__.co_filename).resolve().parent)


def _fill(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


# Families of pathological text: each is called with n = 5,000 and 10,000 characters.
FAMILIES: dict[str, Callable[[int], str]] = {
    "digit run": lambda n: _fill("1234567890", n),
    "digits with separators": lambda n: _fill("1-", n),
    "phone-like runs": lambda n: _fill("+49 30 1234 5678 ", n),
    "review repeated": lambda n: _fill("review ", n),
    "no spaces": lambda n: _fill("abcdefghijklmnopqrstuvwxyz", n),
    "chinese": lambda n: _fill("您好我们已经发货请给五星好评联系微信电话号码谢谢", n),
    "japanese with kana": lambda n: _fill(
        "注文商品発送確認問題返金評価連絡電話番号住所ありがとうございますレビュー", n
    ),
    "nested brackets": lambda n: "(" * n,
    "angle brackets": lambda n: "<" * n,
    "quotes": lambda n: '"' * n,
    "mixed scripts": lambda n: _fill("a注bレc1é-", n),
    "sentence ends": lambda n: _fill(".!?", n),
    "at and dot": lambda n: _fill("a@a.", n),
    "http": lambda n: _fill("http", n),
    "www": lambda n: _fill("www.", n),
    "emails": lambda n: _fill("a@b.co ", n),
    "links and domains": lambda n: _fill("http://a.co b.co ", n),
    "spoken links": lambda n: _fill("shop dot com ", n),
    "percent off": lambda n: _fill("20% off ", n),
    "shipping notices": lambda n: _fill("Your order has been shipped. ", n),
    "shipping notices, one sentence": lambda n: _fill("your order has been shipped and ", n),
    "review requests": lambda n: _fill("please leave a 5 star review ", n),
    "incentives": lambda n: _fill("free gift for a review ", n),
    "everything": lambda n: _fill("Please leave 5 stars and email me at a@b.co or call +1 555 123 4567. ", n),
}


class Work:
    def __init__(self) -> None:
        self.lines = 0  # Python line events in handlers/compliance
        self.chars = 0  # characters handed to context regexes through Ctx


@contextmanager
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[Work]:
    work = Work()
    windows, sentence_text, in_text = Ctx.windows, Ctx.sentence_text, Ctx.in_text

    def count_windows(self: Ctx, hits: list[tuple[int, int]], reach: int) -> list[tuple[int, int]]:
        out = windows(self, hits, reach)
        work.chars += sum(e - s for s, e in out)  # what the woken detector's regex runs over
        return out

    def count_sentence_text(self: Ctx, m: Any) -> str:
        text = sentence_text(self, m)
        work.chars += len(text)  # what a validator searches for context
        return text

    def count_in_text(self: Ctx, rx: Any) -> bool:
        before = len(self._anywhere)
        found = in_text(self, rx)
        if len(self._anywhere) > before:  # searched, not answered from the cache
            work.chars += len(self.low)
        return found

    monkeypatch.setattr(Ctx, "windows", count_windows)
    monkeypatch.setattr(Ctx, "sentence_text", count_sentence_text)
    monkeypatch.setattr(Ctx, "in_text", count_in_text)

    def tracer(frame: FrameType, event: str, arg: object) -> Any:
        if not frame.f_code.co_filename.startswith(PKG):
            return None  # no line events outside the checker (pydantic, re, opencc...)
        if event == "line":
            work.lines += 1
        return tracer

    sys.settrace(tracer)
    try:
        yield work
    finally:
        sys.settrace(None)


def _work(monkeypatch: pytest.MonkeyPatch, text: str) -> Work:
    check(text)  # warm the caches (rewrite re-checks, trigger index, normalisation tables) for both runs
    with counted(monkeypatch) as work:
        check(text)
    return work


@pytest.mark.parametrize("family", FAMILIES)
def test_doubling_the_input_at_most_doubles_the_work(monkeypatch: pytest.MonkeyPatch, family: str) -> None:
    make = FAMILIES[family]
    small, large = _work(monkeypatch, make(5_000)), _work(monkeypatch, make(10_000))
    # 2x plus slack for constant costs (a trailing partial sentence, one more cache entry)
    assert large.lines <= 2.2 * small.lines + 2_000, (family, small.lines, large.lines)
    assert large.chars <= 2.2 * small.chars + 2_000, (family, small.chars, large.chars)


@pytest.mark.parametrize("family", ["japanese with kana", "shipping notices, one sentence", "review requests"])
def test_context_searches_read_each_sentence_once_per_pattern(monkeypatch: pytest.MonkeyPatch, family: str) -> None:
    """Hundreds of matches in one 20,000-character sentence cost one search of it per context pattern."""
    text = FAMILIES[family](20_000)
    work = _work(monkeypatch, text)
    assert work.chars <= 60 * len(text), work.chars  # ~a few dozen detectors/patterns, each one pass


def test_findings_per_rule_are_capped_and_the_work_stays_near_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """689 shipping notices in 689 sentences: the first MAX_FINDINGS_PER_RULE are reported (each costs a
    rewrite, an explanation and output), and the whole check stays within a few line events per character.
    The old per-finding scan over all sentences cost ~237,000 extra line events here."""
    text = FAMILIES["shipping notices"](20_000)
    findings = check(text).findings
    assert len(findings) == MAX_FINDINGS_PER_RULE and {f.rule for f in findings} == {"TYPE-03"}
    assert findings[-1].end < len(text) // 4  # the first ones
    work = _work(monkeypatch, text)
    assert work.lines < 3 * len(text), work.lines


def test_a_run_on_sentence_gets_no_cut_down_rewrite() -> None:
    """A 5,000-character unpunctuated paste holding an address: the fix is the short contact template, not
    the paste minus the address (cutting and re-checking it would cost a second check of the message)."""
    text = "we packed the order with care and " * 150 + "write to anna@greenhome.de"
    [finding] = [f for f in check(text).findings if f.rule == "CONT-08"]
    assert len(finding.fix) < 200 and "Amazon" in finding.fix
