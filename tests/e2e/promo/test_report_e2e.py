"""`/promo report` as a seller trusts it (issue 17 item 6), through the whole Lambda handler and the fake Slack:
the currency, the coverage of the promotion's days, and the chart sent privately with a "Share in channel"
button only the requester may press, once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from handlers.promo.chart_share import audit_trail
from handlers.promo.repository import PromoRepository
from infra.marketplaces import local
from tests.support.promo import PROMO_DATA

REQUESTER, STRANGER = "U0REQUESTER", "U0APPROVER1"
CHANNEL = "C0REPORTS"


def _blocks(params: dict) -> list[dict]:
    blocks = params.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def _share_button(bot) -> str:
    for reply in bot.replies():
        for block in _blocks(reply):
            for el in block.get("elements", []) if block["type"] == "actions" else []:
                if el["action_id"] == "promo_chart_share":
                    return el["value"]
    raise AssertionError(f"no share button in {bot.replies()}")


def _uploads_to(bot, channel: str) -> list[dict]:
    return [
        c.params for c in bot.slack.calls_to("files.completeUploadExternal") if c.params.get("channel_id") == channel
    ]


def _report(bot, line: str = "/promo report SUMMERSALE") -> dict:
    bot.slack.seed_file(CHANNEL, "promo_report_us.csv", (PROMO_DATA / "promo_report_us.csv").read_bytes())
    bot.slash(line, user=REQUESTER, channel=CHANNEL)
    bot.wait()
    return bot.replies()[0]


def test_money_is_shown_with_its_currency_and_the_referred_share(bot):
    reply = _report(bot)
    assert "sales 1,148.00 USD, discount cost 29.60 USD, referred 50.0% of orders" in reply["text"]
    blocks = json.dumps(_blocks(reply))
    assert "2 of 4 orders (50.0%), 4 of 8 units (50.0%), 1,061.00 USD of 1,148.00 USD (92.4%)" in blocks
    assert "Amounts in USD (the marketplace" in blocks  # the per-code file names no currency


def test_all_orders_report_without_referral_column_says_the_code_was_not_shared(bot):
    bot.slack.seed_file(CHANNEL, "All Orders Report.txt", (PROMO_DATA / "all_orders_report_us.txt").read_bytes())
    bot.slash("/promo report SUMMER26", user=REQUESTER, channel=CHANNEL)
    bot.wait()
    reply = bot.replies()[0]
    assert "no referral column (not shared with Influencers/Associates)" in reply["text"]
    assert "Amounts in USD (as the file states)" in json.dumps(_blocks(reply))


def test_the_chart_goes_only_to_the_requester_with_a_share_button(bot):
    _report(bot)
    assert _uploads_to(bot, CHANNEL) == []  # nothing in the channel by default
    [dm_upload] = _uploads_to(bot, "D0REQUESTER")  # the requester's DM with the bot (conversations.open)
    notice = next(r for r in bot.replies() if "only you can see it" in r.get("text", ""))
    assert notice["response_type"] == "ephemeral"
    file_id, channel, requester, code = _share_button(bot).split("|")
    assert (channel, requester, code) == (CHANNEL, REQUESTER, "SUMMERSALE")
    assert file_id == json.loads(dm_upload["files"])[0]["id"]


def test_share_posts_once_even_when_pressed_twice_and_is_audited(bot):
    _report(bot)
    value = _share_button(bot)
    bot.click("promo_chart_share", value, user=REQUESTER, channel=CHANNEL)
    bot.wait()
    bot.click("promo_chart_share", value, user=REQUESTER, channel=CHANNEL)
    bot.wait()
    [shared] = _uploads_to(bot, CHANNEL)
    assert f"<@{REQUESTER}> shared the SUMMERSALE chart" in shared["initial_comment"]
    [upload_bytes] = [c for c in bot.slack.calls_to("upload")][-1:]
    assert upload_bytes.params["head"].startswith("89504e47")  # the PNG itself, copied from the DM
    texts = [r.get("text", "") for r in bot.replies()]
    assert "You shared the SUMMERSALE chart in this channel." in texts
    assert "This chart was already shared in this channel by you." in texts
    trail = audit_trail(bot.store, value.split("|")[0])
    assert [(e.action, e.by, e.detail["channel"]) for e in trail] == [("shared", REQUESTER, CHANNEL)]


def test_only_the_requester_may_share(bot):
    _report(bot)
    value = _share_button(bot)
    bot.click("promo_chart_share", value, user=STRANGER, channel=CHANNEL)
    bot.wait()
    assert _uploads_to(bot, CHANNEL) == []
    assert f"Only <@{REQUESTER}> can share this chart" in bot.replies()[-1]["text"]
    # A value shown in one channel pressed from another (Slack would not send that; the check costs nothing).
    bot.click("promo_chart_share", value, user=REQUESTER, channel="C0ELSEWHERE")
    bot.wait()
    assert _uploads_to(bot, "C0ELSEWHERE") == [] and "no longer works" in bot.replies()[-1]["text"]


def test_a_share_slack_refuses_is_released_so_the_button_works_again(bot):
    _report(bot)
    value = _share_button(bot)
    bot.slack.add_fault("files.getUploadURLExternal", "status:500", times=10)
    bot.click("promo_chart_share", value, user=REQUESTER, channel=CHANNEL)
    bot.wait()
    assert "The chart was not shared: Slack did not take the upload" in bot.replies()[-1]["text"]
    bot.slack.faults.clear()
    bot.click("promo_chart_share", value, user=REQUESTER, channel=CHANNEL)
    bot.wait()
    assert len(_uploads_to(bot, CHANNEL)) == 1
    actions = [e.action for e in audit_trail(bot.store, value.split("|")[0])]
    assert sorted(actions) == ["share_failed", "shared", "shared"]


def test_a_report_that_misses_days_of_the_promotion_says_which_and_what_to_download(bot):
    today = datetime.now(UTC).date()
    dates = f"{today + timedelta(days=7)}..{today + timedelta(days=20)}"
    ack = bot.ack_json(bot.slash(f"/promo new WINTER26 20% B0ABCDEFGH {dates} --marketplace US", user=REQUESTER))
    assert "Submitting WINTER26" in ack["text"], ack
    bot.wait()
    promo = PromoRepository(bot.store).get_by_code("acme", "WINTER26", with_history=False)
    start, end = local(promo.start, promo.marketplace).date(), local(promo.end, promo.marketplace).date()
    # The promotion is over; the file has orders on its 2nd to 4th day only.
    bot.deps.clock = lambda: datetime.combine(end + timedelta(days=3), datetime.min.time(), UTC).timestamp()
    rows = "".join(
        f"11{n}-0000001-000000{n},{start + timedelta(days=n)}T20:00:00+00:00,1,10.00,WINTER26\n" for n in (1, 2, 3)
    )
    bot.slack.seed_file(
        CHANNEL, "orders.csv", ("Order ID,Purchase Date,Quantity,Item Price,Promo Code\n" + rows).encode()
    )
    before = len(bot.replies())
    bot.slash("/promo report WINTER26", user=REQUESTER, channel=CHANNEL)
    bot.wait()
    text = json.dumps(_blocks(bot.replies()[before]))
    first, last = start + timedelta(days=1), start + timedelta(days=3)
    assert f"The report covers {first} to {last}, but WINTER26 runs {start} to {end} (US time)" in text
    assert f"leave out {start} and {last + timedelta(days=1)} to {end}" in text
    assert f"Download the report again in Seller Central for {start} to {end}" in text
