"""1,000 slash commands and button clicks through `bot.lambda_handler.handler`, 20 at a time, 20% repeated
as Slack retries and double requests/clicks: 0 duplicates, 0 lost (bench/load_driver.py judges the run).

No timing is asserted here; bench/load.py prints the latency figures.
"""

from __future__ import annotations

import os

import pytest

from bench.load_driver import LoadRun, fast_spapi, install_deferred_lambda
from bot.local.harness import BotHarness

N = int(os.environ.get("SELLERBOT_LOAD_N", "1000"))


@pytest.fixture
def load_bot(store, monkeypatch):
    from infra.spapi.factory import clear_token_cache

    monkeypatch.setenv("SELLERBOT_HEALTH_POLL_SECONDS", "0.01")
    # One load requester files N/25 promo requests at once; the per-user open-requests cap is not measured here.
    monkeypatch.setenv("SELLERBOT_MAX_OPEN_PROMO_REQUESTS", "1000000")
    clear_token_cache()
    with BotHarness(store=store, with_spapi=True) as harness:
        fast_spapi(harness)
        lazy = install_deferred_lambda(harness, concurrency=20)
        yield harness
        harness.wait(60)
        lazy.close()
    clear_token_cache()


def test_concurrent_load_with_retries_and_double_clicks_loses_and_duplicates_nothing(load_bot):
    run = LoadRun(load_bot, N, concurrency=20, repeat_share=0.2)
    report = run.run(wait_timeout=120)
    assert report.problems == [], "\n".join(report.problems)
    assert report.requests == N
    assert report.duplicates == 0 and report.lost == 0 and report.errors == 0
    assert report.refused == 0
    # The mix really contained what the issue asks for.
    kinds = report.counts
    expected = ["review", "message", "send", "cancel", "help"]
    if run.with_promo:
        expected += ["promo", "promo+double", "approve", "approve+double"]  # double submits, double approvals
    if run.with_health:
        expected += ["health", "health+double", "alert_ack"]  # concurrent checks of one pair, alert acks
    for kind in expected:
        assert kinds.get(kind, 0) > 0, (kind, kinds)
    retries = sum(v for k, v in kinds.items() if k.endswith("+retry"))
    doubles = sum(v for k, v in kinds.items() if k.endswith("+double"))
    assert retries + doubles == pytest.approx(0.2 * N, abs=0.02 * N)
    assert retries > 0 and doubles > 0
    # Every Slack retry was dropped at the gate (whichever copy of a delivery came first won).
    assert report.dropped_redeliveries == retries
    assert report.accepted == N - retries
    # Each eligible order asked for got exactly one solicitation; each clicked draft ended sent or cancelled.
    fake = load_bot.env.fake_spapi
    creates = [r for r in fake.requests if r.operation == "createProductReviewAndSellerFeedbackSolicitation"]
    assert len(creates) == len({r.path for r in creates})
    sends = [r for r in run.requests if r.kind == "send" and not r.repeat]
    assert len(fake.messages) == len(sends) + 0  # the warm-up draft was cancelled


def test_the_judge_sees_duplicates_when_redelivery_dedupe_is_off(load_bot):
    """The 0 above is not vacuous: without the gate's claim, Slack's retries run twice and are counted."""
    load_bot.env.entry.gate._claim = lambda key: True  # our own dedupe, switched off for this check
    report = LoadRun(load_bot, 120, concurrency=20, repeat_share=0.2, seed=3).run(wait_timeout=120)
    assert report.duplicates > 0
    assert any("replies" in p or "accepted" in p for p in report.problems), report.problems
