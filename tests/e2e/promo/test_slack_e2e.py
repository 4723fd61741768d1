"""/promo through the whole Lambda handler: signed requests, lazy listeners, the fake Slack over HTTP.

Dates are relative to the real clock (validation compares them with now); the
bot's injected clock (`deps.clock`) is moved only to test expiry.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.workers import promo_expiry
from handlers.promo.models import PromoStatus
from handlers.promo.repository import PromoRepository
from infra.marketplaces import local
from tests.support.promo import PROMO_DATA

REQUESTER, APPROVER, APPROVER2, STRANGER = "U0REQUESTER", "U0APPROVER1", "U0APPROVER2", "U0STRANGER"
APPROVALS = "C0APPROVALS"
TODAY = datetime.now(UTC).date()
START, END = TODAY + timedelta(days=7), TODAY + timedelta(days=27)
DATES = f"{START}..{END}"
US = "--marketplace US"  # acme sells in US and CA, so an inline request names one


def _blocks(params: dict) -> list[dict]:
    blocks = params.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def _buttons(params: dict) -> dict[str, str]:
    return {e["action_id"]: e["value"] for b in _blocks(params) if b["type"] == "actions" for e in b["elements"]}


def _posts(bot, channel: str) -> list[dict]:
    return [c.params for c in bot.slack.calls_to("chat.postMessage") if c.params.get("channel") == channel]


def _card(bot, code: str | None = None) -> dict:
    [message] = [
        m for m in bot.slack.messages[APPROVALS] if not m.get("thread_ts") and (code is None or code in m["text"])
    ]
    return message


def _card_text(bot) -> str:
    message = _card(bot)
    return json.dumps(message["blocks"]) + message["text"]


def _request(bot, code: str = "SUMMERSALE", extra: str = "", user: str = REQUESTER) -> str:
    ack = bot.ack_json(
        bot.slash(f"/promo new {code} 20% B0ABCDEFGH,B0ABCDEFG2 {DATES} {US} {extra}".strip(), user=user)
    )
    assert f"Submitting {code}" in ack["text"], ack
    bot.wait()
    return _buttons(_card(bot, code))["promo_approve"]


def _repo(bot) -> PromoRepository:
    return PromoRepository(bot.store)


def _promo(bot, code: str = "SUMMERSALE"):
    return _repo(bot).get_by_code("acme", code, with_history=True)


def _replies(bot) -> list[str]:
    return [r.get("text", "") for r in bot.replies()]


def _say(bot, line: str, user: str, **kw) -> str:
    """One command, its lazy work finished; the text of the reply it produced."""
    before = len(bot.replies())
    bot.slash(line, user=user, **kw)
    bot.wait()
    new = _replies(bot)[before:]
    assert len(new) == 1, new
    return new[0]


# ---- /promo new inline ---------------------------------------------------------------------------
def test_inline_new_posts_the_card_and_confirms_with_warnings(bot):
    value = _request(bot, extra='--note "Black Friday push"')
    card = _card(bot)
    assert set(_buttons(card)) == {"promo_approve", "promo_reject"} and value.startswith("acme:")
    assert (
        "SUMMERSALE" in card["text"]
        and "pending approval" in _card_text(bot)
        and "Black Friday push" in _card_text(bot)
    )
    [confirmation] = bot.replies()
    assert "waiting for approval in <#C0APPROVALS>" in confirmation["text"]
    assert "cannot be changed" in confirmation["text"] and confirmation["response_type"] == "ephemeral"
    promo = _promo(bot)
    assert promo.status is PromoStatus.PENDING_APPROVAL and promo.requester == REQUESTER
    assert [e.action for e in promo.history] == ["create", "submit"]


def test_short_promotion_warns_under_14_days(bot):
    bot.slash(f"/promo new SHORTRUN1 15% B0ABCDEFGH {START}..{START + timedelta(days=5)} {US}", user=REQUESTER)
    bot.wait()
    assert "recommends at least 14 days" in bot.replies()[0]["text"]


def test_inline_new_with_bad_fields_lists_each_error_and_stores_nothing(bot):
    ack = bot.ack_json(bot.slash(f"/promo new ab! 120% B0ABCDEFGH 2026-13-01..2026-12-15 {US}", user=REQUESTER))
    text = ack["text"]
    assert ack["response_type"] == "ephemeral" and "nothing was stored" in text
    for field in ("- Promo code:", "- Percent off:", "- Start:"):
        assert field in text, text
    assert "Usage" in text
    bot.wait()
    assert bot.replies() == [] and APPROVALS not in bot.slack.messages
    assert _repo(bot).list("acme") == []


def test_inline_new_syntax_errors_and_duplicate_code(bot):
    ack = bot.ack_json(bot.slash("/promo new SUMMERSALE 20%", user=REQUESTER))
    assert "ASINs are missing" in ack["text"] and "dates are missing" in ack["text"]
    _request(bot)
    dup = bot.ack_json(bot.slash(f"/promo new summersale 20% B0ABCDEFGH {DATES} {US}", user=REQUESTER))
    assert "- Promo code:" in dup["text"] and "already exists" in dup["text"]


def test_unknown_account_and_marketplace(bot):
    ack = bot.ack_json(bot.slash(f"/promo new SUMMERSALE 20% B0ABCDEFGH {DATES} --account nope", user=REQUESTER))
    # Only the accounts the caller is on are named (an agency's other clients stay private).
    assert "Unknown account `nope`" in ack["text"] and "your accounts: `acme`." in ack["text"]
    ack = bot.ack_json(bot.slash(f"/promo new SUMMERSALE 20% B0ABCDEFGH {DATES} --marketplace UK", user=REQUESTER))
    assert "- Marketplace:" in ack["text"] and "does not sell in UK" in ack["text"]


# ---- approval ------------------------------------------------------------------------------------
def test_approve_updates_card_notifies_requester_and_hands_off(bot):
    value = _request(bot)
    card_ts = _card(bot)["ts"]
    bot.click("promo_approve", value, user=APPROVER, channel=APPROVALS)
    bot.wait()
    [update] = [c.params for c in bot.slack.calls_to("chat.update")]
    assert update["channel"] == APPROVALS and update["ts"] == card_ts
    text = _card_text(bot)
    assert "to be created in Seller Central" in text and "Approved by" in text and APPROVER in text
    assert set(_buttons(_card(bot))) == {"promo_hand_off", "promo_mark_created"}  # the moves possible now
    [dm] = _posts(bot, REQUESTER)
    assert "approved by <@U0APPROVER1>" in dm["text"] and "sellercentral.amazon.com/promotions/new" in dm["text"]
    assert _buttons(dm) == {"promo_mark_created": value}
    [thread] = [m for m in bot.slack.messages[APPROVALS] if m.get("thread_ts") == card_ts]
    assert "Percentage off: 20" in thread["text"] and "Promo code: SUMMERSALE" in thread["text"]
    # Seller Central takes local dates: the US marketplace's, zone named, never UTC.
    start = local(_promo(bot).start, "US")
    assert f"Start date: {start:%m/%d/%Y}" in thread["text"] and f"Start time: {start:%I:%M %p %Z}" in thread["text"]
    assert "UTC" not in thread["text"] and "paste" not in thread["text"].lower()  # nowhere to paste here
    assert any("You approved SUMMERSALE" in t for t in _replies(bot))
    promo = _promo(bot)
    assert promo.status is PromoStatus.HANDED_OFF and promo.approver == APPROVER
    assert [e.action for e in promo.history] == ["create", "submit", "approve", "hand_off"]


def test_requester_cannot_approve_own_request(bot):
    value = _request(bot, user=APPROVER2)  # an approver who requested it
    bot.click("promo_approve", value, user=APPROVER2)
    bot.wait()
    refusal = _replies(bot)[-1]
    assert "Not approved" in refusal and "someone else" in refusal
    assert _promo(bot).status is PromoStatus.PENDING_APPROVAL
    assert bot.slack.calls_to("chat.update") == []


def test_non_approver_is_refused_with_the_approvers_named(bot):
    value = _request(bot)
    bot.click("promo_approve", value, user=STRANGER, channel=APPROVALS)  # in the channel, so on the account
    bot.wait()
    refusal = bot.replies()[-1]
    assert "only the account's approvers" in refusal["text"] and "<@U0APPROVER1>" in refusal["text"]
    assert refusal["response_type"] == "ephemeral" and refusal.get("replace_original") is False
    assert _promo(bot).status is PromoStatus.PENDING_APPROVAL


def test_concurrent_approvals_decide_once_and_the_loser_sees_who(bot):
    value = _request(bot)
    for user in (APPROVER, APPROVER2, APPROVER):  # two approvers plus a double click, all in flight at once
        bot.click("promo_approve", value, user=user, channel=APPROVALS)
    bot.wait()
    promo = _promo(bot)
    assert [e.action for e in promo.history].count("approve") == 1
    assert [e.action for e in promo.history].count("hand_off") == 1
    replies = _replies(bot)[1:]
    assert sum("You approved" in t for t in replies) == 1
    losers = [t for t in replies if "already approved by" in t]
    assert len(losers) == 2 and all(f"<@{promo.approver}>" in t for t in losers)
    assert len(bot.slack.calls_to("chat.update")) == 1
    assert len(_posts(bot, REQUESTER)) == 1


def test_reject_with_reason(bot):
    value = _request(bot)
    bot.click("promo_reject", value, user=APPROVER, channel=APPROVALS)
    bot.wait()
    [modal] = bot.opened_views()
    assert modal["callback_id"] == "promo_reject_reason"
    empty = bot.ack_json(
        bot.submit_view(
            modal["callback_id"],
            {"reason": {"value": {"type": "plain_text_input", "value": "  "}}},
            user=APPROVER,
            private_metadata=modal["private_metadata"],
        )
    )
    assert empty["response_action"] == "errors" and "reason" in empty["errors"]
    assert _promo(bot).status is PromoStatus.PENDING_APPROVAL
    ok = bot.submit_view(
        modal["callback_id"],
        {"reason": {"value": {"type": "plain_text_input", "value": "20% is too deep"}}},
        user=APPROVER,
        private_metadata=modal["private_metadata"],
    )
    assert ok["statusCode"] == 200 and bot.ack_json(ok) == {}
    bot.wait()
    promo = _promo(bot)
    assert promo.status is PromoStatus.REJECTED and promo.reason == "20% is too deep"
    assert "rejected" in _card_text(bot) and "20% is too deep" in _card_text(bot) and _buttons(_card(bot)) == {}
    [dm] = _posts(bot, REQUESTER)
    assert "rejected by <@U0APPROVER1>" in dm["text"] and "20% is too deep" in dm["text"]
    # A later approve shows who decided; a second reject form is not opened.
    bot.click("promo_approve", value, user=APPROVER2)
    bot.click("promo_reject", value, user=APPROVER2)
    bot.wait()
    later = _replies(bot)[-2:]
    assert all("already rejected by <@U0APPROVER1>" in t for t in later), later
    assert len(bot.opened_views()) == 1


def test_reject_refused_for_non_approver_and_lost_race_is_shown_in_the_form(bot):
    value = _request(bot)
    bot.click("promo_reject", value, user=STRANGER, channel=APPROVALS)
    bot.wait()
    assert "cannot reject" in _replies(bot)[-1] and bot.opened_views() == []
    bot.click("promo_reject", value, user=APPROVER2)
    [modal] = bot.opened_views()
    bot.click("promo_approve", value, user=APPROVER)  # approved while the reject form is open
    bot.wait()
    late = bot.ack_json(
        bot.submit_view(
            modal["callback_id"],
            {"reason": {"value": {"value": "no"}}},
            user=APPROVER2,
            private_metadata=modal["private_metadata"],
        )
    )
    assert late["response_action"] == "errors" and "already approved by @U0APPROVER1" in late["errors"]["reason"]
    assert _promo(bot).status is PromoStatus.HANDED_OFF


# ---- hand-off confirmation and expiry -------------------------------------------------------------
def _created_form(bot, value: str, user: str = REQUESTER) -> dict:
    """Press "Mark as created"; the modal it opened."""
    views = len(bot.opened_views())
    bot.click("promo_mark_created", value, user=user, channel=user)
    bot.wait()
    assert len(bot.opened_views()) == views + 1, _replies(bot)[-1:]
    return bot.opened_views()[-1]


def _submit_id(bot, modal: dict, promotion_id: str, user: str = REQUESTER) -> dict:
    return bot.submit_view(
        modal["callback_id"],
        {"promotion_id": {"value": {"type": "plain_text_input", "value": promotion_id}}},
        user=user,
        private_metadata=modal["private_metadata"],
    )


def test_mark_as_created_then_dates_activate_and_end(bot):
    value = _request(bot)
    bot.click("promo_approve", value, user=APPROVER, channel=APPROVALS)
    bot.wait()
    modal = _created_form(bot, value)
    assert modal["callback_id"] == "promo_created_id" and "Paste the promotion ID" in json.dumps(modal)
    for wrong, says in (
        ("", "Enter the promotion ID"),
        ("SUMMERSALE", "That is the promo code"),
        ("AMZ-9", "a number"),
    ):
        refused = bot.ack_json(_submit_id(bot, modal, wrong))
        assert refused["response_action"] == "errors" and says in refused["errors"]["promotion_id"], refused
    assert _promo(bot).status is PromoStatus.HANDED_OFF  # nothing written
    assert bot.ack_json(_submit_id(bot, modal, "16913551269")) == {}
    bot.wait()
    promo = _promo(bot)
    assert promo.status is PromoStatus.CREATED and promo.handoff.external_id == "16913551269"
    assert promo.history[-1].detail == {"promotion_id": "16913551269"} and promo.history[-1].by == REQUESTER
    text = _card_text(bot)
    assert "created in Seller Central" in text and "16913551269" in text and _buttons(_card(bot)) == {}
    [notice] = [p for p in _posts(bot, REQUESTER) if "16913551269" in p["text"]]
    assert "goes active on" in notice["text"] and ("PST" in notice["text"] or "PDT" in notice["text"])
    # A second press (another approver, or an old DM button) opens nothing and says who did it.
    bot.click("promo_mark_created", value, user=APPROVER)
    bot.wait()
    assert "already marked as created by <@U0REQUESTER>" in _replies(bot)[-1]
    late = bot.ack_json(_submit_id(bot, modal, "16913551270"))  # the form left open, submitted again
    assert "already marked as created" in late["errors"]["promotion_id"]
    assert _promo(bot).handoff.external_id == "16913551269"
    # Reads refresh the status from the dates.
    real_clock = bot.deps.clock
    start_ts = _promo(bot).start.timestamp()
    bot.deps.clock = lambda: start_ts + 3600
    bot.slash("/promo show SUMMERSALE", user=REQUESTER)
    bot.wait()
    assert "*active*" in _replies(bot)[-1] or "active" in bot.replies()[-1]["text"]
    assert _promo(bot).status is PromoStatus.ACTIVE
    assert "Seller Central promotion ID: 16913551269" in _replies(bot)[-1]  # the audit trail, in words
    # The scheduled worker ends it after the end date and edits the card.
    end_ts = _promo(bot).end.timestamp() + 60
    counts = promo_expiry.run(store=bot.store, accounts=bot.deps.accounts, slack=bot.deps.slack, clock=lambda: end_ts)
    assert counts["ended"] == 1 and counts["failed_accounts"] == 0
    assert _promo(bot).status is PromoStatus.ENDED and "ended" in _card_text(bot)
    assert any("ended on" in p["text"] for p in _posts(bot, REQUESTER))
    assert promo_expiry.run(store=bot.store, accounts=bot.deps.accounts, clock=lambda: end_ts)["ended"] == 0
    bot.deps.clock = real_clock
    actions = [e.action for e in _promo(bot).history]
    assert actions == ["create", "submit", "approve", "hand_off", "confirm_created", "activate", "end"]
    assert _promo(bot).history[-1].by == "system"


def test_mark_as_created_is_refused_before_the_form_opens(bot):
    value = _request(bot)
    bot.click("promo_mark_created", value, user=REQUESTER)  # still pending approval
    bot.wait()
    assert "pending approval, so there is nothing to mark as created" in _replies(bot)[-1]
    bot.click("promo_approve", value, user=APPROVER, channel=APPROVALS)
    bot.wait()
    bot.click("promo_mark_created", value, user=STRANGER, channel=APPROVALS)
    bot.wait()
    assert "Not allowed" in _replies(bot)[-1] or "cannot" in _replies(bot)[-1]
    assert bot.opened_views() == [] and _promo(bot).status is PromoStatus.HANDED_OFF


def test_a_handoff_never_created_is_cancelled_after_its_end_and_frees_the_code(bot):
    value = _request(bot)
    bot.click("promo_approve", value, user=APPROVER, channel=APPROVALS)
    bot.wait()
    end_ts = _promo(bot).end.timestamp() + 60
    counts = promo_expiry.run(store=bot.store, accounts=bot.deps.accounts, slack=bot.deps.slack, clock=lambda: end_ts)
    assert counts["never_created"] == 1 and counts["ended"] == 0
    promo = _promo(bot)
    assert promo.status is PromoStatus.CANCELLED and promo.history[-1].action == "expire"
    assert promo.history[-1].detail["code_released"] is True and promo.history[-1].by == "system"
    assert "never marked as created" in _posts(bot, REQUESTER)[-1]["text"]
    assert "cancelled" in _card_text(bot) and _buttons(_card(bot)) == {}
    ack = bot.ack_json(bot.slash(f"/promo new SUMMERSALE 15% B0ABCDEFGH {DATES} {US}", user=REQUESTER))
    assert "Submitting SUMMERSALE" in ack["text"], ack


# ---- list / show / cancel -------------------------------------------------------------------------
def test_list_show_cancel_permissions(bot):
    _request(bot)
    stranger = _say(bot, "/promo list", STRANGER)
    own = _say(bot, "/promo list --status pending_approval", REQUESTER)
    approver = _say(bot, "/promo list", APPROVER)
    assert _say(bot, "/promo list --status approved", APPROVER).startswith("No promotions with status approved")
    assert stranger.startswith("No promotions") and "SUMMERSALE" in own and "SUMMERSALE" in approver
    assert "Unknown status `live`" in bot.ack_json(bot.slash("/promo list --status live"))["text"]
    assert _say(bot, "/promo list --status created", APPROVER).startswith("No promotions with status created")

    hidden = _say(bot, "/promo show summersale", STRANGER)
    detail = _say(bot, "/promo show SUMMERSALE", REQUESTER)
    assert "No promotion with code SUMMERSALE that you can see" in hidden
    assert "Audit trail" in detail and "create" in detail and "submit" in detail and "<@U0REQUESTER>" in detail

    bot.slash("/promo cancel SUMMERSALE", user=STRANGER)
    bot.wait()
    assert "No promotion with code SUMMERSALE that you can see" in _replies(bot)[-1]
    assert _promo(bot).status is PromoStatus.PENDING_APPROVAL
    bot.slash('/promo cancel SUMMERSALE "wrong dates"', user=APPROVER)
    bot.wait()
    assert "Cancelled" in _replies(bot)[-1]
    promo = _promo(bot)
    assert promo.status is PromoStatus.CANCELLED and promo.history[-1].by == APPROVER
    assert promo.history[-1].detail == {"reason": "wrong dates", "code_released": True}  # never handed off
    assert "cancelled" in _card_text(bot) and _buttons(_card(bot)) == {}
    assert "cancelled by <@U0APPROVER1>: wrong dates" in _posts(bot, REQUESTER)[-1]["text"]
    bot.slash("/promo cancel SUMMERSALE", user=REQUESTER)
    bot.wait()
    assert "not cancelled: SUMMERSALE is cancelled, so it cannot be cancelled" in _replies(bot)[-1]


def test_code_command_arguments_are_checked_in_the_ack(bot):
    assert "CODE is missing" in bot.ack_json(bot.slash("/promo show"))["text"]
    assert "is not a promo code" in bot.ack_json(bot.slash("/promo show SUMMER-SALE"))["text"]
    assert "Unknown option `--status`" in bot.ack_json(bot.slash("/promo cancel X1 --status ended"))["text"]
    bot.wait()
    assert bot.replies() == []


# ---- report ----------------------------------------------------------------------------------------
def test_report_from_the_latest_csv_in_the_channel(bot):
    bot.slack.seed_file("C0REPORTS", "old.csv", b"not,a,report\n1,2,3\n", created=1)
    bot.slack.seed_file(
        "C0REPORTS", "promo_report_us.csv", (PROMO_DATA / "promo_report_us.csv").read_bytes(), created=2
    )
    ack = bot.ack_json(bot.slash("/promo report SUMMERSALE", user=REQUESTER, channel="C0REPORTS"))
    assert "Reading the promo report for SUMMERSALE from the latest CSV/TSV" in ack["text"]
    bot.wait()
    reply = bot.replies()[0]  # then the private chart's notice
    text = reply["text"]
    assert "4 orders, 8 units, sales 1,148.00 USD, discount cost 29.60 USD, referred 50.0% of orders" in text
    assert "Daily totals" in json.dumps(reply["blocks"]) and "2026-12-01: 2 orders (1 referred)" in json.dumps(
        reply["blocks"]
    )
    [upload] = bot.slack.calls_to("upload")
    assert upload.params["head"].startswith("89504e47")  # PNG signature
    [done] = bot.slack.calls_to("files.completeUploadExternal")
    assert done.params["channel_id"] == "D0REQUESTER"  # private: the requester's DM (test_report_e2e.py shares it)
    assert any(c.params.get("found") for c in bot.slack.calls_to("download"))


def test_report_by_file_id_in_another_encoding(bot):
    fid = bot.slack.seed_file(
        "C0REPORTS", "bericht.csv", (PROMO_DATA / "promo_report_de_cp1252_semicolon.csv").read_bytes()
    )
    bot.slack.seed_file("C0REPORTS", "newer.csv", b"Order ID,Quantity\n1,1\n")  # newer, but FILE_ID wins
    bot.slash(f"/promo report WINTERSALE {fid}", user=REQUESTER, channel="C0REPORTS")
    bot.wait()
    reply = bot.replies()[0]  # then the private chart's notice
    assert "Promo report WINTERSALE" in reply["text"] and "cp1252" in json.dumps(reply["blocks"])


def test_report_from_amazons_all_orders_report(bot):
    # The All Orders report downloads as a tab-separated .txt; the code is looked up in promotion-ids.
    bot.slack.seed_file("C0REPORTS", "All Orders Report.txt", (PROMO_DATA / "all_orders_report_us.txt").read_bytes())
    bot.slash("/promo report summer26", user=REQUESTER, channel="C0REPORTS")
    bot.wait()
    reply = bot.replies()[0]  # then the private chart's notice
    assert "Promo report SUMMER26: 3 orders, 7 units, sales 123.00 USD, discount cost 24.60 USD" in reply["text"]
    assert "promo-code column" not in json.dumps(reply["blocks"])


def test_report_code_with_no_rows_names_code_and_dates(bot):
    bot.slack.seed_file("C0REPORTS", "All Orders Report.txt", (PROMO_DATA / "all_orders_report_us.txt").read_bytes())
    bot.slash("/promo report NOSUCH26", user=REQUESTER, channel="C0REPORTS")
    bot.wait()
    text = _replies(bot)[-1]
    assert "`All Orders Report.txt` has no sales for promo code NOSUCH26" in text
    assert "2026-11-28 to 2026-12-04" in text and "run `/promo report NOSUCH26` again" in text
    assert "Traceback" not in text and "CodeNotFound" not in text
    assert bot.slack.calls_to("upload") == []  # no chart of everything


def test_per_code_report_without_code_column_says_so(bot):
    per_code = b"Order ID,Purchase Date,Quantity,Item Price,Referred by Associate/Influencer\nA,2026-12-01,1,10.00,Y\n"
    bot.slack.seed_file("C0REPORTS", "promo.csv", per_code)
    bot.slash("/promo report SUMMER26", user=REQUESTER, channel="C0REPORTS")
    bot.wait()
    reply = bot.replies()[0]  # then the private chart's notice
    assert "every row is counted as SUMMER26" in json.dumps(reply["blocks"])


def test_report_errors_say_what_is_wrong(bot):
    bot.slash("/promo report SUMMERSALE", user=REQUESTER, channel="C0EMPTY")
    bot.wait()
    assert "No CSV/TSV file in this channel" in _replies(bot)[-1]
    bot.slack.seed_file("C0BAD", "renamed.csv", b"Order,When,How many\n1,2026-12-01,1\n")
    bot.slash("/promo report SUMMERSALE", user=REQUESTER, channel="C0BAD")
    bot.wait()
    rejected = _replies(bot)[-1]
    assert "`renamed.csv` cannot be used as a promo report" in rejected
    bot.slack.seed_file("C0PIC", "photo.png", b"\x89PNG....")
    bot.slash("/promo report SUMMERSALE", user=REQUESTER, channel="C0PIC")
    bot.wait()
    assert "No CSV/TSV file" in _replies(bot)[-1]
    assert "not a Slack file id" in bot.ack_json(bot.slash("/promo report SUMMERSALE notafile"))["text"]
    bot.slash("/promo report SUMMERSALE F0NOSUCH1", user=REQUESTER)
    bot.wait()
    assert "cannot find file F0NOSUCH1 (file_not_found)" in _replies(bot)[-1]
    elsewhere = bot.slack.seed_file("C0PRIVATE", "secret.csv", (PROMO_DATA / "promo_report_us.csv").read_bytes())
    bot.slash(f"/promo report SUMMERSALE {elsewhere}", user=REQUESTER, channel="C0REPORTS")
    bot.wait()
    assert f"File {elsewhere} is not shared in this channel" in _replies(bot)[-1]
    assert not any(c.params.get("file_id") == elsewhere for c in bot.slack.calls_to("download"))
    assert bot.slack.calls_to("upload") == []


# ---- modal -----------------------------------------------------------------------------------------
def _modal_values(**over) -> dict:
    v = {
        "code": "MODALCODE1",
        "percent_off": "25",
        "asins": "B0ABCDEFGH\nB0ABCDEFG2",
        "start": str(START),
        "end": str(END),
        "marketplace": "US",
        "share": "yes",
        "once": True,
        "note": "from the form",
    }
    v.update(over)
    return {
        "code": {"value": {"type": "plain_text_input", "value": v["code"]}},
        "percent_off": {"value": {"type": "plain_text_input", "value": v["percent_off"]}},
        "asins": {"value": {"type": "plain_text_input", "value": v["asins"]}},
        "start": {"value": {"type": "datepicker", "selected_date": v["start"]}},
        "end": {"value": {"type": "datepicker", "selected_date": v["end"]}},
        "marketplace": {"value": {"type": "static_select", "selected_option": {"value": v["marketplace"]}}},
        "share_with_influencers": {"value": {"type": "radio_buttons", "selected_option": {"value": v["share"]}}},
        "one_per_customer": {
            "value": {"type": "checkboxes", "selected_options": [{"value": "yes"}] if v["once"] else []}
        },
        "note": {"value": {"type": "plain_text_input", "value": v["note"]}},
    }


def test_modal_opens_with_every_field_and_account_marketplaces(bot):
    ack = bot.slash("/promo new", user=REQUESTER)
    assert ack["statusCode"] == 200 and bot.ack_json(ack) == {}
    [view] = bot.opened_views()
    assert view["callback_id"] == "promo_new"
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert list(inputs) == [
        "code",
        "percent_off",
        "asins",
        "start",
        "end",
        "marketplace",
        "share_with_influencers",
        "one_per_customer",
        "note",
    ]
    assert inputs["start"]["element"]["type"] == "datepicker"
    assert [o["value"] for o in inputs["marketplace"]["element"]["options"]] == ["US", "CA"]
    assert inputs["share_with_influencers"]["element"]["initial_option"]["value"] == "yes"
    bot.slash("/promo new --account globex", user="U0DEMOUSER")  # an admin: REQUESTER is on acme only
    options = {b["block_id"]: b for b in bot.opened_views()[-1]["blocks"] if b["type"] == "input"}["marketplace"]
    assert [o["value"] for o in options["element"]["options"]] == ["UK", "DE"]


def test_modal_submission_field_errors_then_success(bot):
    bot.slash("/promo new", user=REQUESTER)
    [view] = bot.opened_views()
    bad = bot.ack_json(
        bot.submit_view(
            "promo_new",
            _modal_values(code="x", percent_off="95", end=str(START - timedelta(days=1))),
            user=REQUESTER,
            private_metadata=view["private_metadata"],
        )
    )
    assert bad["response_action"] == "errors"
    assert set(bad["errors"]) >= {"code", "percent_off", "end"}, bad
    assert "80" in bad["errors"]["percent_off"]
    bot.wait()
    assert _repo(bot).list("acme") == [] and APPROVALS not in bot.slack.messages
    ok = bot.submit_view("promo_new", _modal_values(), user=REQUESTER, private_metadata=view["private_metadata"])
    assert bot.ack_json(ok) == {}
    bot.wait()
    promo = _promo(bot, "MODALCODE1")
    assert (
        promo.status is PromoStatus.PENDING_APPROVAL
        and promo.one_per_customer
        and promo.asins == ["B0ABCDEFGH", "B0ABCDEFG2"]
    )
    assert "MODALCODE1" in _card(bot)["text"] and "promo_approve" in _buttons(_card(bot))
    [dm] = _posts(bot, REQUESTER)
    assert "waiting for approval" in dm["text"]
    # The same form submitted again: a field error on the code, no second card.
    again = bot.ack_json(
        bot.submit_view("promo_new", _modal_values(), user=REQUESTER, private_metadata=view["private_metadata"])
    )
    assert "already exists" in again["errors"]["code"]
    bot.wait()
    assert len(_posts(bot, APPROVALS)) == 1


# ---- catalogue / unknown -----------------------------------------------------------------------------
def test_unknown_subcommand_and_help(bot):
    ack = bot.ack_json(bot.slash("/promo frobnicate"))
    assert "Unknown subcommand `frobnicate`" in ack["text"] and "/promo list" in ack["text"]
    assert ack["response_type"] == "ephemeral"
    assert "needs a subcommand" in bot.ack_json(bot.slash("/promo"))["text"]
    help_text = bot.ack_json(bot.slash("/sellerbot help"))["text"]
    for usage in ("/promo new", "/promo list", "/promo show CODE", "/promo cancel CODE", "/promo report CODE"):
        assert usage in help_text


@pytest.mark.parametrize("action", ["promo_approve", "promo_mark_created", "promo_hand_off", "promo_cancel"])
def test_buttons_for_unknown_promotions_explain(bot, action):
    bot.click(action, "acme:doesnotexist", user=APPROVER)
    bot.wait()
    bot.click(action, "nope:doesnotexist", user=APPROVER)
    bot.wait()
    first, second = _replies(bot)
    assert "no promotion" in first.lower() and "no longer configured" in second


def test_expiry_handler_runs_through_the_installed_runtime(bot):
    value = _request(bot)
    bot.click("promo_approve", value, user=APPROVER, channel=APPROVALS)
    bot.wait()
    _submit_id(bot, _created_form(bot, value), "16913551269")
    bot.wait()
    counts = promo_expiry.handler({"source": "aws.events"}, None)
    assert counts == {"accounts": 2, "activated": 0, "ended": 0, "never_created": 0, "failed_accounts": 0}
    assert _promo(bot).status is PromoStatus.CREATED


def test_text_approve_and_reject_for_terminals(bot):
    _request(bot)
    _request(bot, code="WINTERSALE")
    assert "Give a reason" in bot.ack_json(bot.slash("/promo reject WINTERSALE", user=APPROVER))["text"]
    bot.slash("/promo approve SUMMERSALE", user=REQUESTER)
    bot.wait()
    bot.slash("/promo approve SUMMERSALE", user=APPROVER2)
    bot.wait()
    own, approved = _replies(bot)[-2:]
    assert "Not approved" in own and "You approved SUMMERSALE" in approved
    bot.slash("/promo reject WINTERSALE too close to Christmas", user=APPROVER)
    bot.wait()
    assert "You rejected WINTERSALE" in _replies(bot)[-1]
    winter = _promo(bot, "WINTERSALE")
    assert winter.status is PromoStatus.REJECTED and winter.reason == "too close to Christmas"
    assert any("too close to Christmas" in p["text"] for p in _posts(bot, REQUESTER))
    bot.slash("/promo reject SUMMERSALE late", user=APPROVER)
    bot.wait()
    assert "already approved by <@U0APPROVER2>" in _replies(bot)[-1]


def test_show_offers_the_viewers_buttons_and_cancel_button_works(bot):
    value = _request(bot)
    bot.slash("/promo show SUMMERSALE", user=APPROVER)
    bot.wait()
    bot.slash("/promo show SUMMERSALE", user=REQUESTER)
    bot.wait()
    approver_view, requester_view = bot.replies()[-2:]
    assert set(_buttons(approver_view)) == {"promo_approve", "promo_reject", "promo_cancel"}
    assert _buttons(requester_view) == {"promo_cancel": value}
    bot.click("promo_cancel", value, user=STRANGER, channel=APPROVALS)
    bot.wait()
    bot.click("promo_cancel", value, user=APPROVER)
    bot.wait()
    refused, done = _replies(bot)[-2:]
    assert "Not cancelled: only the requester or an approver" in refused and "Cancelled" in done
    assert _promo(bot).status is PromoStatus.CANCELLED and "cancelled" in _card_text(bot)
    assert "cancelled by <@U0APPROVER1>" in _posts(bot, REQUESTER)[-1]["text"]


def test_card_post_failure_is_explained_and_show_reposts(bot):
    bot.slack.add_fault("chat.postMessage", "status:500")  # never retried: a 5xx may have posted it
    bot.slash(f"/promo new SUMMERSALE 20% B0ABCDEFGH {DATES} {US}", user=REQUESTER)
    bot.wait()
    failed = _replies(bot)[-1]
    assert "is stored and pending approval, but its card could not be posted" in failed
    assert "/promo show SUMMERSALE" in failed and APPROVALS not in bot.slack.messages
    bot.slash("/promo show SUMMERSALE", user=REQUESTER)
    bot.wait()
    assert any("Posted the approval card" in t for t in _replies(bot)[-2:])
    assert "promo_approve" in _buttons(_card(bot))
    _say(bot, "/promo show SUMMERSALE", REQUESTER)
    assert len([m for m in bot.slack.messages[APPROVALS]]) == 1  # not posted twice


def test_double_submit_stores_once_and_the_second_is_told_in_the_ack(bot):
    line = f"/promo new SUMMERSALE 20% B0ABCDEFGH {DATES} {US}"
    first = bot.ack_json(bot.slash(line, user=REQUESTER))
    second = bot.ack_json(bot.slash(line, user=REQUESTER))
    bot.wait()
    assert "Submitting SUMMERSALE" in first["text"]
    assert "- Promo code:" in second["text"] and "already exists" in second["text"]
    assert len(_repo(bot).list("acme")) == 1 and len(_posts(bot, APPROVALS)) == 1
    assert len(bot.replies()) == 1 and "waiting for approval" in bot.replies()[0]["text"]


# ---- code reuse ------------------------------------------------------------------------------------
def _reject(bot, value: str, reason: str = "20% is too deep") -> None:
    bot.click("promo_reject", value, user=APPROVER, channel=APPROVALS)
    bot.wait()
    modal = bot.opened_views()[-1]
    bot.submit_view(
        modal["callback_id"],
        {"reason": {"value": {"type": "plain_text_input", "value": reason}}},
        user=APPROVER,
        private_metadata=modal["private_metadata"],
    )
    bot.wait()


def test_a_rejected_code_can_be_requested_again(bot):
    value = _request(bot)
    _reject(bot, value)
    ack = bot.ack_json(bot.slash(f"/promo new SUMMERSALE 15% B0ABCDEFGH {DATES} {US}", user=REQUESTER))
    assert "Submitting SUMMERSALE" in ack["text"], ack
    bot.wait()
    promo = _promo(bot)
    assert promo.status is PromoStatus.PENDING_APPROVAL and promo.percent_off == 15
