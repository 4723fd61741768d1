"""`/promo report` input (issue 23 item 3): hostile cells, floods of bad rows and oversized fields.

Work is measured, never time: a spy on the parser's regular expressions records the longest string any
pattern is applied to (every pattern in handlers.promo.report, module-level or compiled on the fly), so a
cell that would make a pattern backtrack is shown to be refused by its length before any pattern sees it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from typing import Any

import pytest

from bot.views.promo import report_summary
from handlers.promo import report as promo_report
from handlers.promo.report import ReportRejected, parse_report

HEADER = "order-id,purchase-date,quantity,item-price,item-promotion-discount,promotion-ids\n"
GOOD = "111-0000001-0000001,2026-12-01,2,20.00,-2.00,SUMMERSALE\n"
SPACES = "1" + " " * 60_000 + "1"  # split on r"\s+\d{1,2}:\d{2}" backtracks over every space: ~30 s of CPU
SEEN_LIMIT = 4_096  # the spy stops the parse as soon as a pattern is applied to a longer string


class _Spy:
    """Stands in for `re` and for each compiled pattern in the module; remembers the longest input."""

    def __init__(self) -> None:
        self.longest = 0

    def saw(self, text: Any) -> None:
        if isinstance(text, str):
            self.longest = max(self.longest, len(text))
            if len(text) > SEEN_LIMIT:
                raise AssertionError(f"a regular expression was applied to a {len(text):,}-character string")

    def wrap_call(self, fn: Callable[..., Any], at: int) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if len(args) > at:
                self.saw(args[at])
            for key in ("string", "text"):
                if key in kwargs:
                    self.saw(kwargs[key])
            return fn(*args, **kwargs)

        return call

    def pattern(self, real: re.Pattern[str]) -> Any:
        spy = self

        class Pattern:
            pattern = real.pattern

            def __getattr__(self, name: str) -> Any:
                attr = getattr(real, name)
                # pattern.sub(repl, string) takes the text second; every other method first
                return spy.wrap_call(attr, 1 if name in ("sub", "subn") else 0) if callable(attr) else attr

        return Pattern()

    def module(self) -> Any:
        spy = self

        class Re:
            def __getattr__(self, name: str) -> Any:
                attr = getattr(re, name)
                if name == "compile":
                    return lambda *a, **k: spy.pattern(re.compile(*a, **k))
                if name in ("match", "fullmatch", "search", "split", "findall", "finditer"):
                    return spy.wrap_call(attr, 1)
                if name in ("sub", "subn"):
                    return spy.wrap_call(attr, 2)
                return attr

        return Re()


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> _Spy:
    spy = _Spy()
    monkeypatch.setattr(promo_report, "re", spy.module())
    for name, value in list(vars(promo_report).items()):
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(promo_report, name, spy.pattern(value))
    return spy


# (a) a cell of 60,000 spaces ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "cells"),
    [
        ("purchase-date", ["111-2", SPACES, "1", "10.00", "-1.00", "SUMMERSALE"]),
        ("quantity", ["111-2", "2026-12-02", SPACES, "10.00", "-1.00", "SUMMERSALE"]),
        ("item-price", ["111-2", "2026-12-02", "1", SPACES, "-1.00", "SUMMERSALE"]),
        ("item-promotion-discount", ["111-2", "2026-12-02", "1", "10.00", SPACES, "SUMMERSALE"]),
    ],
)
def test_a_cell_of_60000_spaces_is_refused_by_its_length_before_any_pattern(
    spy: _Spy, column: str, cells: list[str]
) -> None:
    report = parse_report((HEADER + GOOD + ",".join(cells) + "\n").encode())
    assert report.orders == 1  # the good row still counts
    [error] = report.row_errors
    assert error.line == 3 and "longer than" in error.reason and column in error.reason
    assert len(error.reason) < 200  # the cell is not copied into the message
    assert spy.longest <= promo_report.MAX_CELL_CHARS


def test_a_promotion_ids_cell_of_60000_spaces_is_refused_by_its_length(spy: _Spy) -> None:
    cell = '"SUMMER' + " " * 60_000 + 'SALE,US Core Free Shipping"'  # Amazon's comma-separated list, quoted
    report = parse_report((HEADER + GOOD + f"111-2,2026-12-02,1,10.00,-1.00,{cell}\n").encode(), code="SUMMERSALE")
    assert report.orders == 1
    [error] = report.row_errors
    assert error.line == 3 and "promotion-ids" in error.reason and "longer than" in error.reason
    assert spy.longest <= promo_report.MAX_CELL_CHARS


# (b) 19 MB of bad rows ------------------------------------------------------------------------------------------


def test_19_mb_of_bad_rows_keeps_the_first_errors_and_counts_the_rest() -> None:
    bad = [
        f"111-{i:07d}-0000002,2026-12-02,one,10.00,-1.00,SUMMERSALE{'x' * 44}\n"
        if i % 2
        else f"111-{i:07d}-0000003,2026-12-02{'y' * 64}\n"
        for i in range(199_000)
    ]
    raw = (HEADER + GOOD + "".join(bad)).encode()
    assert len(raw) > 19_000_000
    report = parse_report(raw)
    assert len(report.model_dump_json()) < 20_000  # what the result holds does not grow with the file
    cap = promo_report.MAX_ROW_ERRORS
    assert [e.line for e in report.row_errors] == list(range(3, 3 + cap))
    assert report.row_errors_omitted == len(bad) - cap
    assert report.row_error_count == len(bad)
    _, blocks = report_summary(report, "bad.csv")
    assert f"{len(bad)} unreadable rows" in str(blocks) and f"and {len(bad) - 5} more rows with errors" in str(blocks)


# (c) a field longer than the CSV module's limit -----------------------------------------------------------------

LONG = "z" * 140_000


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (HEADER + GOOD + f"111-2,2026-12-02,1,10.00,-1.00,{LONG}\n", 3),
        (HEADER + GOOD + f'111-2,2026-12-02,1,10.00,-1.00,"SUMMERSALE\n{LONG}\n', 3),  # a quote never closed
        (HEADER.rstrip("\n") + f",{LONG}\n" + GOOD, 1),
    ],
    ids=["data-row", "unclosed-quote", "header"],
)
def test_a_field_over_131072_characters_is_a_rejection_with_its_reason(text: str, line: int) -> None:
    with pytest.raises(ReportRejected) as err:
        parse_report(text.encode())
    reason = err.value.reason
    assert csv.field_size_limit() == promo_report.MAX_FIELD_CHARS  # set once, at import, to the documented bound
    assert f"line {line}" in reason and f"longer than {promo_report.MAX_FIELD_CHARS:,} characters" in reason
    assert "field limit" not in reason and len(reason) < 400  # a sentence, not csv.Error's text
