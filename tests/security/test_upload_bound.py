"""`/promo report` reads at most MAX_REPORT_BYTES of the file a user uploaded (issue 14 leftovers).

Through the whole handler with the fake Slack: a file whose `size` says it is too big is refused
before any download; a file that lies about its size is streamed and dropped past the cap, never
held whole in memory. Either way the user gets one clear refusal and no report.
"""

from __future__ import annotations

import json
import tracemalloc

import pytest

from bot.listeners.promo import report_file

CHANNEL = "C0REPORTS"
USER = "U0REQUESTER"


def _reply_text(bot) -> str:
    [reply] = bot.replies()
    return reply["text"] + json.dumps(reply.get("blocks") or [])


def test_the_cap_has_a_documented_default() -> None:
    assert report_file.MAX_REPORT_BYTES == 20 * 1024 * 1024


def test_a_file_slack_says_is_too_big_is_refused_before_downloading(bot) -> None:
    fid = bot.slack.seed_file(CHANNEL, "huge.csv", b"order-id,promotion-ids\n1,SUMMERSALE\n")
    bot.slack.files[fid]["size"] = 21 * 1024 * 1024
    bot.slash(f"/promo report SUMMERSALE {fid}", user=USER, channel=CHANNEL)
    bot.wait()
    text = _reply_text(bot)
    assert "larger than 20 MB" in text and "shorter date range from Seller Central" in text
    assert bot.slack.calls_to("download") == []
    assert "Promo report SUMMERSALE" not in text


def test_a_file_lying_about_its_size_is_streamed_and_dropped_past_the_cap(bot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_file, "MAX_REPORT_BYTES", 1024 * 1024)
    body = b"order-id,promotion-ids\n" + b"1,SUMMERSALE\n" * (8 * 1024 * 1024 // 13)
    fid = bot.slack.seed_file(CHANNEL, "report.csv", body)
    bot.slack.files[fid]["size"] = 100  # Slack's metadata says small; the bytes are 8 MB
    tracemalloc.start()
    try:
        bot.slash(f"/promo report SUMMERSALE {fid}", user=USER, channel=CHANNEL)
        bot.wait()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    text = _reply_text(bot)
    assert "larger than 1 MB" in text and "shorter date range from Seller Central" in text
    assert "Promo report SUMMERSALE" not in text
    assert bot.slack.calls_to("upload") == []  # no chart, nothing half-done
    assert peak < 4 * 1024 * 1024  # far below the 8 MB body: the download stopped past the cap


def test_a_file_within_the_cap_is_still_read(bot) -> None:
    from tests.support.promo import PROMO_DATA

    bot.slack.seed_file(CHANNEL, "promo_report_us.csv", (PROMO_DATA / "promo_report_us.csv").read_bytes())
    bot.slash("/promo report SUMMERSALE", user=USER, channel=CHANNEL)
    bot.wait()
    assert "4 orders, 8 units" in _reply_text(bot)
