"""Issue 14: a fuzz run over the gate, the V2 report parser and the promo CSV ingest (10,000 inputs each)
finds 0 crashes and 0 unbounded allocations: no input makes its handler allocate more than a fixed
multiple of the input's size plus a constant at its peak (tracemalloc). Gzip bombs and oversized bodies are
mixed in; the report bound is lowered to 4 MB for the run so a bomb is refused in milliseconds."""

from __future__ import annotations

import gzip
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import strategies as st

from bot.gate import RequestGate
from bot.local.signed_requests import headers_for
from handlers.health import report as health_report
from handlers.promo import report as promo_report
from infra.store.sqlite import SQLiteStore
from tests.support.fuzzing import INPUTS_PER_PARSER, byte_mutations, run_batches
from tests.support.health import sample_bytes
from tests.support.promo import PROMO_DATA

SECRET = "fuzz-allocation-secret"
BOMB = gzip.compress(b"0" * 30_000_000, mtime=0)  # ~30 KB that would expand to 30 MB
PER_INPUT_BYTE, CONSTANT = 40, 8_000_000  # a parser may hold a few copies of its input, never a bomb's expansion


def bounded(one: Callable[[Any], None]) -> Callable[[Any], None]:
    def run(value: Any) -> None:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        one(value)
        grew = tracemalloc.get_traced_memory()[1] - before
        limit = PER_INPUT_BYTE * len(value) + CONSTANT
        assert grew <= limit, f"one input of {len(value)} bytes allocated {grew / 1e6:.1f} MB"

    return run


@pytest.fixture(autouse=True)
def traced(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(health_report, "MAX_DECOMPRESSED_BYTES", 4_000_000)
    tracemalloc.start()
    yield
    tracemalloc.stop()


def test_gate():
    gate = RequestGate(SECRET, SQLiteStore(":memory:"), max_body_bytes=100_000)
    bodies = st.one_of(
        st.text(max_size=200), st.sampled_from(["command=/x&text=" + "y" * 300_000, "payload=" + "{" * 150_000])
    )

    def one(body: str) -> None:
        headers = headers_for(body, SECRET) if len(body) % 2 else {"content-type": "application/x-www-form-urlencoded"}
        decision = gate.check({"body": body, "headers": headers, "isBase64Encoded": False})
        assert decision.response is None or decision.response["statusCode"] in (200, 400, 401, 413)

    assert run_batches(bodies, bounded(one)) >= INPUTS_PER_PARSER


def test_v2_report_parser():
    sample = sample_bytes()
    documents = st.one_of(st.just(BOMB), st.binary(max_size=100), byte_mutations(sample))

    def one(document: bytes) -> None:
        try:
            health_report.parse_report(document)
        except health_report.ReportUnreadable as exc:
            assert exc.reason

    assert run_batches(documents, bounded(one)) >= INPUTS_PER_PARSER


def test_promo_csv_ingest():
    sample = (PROMO_DATA / "promo_report_us.csv").read_bytes()
    files = st.one_of(st.binary(max_size=100), byte_mutations(sample))

    def one(data: bytes) -> None:
        try:
            promo_report.parse_report(data)
        except promo_report.ReportRejected as exc:
            assert exc.reason

    assert run_batches(files, bounded(one)) >= INPUTS_PER_PARSER
