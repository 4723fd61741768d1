"""Every message and modal the bot builds stays inside Slack's documented limits, whatever it is fed.

Each builder gets worst-case input (long titles and promo names, 200 compliance findings, 100 health red
flags, 500 promotions, very long user text) and its output is posted through the fake Slack over HTTP
(chat.postMessage, the response_url, views.open), which refuses what Slack refuses. Nothing may be
refused or truncated, and the blocks stay under the bot's budget for Slack's undocumented
`msg_blocks_too_long` (render.BLOCK_TEXT_BUDGET). `render.fit` itself is tested first.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from slack_sdk import WebClient

from bot.views import kit as render

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
LONG = "Ü" * 5000  # far past every per-field limit; non-ASCII on purpose
VERY_LONG_USER_TEXT = (
    "Thanks for your order! If you liked it, leave us 5 stars & email me at <anna@greenhome.de>. " * 300
)[:19_990]


def _block_text(blocks: list[dict]) -> int:
    return sum(len(s.get("text") or "") for s in render._text_slots(blocks))


# ---- the guard ---------------------------------------------------------------------------------------------------


def test_fit_clips_every_documented_field():
    blocks = [
        render.header(LONG),
        {"type": "section", "block_id": "b" * 300, "text": {"type": "mrkdwn", "text": LONG}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": LONG}] * 12},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": LONG},
                    "action_id": "a" * 300,
                    "value": LONG,
                    "url": "https://x/" + LONG,
                }
            ]
            * 30,
        },
    ]
    out = render.fit_blocks(blocks, budget=None)
    assert len(out[0]["text"]["text"]) == 150 and out[0]["text"]["text"].endswith("…")
    assert len(out[1]["text"]["text"]) == 3000 and len(out[1]["block_id"]) == 255
    assert len(out[2]["elements"]) == 10 and all(len(e["text"]) == 3000 for e in out[2]["elements"])
    button = out[3]["elements"][0]
    assert len(out[3]["elements"]) == 25 and len(button["text"]["text"]) == 75
    assert (len(button["action_id"]), len(button["value"]), len(button["url"])) == (255, 2000, 3000)
    assert blocks[1]["text"]["text"] == LONG  # the caller's blocks are not changed


def test_fit_splits_fields_over_ten_into_more_sections_and_drops_empty_text():
    fields = [{"type": "mrkdwn", "text": f"*F{i}*\n" + "v" * 2500} for i in range(23)]
    out = render.fit_blocks(
        [{"type": "section", "fields": fields}, render.section(""), render.context("  ")], budget=None
    )
    assert [len(b["fields"]) for b in out] == [10, 10, 3]
    assert all(len(f["text"]) == 2000 for b in out for f in b["fields"])


def test_more_than_50_blocks_end_with_a_count_and_keep_the_buttons():
    blocks = [render.section(f"line {i}") for i in range(120)] + [render.actions(render.button("OK", "ok", "1"))]
    out = render.fit_blocks(blocks, more="run `sellerbot check` for all of them.")
    assert len(out) == 50 and out[-1]["type"] == "actions"
    note = out[-2]["elements"][0]["text"]
    assert note == "…and 72 more not shown; run `sellerbot check` for all of them."
    assert len(render.fit_blocks(blocks, limit=render.VIEW_MAX_BLOCKS)) == 100


def test_the_text_budget_shortens_the_longest_texts_first():
    blocks = [
        render.header("Title"),
        render.section("short"),
        *[render.section("x" * 2900) for _ in range(6)],
        render.actions(render.button("Acknowledge", "ack", "1")),
    ]
    out = render.fit_blocks(blocks)
    assert _block_text(out) <= render.BLOCK_TEXT_BUDGET
    assert out[1]["text"]["text"] == "short" and out[0]["text"]["text"] == "Title" and out[-1]["type"] == "actions"
    assert all(b["text"]["text"].endswith("…") for b in out[2:-1])


def test_message_text_is_clipped_to_slacks_recommended_4000():
    assert len(render.message("t" * 50_000)["text"]) == render.MESSAGE_TEXT_LIMIT


def test_sections_with_a_budget_say_how_many_lines_are_not_shown():
    lines = [f"{i:03d} " + "x" * 96 for i in range(500)]
    out = render.sections(lines, budget=5000, more="narrow it.")
    shown = "\n".join(b["text"]["text"] for b in out if b["type"] == "section").split("\n")
    assert shown == lines[: len(shown)] and 40 <= len(shown) <= 50
    assert out[-1]["elements"][0]["text"] == f"…and {500 - len(shown)} more not shown; narrow it."


def test_fit_view_clips_title_and_buttons_and_caps_blocks():
    view = render.fit_view(
        {
            "type": "modal",
            "title": {"type": "plain_text", "text": LONG},
            "submit": {"type": "plain_text", "text": LONG},
            "callback_id": "c" * 300,
            "blocks": [render.section("x")] * 150,
        }
    )
    assert len(view["title"]["text"]) == 24 and len(view["submit"]["text"]) == 24
    assert len(view["callback_id"]) == 255 and len(view["blocks"]) == 100


# ---- worst-case builders through the fake Slack ------------------------------------------------------------------


def _finding(i: int) -> Any:
    from handlers.compliance import Finding

    return Finding(
        rule=f"RULE-{i:03d}",
        severity="violation" if i % 2 else "warning",
        start=i,
        end=i + 5000,
        excerpt=LONG,
        message="Amazon forbids this. " * 100,
        fix="Rewrite it so. " * 100,
    )


def _compliance_200_findings() -> dict:
    from bot.views.compliance import result_message
    from handlers.compliance import ComplianceResult

    return result_message(ComplianceResult(verdict="violation", lang="en", findings=[_finding(i) for i in range(200)]))


def _compliance_very_long_user_text() -> dict:
    from bot.listeners.compliance import run_check

    return run_check(VERY_LONG_USER_TEXT, flags=True)


def _target() -> Any:
    from handlers.reviews.target import Target
    from infra.accounts import AccountConfig, MarketplaceConfig

    account = AccountConfig(
        account_id="acme", name="Acme", seller_id="A1", marketplaces=[MarketplaceConfig(code="US", alert_channel="C1")]
    )
    return Target(account=account, marketplace=account.marketplaces[0])


def _message_outcome() -> Any:
    from handlers.compliance import ComplianceResult

    draft = SimpleNamespace(
        order_id="111-0000000-0000001", action="confirmDeliveryDetails", draft_id="d" * 64, text=VERY_LONG_USER_TEXT
    )
    return SimpleNamespace(
        draft=draft,
        order_id=draft.order_id,
        allowed=["confirmDeliveryDetails"] * 40,
        compliance=ComplianceResult(verdict="warning", lang="en", findings=[_finding(i) for i in range(200)]),
    )


def _preview() -> dict:
    from bot.views.messages import preview_message

    return preview_message(_message_outcome(), _target())


def _blocked() -> dict:
    from bot.views.messages import blocked_message

    return blocked_message(_message_outcome())


def _help() -> dict:
    import bot.listeners  # every feature module declares its commands at import
    from bot.views.help import help_message

    return help_message()


def _status_500_pairs() -> dict:
    from bot.views.help import status_message

    return status_message([f":x: {LONG[:200]} ({i}) US: SP-API access refused" for i in range(500)])


def _error_long() -> dict:
    return render.error(LONG, usage=LONG)


def _red_flag(i: int = 0) -> Any:
    from handlers.health.evaluate import RedFlag

    return RedFlag(
        flag_id=f"acme#US#metric{i}:" + "s" * 300,
        account="acme",
        marketplace="US",
        metric=f"orderDefectRate.m{i}",
        label=LONG,
        value=LONG,
        target=0.01,
        condition="LESS_THAN",
        severity="critical",
        message=LONG,
        meaning=LONG,
        next_step=LONG,
    )


def _alert_post(kind: str = "alert") -> Any:
    from handlers.health.alerts import Resolution
    from handlers.health.service import AlertPost

    resolution = Resolution(label=LONG, by="U1", reason=LONG, open_for=timedelta(hours=3))
    return AlertPost(
        resolution=resolution if kind == "resolution" else None,
        kind=kind,
        flag_id=_red_flag().flag_id,
        episode=7,
        channel="C1",
        thread_ts="1.2",
        severity="critical",
        owner_group="S0OWNERS",
        flag=_red_flag(),
    )


def _alert_record(i: int = 0, state: str = "acknowledged") -> Any:
    from handlers.health.alerts import AlertRecord

    flag = _red_flag(i)
    return AlertRecord(
        flag_id=flag.flag_id,
        account="acme",
        marketplace="US",
        metric=flag.metric,
        episode=3,
        state=state,
        severity="critical" if i % 3 else "warning",
        flag=flag,
        opened_at=NOW,
        updated_at=NOW,
        channel="C1",
        acknowledged_by="U" + "A" * 40,
        snoozed_by="U" + "B" * 40,
        snoozed_until=NOW + timedelta(days=1),
        assignee="U" + "C" * 40,
        escalated_at=NOW,
    )


def _health_alert() -> dict:
    from bot.views.health import alert_message

    return alert_message(_alert_post())


def _health_alert_state() -> dict:
    from bot.views.health import alert_state_message

    return alert_state_message(_alert_record(), note=LONG, now=NOW)


def _health_escalation() -> dict:
    from bot.views.health import escalation_message
    from handlers.health.alerts import Escalation

    return escalation_message(
        Escalation(
            alert=_alert_record().model_copy(update={"message_ts": "1.2", "owner_group": "S0OWNERS"}),
            unacknowledged_for=timedelta(hours=2),
        )
    )


def _health_resolution() -> dict:
    from bot.views.health import message_for

    return message_for(_alert_post("resolution"))


def _health_state_100_flags() -> dict:
    from bot.views.health import PairState, state_blocks

    state = PairState(
        account="acme",
        account_name=LONG,
        marketplace="US",
        channel="C1",
        account_status="AT_RISK",
        checked_at=NOW,
        alerts=[_alert_record(i, "open") for i in range(100)],
    )
    return render.message(state.headline(), state_blocks(state, now=NOW), ephemeral=False)


def _health_summary_500_pairs() -> dict:
    from bot.views.health import PairState, summary_blocks, summary_text

    states = [
        PairState(
            account=f"acct{i:03d}" + "x" * 30,
            marketplace="US",
            account_status="AT_RISK",
            checked_at=NOW if i % 4 else None,
            alerts=[_alert_record(i, "open")] * (i % 3),
        )
        for i in range(500)
    ]
    return render.message(summary_text(states), summary_blocks(states))


def _promo(i: int = 0, history: int = 0) -> Any:
    from handlers.promo.models import AuditEntry, HandoffInfo, PromoStatus, Promotion

    entries = [
        AuditEntry(
            at=NOW,
            by="U" + "R" * 20,
            action="commented",
            from_status=PromoStatus.PENDING_APPROVAL,
            to_status=PromoStatus.PENDING_APPROVAL,
            detail={"note": LONG[:400], "n": j},
        )
        for j in range(history)
    ]
    return Promotion(
        id=f"p{i:05d}" + "i" * 40,
        code=f"C{i:05d}" + "X" * 34,
        percent_off=80,
        asins=[f"B0{j:08d}" for j in range(300)],
        start=NOW,
        end=NOW + timedelta(days=30),
        marketplace="US",
        note=LONG,
        account_id="acme",
        status=PromoStatus.PENDING_APPROVAL,
        requester="U0REQUESTER",
        reason=LONG,
        created_at=NOW,
        history=entries,
        handoff=HandoffInfo(
            gateway="manual",
            handed_off_by="U0APPROVER1",
            handed_off_at=NOW,
            deep_link="https://sellercentral.amazon.com/" + "p" * 2000,
        ),
    )


def _card() -> Any:
    from bot.views.promo import ACTION_IDS
    from handlers.promo.models import PromoStatus
    from handlers.promo.service import CardField, PromoCard

    return PromoCard(
        promo_id="p" * 60,
        account_id="acme",
        title="Promo code " + LONG,
        status=PromoStatus.PENDING_APPROVAL,
        fields=[CardField(label=f"Label {i} " + "L" * 100, value=LONG) for i in range(23)]
        + [CardField(label="Code", value="C" * 40)],
        warnings=[LONG] * 50,
        actions=list(ACTION_IDS) * 6,
        button_value="v" * 3000,
    )


def _promo_card() -> dict:
    from bot.views.promo import card_message

    return card_message(_card(), note=LONG)


def _promo_detail_300_history() -> dict:
    from bot.views.promo import promo_detail

    return promo_detail(_card(), _promo(history=300))


def _handoff() -> dict:
    from bot.views.promo import handoff_message
    from handlers.promo.gateway import FormField, HandoffResult

    h = HandoffResult(
        gateway="manual",
        promo_id="p",
        code="C" * 40,
        deep_link="https://sellercentral.amazon.com/" + "q" * 2500,
        fields=[FormField(label=LONG[:300], value=",".join(f"B0{j:08d}" for j in range(1000)))] * 30,
        steps=[LONG] * 40,
        warnings=[LONG] * 30,
    )
    return render.message(**handoff_message(h, _promo()))


def _invalid_request_200_errors() -> dict:
    from bot.views.promo import invalid_request
    from handlers.promo.validation import Issue

    issues = [Issue(field=f"asins[{i}]", message=LONG[:500]) for i in range(200)]
    return invalid_request(issues, issues, usage=LONG)


def _submitted() -> dict:
    from bot.views.promo import submitted
    from handlers.promo.validation import Issue

    return submitted(_promo(), "C" * 30, [Issue(field="asins", message=LONG)] * 200, [f"U{i:010d}" for i in range(500)])


def _promo_list_500() -> dict:
    from bot.views.promo import promo_list

    return promo_list([_promo(i) for i in range(500)], "you can see " + LONG)


def _promo_report() -> dict:
    from bot.views.promo import report_coverage, report_notes, report_summary
    from handlers.promo.report import DailyTotal, PromoReport, RowError, coverage

    report = PromoReport(
        code="C" * 40,
        orders=10**9,
        units=10**9,
        revenue=1e12,
        discount_cost=1e11,
        referred_orders=10**8,
        referred_revenue=1e11,
        referred_share_orders=0.5,
        referred_share_revenue=0.5,
        rows=10**6,
        encoding="utf-8",
        delimiter="\t",
        columns={},
        daily=[
            DailyTotal(
                date=date(2026, 1, 1) + timedelta(days=i), orders_referred=10**6, orders_not_referred=10**6, revenue=1e9
            )
            for i in range(365)
        ],
        row_errors=[RowError(line=i, reason=LONG) for i in range(5000)],
        referred_units=10**8,
        referred_share_units=0.1,
        currency="EUR",
        currency_source="marketplace",
        first_day=date(2026, 1, 1),
        last_day=date(2026, 12, 31),
    )
    text, blocks = report_summary(report, filename=LONG)
    # issue 17: the coverage warning (gaps on both sides) and the notes go into the same message
    gap = coverage(report, date(2025, 1, 1), date(2027, 12, 31))
    blocks += report_coverage(gap, "C" * 40, "US") + report_notes(report, LONG, "C" * 40, requested=False)
    return render.message(text, blocks)


def _deals_300() -> dict:
    from bot.views.promo import deals_summary

    deal = SimpleNamespace(
        name="Lightning " + LONG[:400],
        type="LIGHTNING_DEAL",
        status="APPROVED",
        start=NOW,
        end=NOW + timedelta(days=1),
        units_sold=10**6,
        revenue=1e9,
        revenue_currency="USD",
        conversion=0.5,
        glance_views=10**7,
    )
    return deals_summary(SimpleNamespace(promotions=[deal] * 300), "acme " + LONG[:200], "R" * 60)


MESSAGES: dict[str, Callable[[], dict]] = {
    "compliance: 200 findings": _compliance_200_findings,
    "compliance: very long user text": _compliance_very_long_user_text,
    "message: preview of very long text": _preview,
    "message: blocked with 200 findings": _blocked,
    "help": _help,
    "status: 500 pairs": _status_500_pairs,
    "error: long text and usage": _error_long,
    "health: alert": _health_alert,
    "health: alert after a click": _health_alert_state,
    "health: escalation": _health_escalation,
    "health: resolution": _health_resolution,
    "health: /health ACCOUNT with 100 red flags": _health_state_100_flags,
    "health: /health with 500 pairs": _health_summary_500_pairs,
    "promo: card with long title": _promo_card,
    "promo: show with 300 audit entries": _promo_detail_300_history,
    "promo: hand-off": _handoff,
    "promo: 200 validation errors": _invalid_request_200_errors,
    "promo: submitted": _submitted,
    "promo: list of 500": _promo_list_500,
    "promo: report": _promo_report,
    "promo: 300 deals": _deals_300,
}


@pytest.fixture
def client(fake_slack) -> WebClient:
    return WebClient(token=fake_slack.token, base_url=fake_slack.base_url)


@pytest.mark.parametrize("name", list(MESSAGES))
def test_worst_case_message_is_accepted_by_slack(fake_slack, client, name):
    payload = MESSAGES[name]()
    kwargs = {k: v for k, v in payload.items() if k not in ("response_type", "replace_original", "channel")}
    assert client.chat_postMessage(channel="C1", **kwargs)["ok"]
    ts = client.chat_postMessage(channel="C1", text="before")["ts"]
    assert client.chat_update(channel="C1", ts=ts, **kwargs)["ok"]
    assert client.chat_postEphemeral(channel="C1", user="U1", **kwargs)["ok"]
    assert httpx.post(fake_slack.webhook_url(), json=payload).status_code == 200  # respond() / response_url
    assert fake_slack.rejections == [] and fake_slack.truncations == []
    blocks = payload.get("blocks") or []
    assert len(blocks) <= render.MAX_BLOCKS and _block_text(blocks) <= render.BLOCK_TEXT_BUDGET
    assert len(payload["text"]) <= render.MESSAGE_TEXT_LIMIT


def test_lists_say_how_many_more_there_are():
    blocks_text = json.dumps(_promo_list_500()["blocks"], ensure_ascii=False)
    assert "more not shown; narrow the list with --status or --account." in blocks_text
    assert "run `sellerbot check` for the full list" in json.dumps(_compliance_200_findings()["blocks"])
    flags = json.dumps(_health_state_100_flags()["blocks"])
    assert "Open red flags (100)" in flags and "more not shown; each one is posted in <#C1>" in flags


def test_the_alert_keeps_its_buttons_whatever_the_texts():
    from bot.views.health import ACTION_IDS

    for payload in (_health_alert(), _health_alert_state(), _health_escalation()):
        actions = [b for b in payload["blocks"] if b["type"] == "actions"]
        assert actions and {e["action_id"] for e in actions[0]["elements"]} <= set(ACTION_IDS)


def test_the_card_keeps_its_buttons_whatever_the_fields():
    actions = [b for b in _promo_card()["blocks"] if b["type"] == "actions"]
    assert len(actions) == 1 and 1 <= len(actions[0]["elements"]) <= render.ACTIONS_ELEMENTS_LIMIT


def test_progress_message_text_stays_under_slacks_truncation(fake_slack, client):
    from bot.progress import ProgressMessage

    progress = ProgressMessage(client, "C1")
    progress.show("Sweep: " + LONG * 20)
    progress.show("Sweep done: " + LONG * 20)
    assert fake_slack.truncations == [] and fake_slack.rejections == []
    assert (
        len(fake_slack.messages["C1"]) == 1 and len(fake_slack.messages["C1"][0]["text"]) == render.MESSAGE_TEXT_LIMIT
    )


def test_promo_modals_are_accepted_by_views_open(fake_slack, client):
    from bot.views.promo import new_promo_modal, reject_modal
    from infra.accounts import MARKETPLACE_IDS, AccountConfig, MarketplaceConfig

    account = AccountConfig(
        account_id="acme",
        name=LONG,
        seller_id="A1",
        marketplaces=[MarketplaceConfig(code=code, alert_channel="C1") for code in MARKETPLACE_IDS],
    )
    meta = {"account": "acme", "channel": "C" * 20}
    for view in (new_promo_modal(account, meta, today=NOW.date()), reject_modal(_promo(), meta)):
        assert client.views_open(trigger_id="1.2.3", view=view)["ok"]
    assert fake_slack.rejections == []
