"""`/promo report` with the Amazon Attribution panel beside the referred share (issue 22 item 4): the same
marketplace and days as the file, a separate statistic, one line saying nothing is joined to promo codes,
and the promo report still answered when Attribution fails."""

from __future__ import annotations

import json

import pytest

from bot.local.harness import BotHarness
from handlers.affiliates.models import AffiliatesUnavailable
from handlers.promo.report import parse_report
from tests.e2e.affiliates_slack.standin import StandIn
from tests.support.promo import PROMO_DATA

CHANNEL = "C0REPORTS"


@pytest.fixture
def bot(store):
    with BotHarness(store=store) as harness:
        harness.deps.affiliates = StandIn()  # type: ignore[assignment]
        yield harness


def _report(bot) -> tuple[str, list[dict]]:
    bot.slack.seed_file(CHANNEL, "promo_report_us.csv", (PROMO_DATA / "promo_report_us.csv").read_bytes())
    bot.slash("/promo report SUMMERSALE", user="U0REQUESTER", channel=CHANNEL)
    bot.wait()
    reply = bot.replies()[0]
    blocks = reply.get("blocks") or []
    return reply["text"], json.loads(blocks) if isinstance(blocks, str) else blocks


def _texts(blocks: list[dict]) -> list[str]:
    out = []
    for b in blocks:
        if b.get("text"):
            out.append(b["text"]["text"])
        out += [e.get("text", "") for e in b.get("elements", []) if isinstance(e, dict)]
    return out


def test_attribution_totals_sit_beside_the_referred_share_as_a_separate_statistic(bot):
    text, blocks = _report(bot)
    texts = _texts(blocks)
    referred = next(i for i, t in enumerate(texts) if t.startswith("*Referred by Associates/Influencers*"))
    assert texts[referred + 1].startswith("*Amazon Attribution (affiliate tags), a separate statistic*")
    assert "211.96 USD" in texts[referred + 1]
    assert "never joins affiliate rows to promo codes" in texts[referred + 2]
    call = bot.deps.affiliates.calls[0]
    assert call[:3] == ("report", "acme", "US")  # the file's marketplace, over the file's days
    days = parse_report((PROMO_DATA / "promo_report_us.csv").read_bytes(), code="SUMMERSALE", marketplace="US")
    assert call[3:5] == (str(days.first_day), str(days.last_day))
    assert "referred 50.0% of orders" in text  # the promo statistic is unchanged


def test_attribution_unavailable_is_said_and_the_promo_report_still_shown(bot):
    bot.deps.affiliates.result = AffiliatesUnavailable(
        reason="no_credentials", message="acme has no Amazon Ads credentials: ask an admin to add them."
    )
    text, blocks = _report(bot)
    assert "ask an admin to add them" in json.dumps(blocks) and "referred 50.0%" in text


def test_attribution_failing_never_fails_the_promo_report(bot):
    bot.deps.affiliates.result = RuntimeError("boom")
    text, blocks = _report(bot)
    assert "could not be read just now" in json.dumps(blocks) and "boom" not in json.dumps(blocks)
    assert "referred 50.0% of orders" in text
