"""/health, /health check and the alert buttons through the whole Lambda handler.

Signed requests into `bot.lambda_handler.handler` (BotHarness), lazy listeners on the
in-process Lambda stand-in, the fake Slack Web API and the built-in SP-API sandbox over
real HTTP (acme US healthy, acme CA at risk; globex UK at risk, globex DE healthy).
"""

from __future__ import annotations

import json

import pytest

from bot.local.harness import BotHarness
from handlers.health.alerts import AlertBook
from infra.store.sqlite import SQLiteStore


@pytest.fixture
def bot(monkeypatch):
    monkeypatch.setenv("SELLERBOT_HEALTH_POLL_SECONDS", "0.01")
    monkeypatch.setenv("SELLERBOT_SLACK_POSTS_PER_SECOND", "1000")  # the fake Slack takes any pace
    store = SQLiteStore(":memory:")
    with BotHarness(store=store, with_spapi=True) as harness:
        yield harness
    store.close()


def _alerts(bot, channel: str) -> list[dict]:
    """Alert messages (they carry the buttons) in `channel`: replies in the pair's digest thread."""
    out = []
    for m in bot.slack.messages.get(channel, []):
        if any(b.get("type") == "actions" for b in (m.get("blocks") or [])):
            out.append(m)
    return out


def _digests(bot, channel: str) -> list[dict]:
    return [m for m in bot.slack.messages.get(channel, []) if not m.get("thread_ts")]


def _button(message: dict, action_id: str) -> str:
    for block in message["blocks"]:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element["action_id"] == action_id:
                return element["value"]
    raise AssertionError(f"no {action_id} button")


def _critical(bot, channel: str, label: str = "Order defect rate (MFN)") -> dict:
    return next(m for m in _alerts(bot, channel) if label in m["text"] and "CRITICAL" in m["text"])


def _check(bot, args: str = "acme CA") -> None:
    ack = bot.ack_json(bot.slash(f"/health check {args}"))
    assert "Starting a health check" in ack["text"]
    bot.wait(60)


def test_help_lists_health(bot):
    ack = bot.ack_json(bot.slash("/sellerbot help"))
    bot.wait()
    text = json.dumps([ack, *bot.replies()])
    assert "/health check [ACCOUNT] [MARKETPLACE]" in text


@pytest.mark.parametrize(
    "line, expected",
    [
        ("/health nope", "Unknown account `nope`; your accounts: `acme`, `globex`."),
        ("/health acme FR", "Account `acme` has no marketplace `FR`; it has US, CA."),
        ("/health acme ZZ", "(`ZZ` is not a marketplace code)"),
        ("/health check acme US extra", "Too many arguments"),
        ("/health JP", "No configured account sells in marketplace `JP`."),
    ],
)
def test_bad_arguments_get_a_specific_ephemeral_error_with_usage(bot, line, expected):
    ack = bot.ack_json(bot.slash(line))
    assert ack["response_type"] == "ephemeral"
    assert expected in ack["text"] and "Usage: /health [ACCOUNT] [MARKETPLACE]" in ack["text"]
    bot.wait()
    assert bot.slack.calls_to("chat.postMessage") == [] and bot.replies() == []


def test_check_posts_each_red_flag_once_to_the_account_channel(bot):
    _check(bot)
    first = _alerts(bot, "C0ACMECA")
    assert len(first) >= 5
    texts = "\n".join(m["text"] for m in first)
    # mrkdwn: the message's own `<` is escaped (Slack shows it as `<`)
    assert "Order defect rate (MFN) 1.42 % vs target &lt; 1.00 %" in texts
    assert "Account status is AT_RISK" in texts
    odr = _critical(bot, "C0ACMECA")
    blocks = json.dumps(odr["blocks"])
    for part in (
        "*Value*\\n1.42 %",
        "*Target*\\n&lt; 1.00 %",
        "What it means:",
        "What to do next:",
        "<!subteam^S0ACMEOPS>",
        "health_ack",
        "health_snooze",
        "health_assign",
    ):
        assert part in blocks, part
    # The progress message in the command's channel ends with a summary.
    [progress] = bot.slack.messages["C0DEMO"]
    assert "finished: 1 of 1 checked" in progress["text"] and "acme CA: AT_RISK" in progress["text"]

    _check(bot)  # the same flags again: nothing new to say
    assert len(_alerts(bot, "C0ACMECA")) == len(first)
    assert "0 new post(s)" in bot.slack.messages["C0DEMO"][-1]["text"]
    # Within 15 minutes a repeated check reads the same report: one createReport (1/min per seller) for both.
    assert bot.env.fake_spapi.stats.requests["createReport"] == 1
    assert "C0ACMEUS" not in bot.slack.messages


def test_healthy_account_posts_nothing_but_reports_all_clear_in_progress(bot):
    _check(bot, "acme US")
    assert _alerts(bot, "C0ACMEUS") == []
    assert "acme US: NORMAL, 0 red flag(s)" in bot.slack.messages["C0DEMO"][-1]["text"]


def test_state_view_shows_metrics_alerts_and_uploads_the_trend_chart(bot):
    _check(bot)
    ack = bot.ack_json(bot.slash("/health acme CA --post"))  # shared on purpose: in the channel, with the chart
    assert ack["text"].startswith("Checking account health for acme CA")
    bot.wait(60)
    [reply] = bot.replies()
    assert reply["response_type"] == "in_channel"
    blocks = json.dumps(reply["blocks"])
    assert "AT_RISK" in reply["text"] and "critical" in reply["text"]
    assert ":x: Order defect rate (MFN): 1.42 % (target &lt; 1.00 %)" in blocks
    assert "Open red flags" in blocks
    [get_url] = bot.slack.calls_to("files.getUploadURLExternal")
    assert get_url.params["filename"] == "health-acme-CA.png"
    [upload] = bot.slack.calls_to("upload")
    assert upload.params["head"].startswith("89504e47") and upload.params["bytes"] > 1000  # a PNG
    [complete] = bot.slack.calls_to("files.completeUploadExternal")
    assert complete.params.get("channel_id") == "C0DEMO"


def test_never_checked_pair_says_how_to_check(bot):
    bot.slash("/health globex DE")
    bot.wait(60)
    [reply] = bot.replies()
    assert "/health check globex DE" in json.dumps(reply["blocks"])
    # About an account, only to the caller unless shared: ephemeral, no chart in the channel, and how to share.
    assert reply["response_type"] == "ephemeral" and "/health globex DE --post" in json.dumps(reply["blocks"])
    assert bot.slack.calls_to("upload") == []


def test_summary_lists_every_pair_worst_first(bot):
    _check(bot, "acme")
    bot.slash("/health")
    bot.wait(60)
    reply = bot.replies()[-1]
    sections = [b["text"]["text"] for b in reply["blocks"] if b["type"] == "section"]
    assert sections[0].splitlines()[0].startswith(":red_circle: *acme* CA — red flags open · account AT_RISK")
    context = json.dumps(reply["blocks"], ensure_ascii=False)
    assert "1 red flags open · 2 not checked yet · 1 healthy" in context
    # Never checked is listed as such, never counted as clear.
    assert "*globex* DE — not checked yet" in context and "*globex* UK — not checked yet" in context


def test_double_click_acknowledges_once_and_updates_the_message(bot):
    _check(bot)
    alert = _critical(bot, "C0ACMECA")
    value = _button(alert, "health_ack")
    for _ in range(2):
        bot.click("health_ack", value, user="U0ALICE", channel="C0ACMECA", message_ts=alert["ts"])
    bot.wait()
    flag_id = value.split(":", 1)[1]
    book = AlertBook(bot.store)
    assert [e.action for e in book.audit(flag_id)].count("acknowledged") == 1
    assert book.get(flag_id).acknowledged_by == "U0ALICE"
    updated = next(m for m in bot.slack.messages["C0ACMECA"] if m["ts"] == alert["ts"])
    assert "acknowledged by <@U0ALICE>" in json.dumps(updated["blocks"])
    assert "health_ack" not in json.dumps(updated["blocks"])  # Snooze and Assign remain
    assert any("Already acknowledged by <@U0ALICE>" in r.get("text", "") for r in bot.replies())


def test_snooze_and_assign_are_audited_and_shown(bot):
    _check(bot)
    alert = _critical(bot, "C0ACMECA")
    value = _button(alert, "health_snooze")
    bot.click("health_snooze", value, user="U0BOB", channel="C0ACMECA", message_ts=alert["ts"])
    bot.wait()
    bot.click("health_assign", value, user="U0ALICE", channel="C0ACMECA", message_ts=alert["ts"])
    bot.click("health_assign", value, user="U0ALICE", channel="C0ACMECA", message_ts=alert["ts"])
    bot.wait()
    flag_id = value.split(":", 1)[1]
    book = AlertBook(bot.store)
    record = book.get(flag_id)
    assert record.snoozed_by == "U0BOB" and record.assignee == "U0ALICE"
    actions = [e.action for e in book.audit(flag_id)]
    assert actions.count("snoozed") == 1 and actions.count("assigned") == 1
    updated = json.dumps(next(m for m in bot.slack.messages["C0ACMECA"] if m["ts"] == alert["ts"])["blocks"])
    assert "snoozed by <@U0BOB> until" in updated and "assigned to <@U0ALICE>" in updated


def test_button_of_an_older_episode_is_refused(bot):
    _check(bot)
    alert = _critical(bot, "C0ACMECA")
    flag_id = _button(alert, "health_ack").split(":", 1)[1]
    bot.click("health_ack", f"99:{flag_id}", channel="C0ACMECA", message_ts=alert["ts"])
    bot.click("health_ack", "garbage", channel="C0ACMECA", message_ts=alert["ts"])
    bot.wait()
    texts = [r.get("text", "") for r in bot.replies()]
    assert any("older occurrence" in t for t in texts)
    assert any("does not belong to a health alert" in t for t in texts)
    assert AlertBook(bot.store).get(flag_id).state == "open"


def test_worker_entry_points_build_their_runtime_from_the_bot_runtime(bot, monkeypatch):
    """`bot/workers/health_*.handler` as serverless.yml names them, on the process runtime (here the harness's)."""
    from bot.jobs.health_queue import HealthCheckJob
    from bot.local.lambda_emulation import LocalContext
    from bot.workers import health_check, health_escalation, health_notifications

    for module in (health_check, health_escalation, health_notifications):
        monkeypatch.setattr(module.handler, "built", None)  # built once per container: start from a cold one
    job = HealthCheckJob(account="globex", marketplace="UK", run_id="entry")
    event = {
        "Records": [
            {
                "messageId": "m1",
                "receiptHandle": "r1",
                "body": job.model_dump_json(),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:1:q",
                "awsRegion": "us-east-1",
            }
        ]
    }
    assert health_check.handler(event, LocalContext(60)) == {"batchItemFailures": []}
    # The fake's globex UK report: 13 red flags (suspectedIntellectualPropertyViolations included).
    assert len(_alerts(bot, "C0GLOBEXUK")) == 13
    assert health_escalation.handler({"detail-type": "Scheduled Event"}, LocalContext()) == {
        "due": 0,
        "posted": 0,
        "failed": 0,
    }
    # A malformed notification is acknowledged (logged), not retried.
    bad = health_notifications.handler({"Records": [{**event["Records"][0], "body": "[]"}]}, LocalContext())
    assert bad == {"batchItemFailures": []}


def test_check_posts_one_digest_and_the_flags_in_its_thread(bot):
    _check(bot)
    [digest] = _digests(bot, "C0ACMECA")
    assert "Acme Outdoor (acme) · CA" in digest["text"] and "red flag" in digest["text"]
    assert all(m["thread_ts"] == digest["ts"] for m in _alerts(bot, "C0ACMECA"))
    [call] = [m for m in bot.slack.messages["C0ACMECA"] if m.get("reply_broadcast")]
    assert call["text"].startswith("<!subteam^S0ACMEOPS> <@U0ALICE> <@U0BOB>") and call["thread_ts"] == digest["ts"]
    top_level = [c for c in bot.slack.calls_to("chat.postMessage") if c.params.get("channel") == "C0ACMECA"]
    assert len([c for c in top_level if not c.params.get("thread_ts")]) == 1


def test_a_press_by_someone_who_is_not_a_responder_is_refused_and_changes_nothing(bot):
    _check(bot)
    alert = _critical(bot, "C0ACMECA")
    value = _button(alert, "health_ack")
    flag_id = value.split(":", 1)[1]
    book = AlertBook(bot.store)
    before = book.get(flag_id)
    updates = len(bot.slack.calls_to("chat.update"))
    # In the account's own channel, but not a responder: channel membership is not enough.
    ack = bot.click("health_ack", value, user="U0CAROL", channel="C0ACMECA", message_ts=alert["ts"])
    bot.wait()
    refusal = bot.replies()[-1]
    assert refusal["response_type"] == "ephemeral" and refusal.get("replace_original") is False
    assert "Only the responders of acme CA" in refusal["text"]
    assert "<!subteam^S0ACMEOPS>" in refusal["text"] and "<@U0ALICE>" in refusal["text"]
    assert ack is not None
    after = book.get(flag_id)
    assert after.state == "open" and after.version == before.version  # nothing changed
    assert len(bot.slack.calls_to("chat.update")) == updates  # the alert message neither
    assert [(e.by, e.action) for e in book.audit(flag_id)][-1] == ("U0CAROL", "press_refused")

    # A responder's press applies (and stops the escalation).
    bot.click("health_ack", value, user="U0BOB", channel="C0ACMECA", message_ts=alert["ts"])
    bot.wait()
    assert book.get(flag_id).acknowledged_by == "U0BOB"
    assert [e.action for e in book.audit(flag_id)][-1] == "acknowledged"


def test_a_snooze_shows_its_end_in_the_marketplace_local_time(bot):
    _check(bot)
    alert = _critical(bot, "C0ACMECA")
    bot.click(
        "health_snooze", _button(alert, "health_snooze"), user="U0ALICE", channel="C0ACMECA", message_ts=alert["ts"]
    )
    bot.wait()
    updated = json.dumps(next(m for m in bot.slack.messages["C0ACMECA"] if m["ts"] == alert["ts"])["blocks"])
    # Amazon.ca's time zone (infra/marketplaces.py: America/Los_Angeles), never UTC.
    until = updated.split("snoozed by <@U0ALICE> until ", 1)[1][:20]
    assert until.endswith((" PST", " PDT")), until
