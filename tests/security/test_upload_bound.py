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
    reply = bot.replies()[0]  # the report (or why not); a private chart's notice may follow
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


def test_a_download_without_content_length_stops_past_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    # Slack may send the body chunked; then only the streamed count stops it.
    from collections.abc import Iterator
    from types import SimpleNamespace

    import httpx
    from pydantic import SecretStr

    monkeypatch.setattr(report_file, "MAX_REPORT_BYTES", 1024 * 1024)
    served, total = 0, 8 * 1024 * 1024

    def chunks() -> Iterator[bytes]:
        nonlocal served
        while served < total:
            served += 64 * 1024
            yield b"x" * (64 * 1024)

    client = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, content=chunks())))
    monkeypatch.setattr(httpx, "stream", lambda method, url, **kw: client.stream(method, url, headers=kw["headers"]))
    deps = SimpleNamespace(
        settings=SimpleNamespace(slack_api_url="https://slack.com/api/", slack_bot_token=SecretStr("xoxb-t"))
    )
    info = {"id": "F1", "name": "r.csv", "size": 10, "url_private_download": "https://files.slack.com/f/r.csv"}
    with pytest.raises(report_file.ReportFileError, match="larger than 1 MB; download a shorter date range"):
        report_file.download_file(deps, info)  # type: ignore[arg-type]
    assert served < total
