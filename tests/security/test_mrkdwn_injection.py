"""No user- or Amazon-supplied text can inject mrkdwn into what the bot posts (issue 14, item 1).

Every message builder in bot/views is built with realistic structured input whose user- or
Amazon-supplied fields (promo notes, reasons, codes, names, ASIN lists, compliance excerpts, health
values and messages from Amazon's report, review and message texts, file names, error details) are set
to each of `<!channel>`, `<!here>`, `<https://evil.example|amazon.com>` and `*bold*`. The rendered
output (the top-level `text` and every mrkdwn text object of every block, or the mrkdwn string a
builder returns) must show them as text: the escaped form (`&lt;!channel&gt;`) appears, the raw one
does not, and nothing is escaped twice (`&amp;lt;`).

`plain_text` objects (headers, button labels, modal titles and inputs) are not checked: Slack never
parses mentions or links in them. `*bold*` cannot be escaped: mrkdwn has no escape for `*` other than
zero-width-space tricks that would change what a user copies out of Slack, so the bot leaves it as
it is; the test only checks that the literal asterisks are still there (nothing ate or rewrote them),
i.e. the worst it can do is format the user's own text, never notify anyone or hide a link.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from bot.views import charts as chart_views
from bot.views import compliance as compliance_views
from bot.views import health as health_views
from bot.views import help as help_views
from bot.views import messages as message_views
from bot.views import promo as promo_views
from bot.views import reviews as review_views
from bot.views import status as status_views

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
EVILS = ["<!channel>", "<!here>", "<https://evil.example|amazon.com>", "*bold*"]
ESCAPED = {
    "<!channel>": "&lt;!channel&gt;",
    "<!here>": "&lt;!here&gt;",
    "<https://evil.example|amazon.com>": "&lt;https://evil.example|amazon.com&gt;",
}
RAW_MARKERS = ("<!channel>", "<!here>", "<https://evil")


def _mrkdwn_texts(obj: Any) -> list[str]:
    """Every mrkdwn text object under `obj` (blocks, fields, context elements, accessories)."""
    out: list[str] = []
    if isinstance(obj, dict):
        if obj.get("type") == "mrkdwn" and isinstance(obj.get("text"), str):
            out.append(obj["text"])
        for value in obj.values():
            out += _mrkdwn_texts(value)
    elif isinstance(obj, list):
        for value in obj:
            out += _mrkdwn_texts(value)
    return out


def rendered(output: Any) -> str:
    """All the mrkdwn a builder's output shows: top-level text and block texts, or the string itself."""
    if isinstance(output, str):
        return output
    if isinstance(output, tuple):  # report_summary: (text, blocks)
        return "\n".join(rendered(part) for part in output)
    if isinstance(output, list):
        return "\n".join(_mrkdwn_texts(output))
    texts = [output["text"]] if isinstance(output.get("text"), str) else []
    return "\n".join(texts + _mrkdwn_texts(output.get("blocks") or []))


# ---- structured inputs -------------------------------------------------------------------------------------------


def _account(evil: str) -> Any:
    from infra.accounts import AccountConfig, MarketplaceConfig

    return AccountConfig(
        account_id="acme",
        name=f"Acme {evil}",
        seller_id="A1",
        marketplaces=[MarketplaceConfig(code="US", alert_channel="C0ALERTS")],
    )


def _promo(evil: str, **update: Any) -> Any:
    from handlers.promo.models import AuditEntry, HandoffInfo, PromoStatus, Promotion

    fields: dict[str, Any] = {"requester": "U0REQUESTER", "approver": "U0APPROVER", **update}
    return Promotion(
        id="p00001",
        code="SUMMER2026",  # the model holds codes to [A-Z0-9]{1,40}; unvalidated codes are tested below
        percent_off=20,
        asins=["B0ABCDEFGH", f"B0{evil}"],
        start=NOW,
        end=NOW + timedelta(days=14),
        marketplace="US",
        note=f"for the newsletter {evil}",
        account_id="acme",
        status=PromoStatus.REJECTED,
        reason=f"too deep {evil}",
        created_at=NOW,
        decided_at=NOW,
        history=[
            AuditEntry(
                at=NOW,
                by="U0APPROVER",
                action="rejected",
                from_status=PromoStatus.PENDING_APPROVAL,
                to_status=PromoStatus.REJECTED,
                detail={"reason": f"too deep {evil}"},
            ),
            AuditEntry(
                at=NOW,
                by=f"{evil}",  # a stored id that is not a Slack id
                action="commented",
                from_status=None,
                to_status=PromoStatus.REJECTED,
                detail={"note": evil},
            ),
        ],
        handoff=HandoffInfo(
            gateway="manual",
            handed_off_by="U0APPROVER",
            handed_off_at=NOW,
            deep_link="https://sellercentral.amazon.com/promotions/new",
            created_confirmed=True,
            confirmed_by=evil,
            confirmed_at=NOW,
        ),
        **fields,
    )


def _card(evil: str) -> Any:
    from handlers.promo import service

    return service.card(_promo(evil), _account(evil), warnings=[])


def _handoff(evil: str) -> Any:
    from handlers.promo.gateway import FormField, HandoffResult

    return HandoffResult(
        gateway="manual",
        promo_id="p00001",
        code=f"SUMMER{evil}",
        deep_link="https://sellercentral.amazon.com/promotions/new",
        fields=[FormField(label="Promo code", value=f"SUMMER{evil}"), FormField(label="ASINs", value=f"B0{evil}")],
        steps=[f"Enter the code SUMMER{evil}"],
        warnings=[f"check the ASINs {evil}"],
    )


def _issues(evil: str) -> list[Any]:
    from handlers.promo.validation import Issue

    return [Issue(field="asins", message=f"unknown ASIN B0{evil}")]


def _transition(evil: str, **fields: Any) -> Any:
    from handlers.promo.repository import TransitionResult

    return TransitionResult(**fields)


def _gap(evil: str) -> Any:
    from datetime import date

    from handlers.promo.report import coverage

    report = _report(evil).model_copy(update={"first_day": date(2026, 12, 2), "last_day": date(2026, 12, 3)})
    return coverage(report, date(2026, 12, 1), date(2026, 12, 5))


def _report(evil: str) -> Any:
    from handlers.promo.report import DailyTotal, PromoReport, RowError

    return PromoReport(
        code=f"SUMMER{evil}",
        orders=3,
        units=4,
        revenue=100.0,
        discount_cost=20.0,
        referred_orders=1,
        referred_revenue=30.0,
        referred_share_orders=0.3,
        referred_share_revenue=0.3,
        rows=3,
        encoding="utf-8",
        delimiter=",",
        columns={},
        daily=[DailyTotal(date=date(2026, 11, 1), orders_referred=1, orders_not_referred=2, revenue=100.0)],
        row_errors=[RowError(line=2, reason=f"bad amount {evil}")],
    )


def _deals(evil: str) -> Any:
    deal = SimpleNamespace(
        name=f"Lightning {evil}",
        type="LIGHTNING_DEAL",
        status="APPROVED",
        start=NOW,
        end=NOW + timedelta(days=1),
        units_sold=5,
        revenue=50.0,
        revenue_currency="USD",
        conversion=0.1,
        glance_views=50,
    )
    return SimpleNamespace(promotions=[deal])


def _finding(evil: str) -> Any:
    from handlers.compliance import Finding

    return Finding(
        rule="NO_EXTERNAL_LINKS",
        severity="violation",
        start=0,
        end=10,
        excerpt=f"visit {evil}",
        message=f"links are forbidden {evil}",
        fix=f"remove {evil}",
    )


def _compliance(evil: str) -> Any:
    from handlers.compliance import ComplianceResult

    return ComplianceResult(verdict="violation", lang="en", findings=[_finding(evil)])


def _target() -> Any:
    from handlers.reviews.target import Target

    account = _account("")
    return Target(account=account, marketplace=account.marketplaces[0])


def _draft_outcome(evil: str) -> Any:
    draft = SimpleNamespace(
        order_id="111-0000000-0000001", action="confirmDeliveryDetails", draft_id="d1", text=f"Hello {evil}"
    )
    return SimpleNamespace(
        draft=draft,
        order_id=draft.order_id,
        status="draft",
        allowed=["confirmDeliveryDetails"],
        compliance=_compliance(evil),
    )


def _send_outcome(evil: str, status: str) -> Any:
    from handlers.reviews.messaging import SendOutcome

    return SendOutcome(status=status, detail=f"Amazon said {evil}")  # type: ignore[arg-type]


def _review_outcome(evil: str) -> Any:
    from handlers.reviews.requests import ReviewOutcome

    return ReviewOutcome(order_id="111-0000000-0000001", target="acme/US", status="failed", detail=f"Amazon: {evil}")


def _sweep(evil: str) -> Any:
    from handlers.reviews.sweep import SweepCounts, SweepReport

    return SweepReport(run_id="r1", target="acme/US", dry_run=False, status="running", counts=SweepCounts())


def _flag(evil: str) -> Any:
    from handlers.health.evaluate import RedFlag

    return RedFlag(
        flag_id="acme#US#orderDefectRate",
        account="acme",
        marketplace="US",
        metric="orderDefectRate",
        label=f"Order defect rate {evil}",
        value=f"high {evil}",
        target=0.01,
        condition="LESS_THAN",
        severity="critical",
        message=f"Amazon reports {evil}",
        meaning=f"buyers complain {evil}",
        next_step=f"look at {evil}",
    )


def _record(evil: str, state: str = "acknowledged") -> Any:
    from handlers.health.alerts import AlertRecord

    flag = _flag(evil)
    return AlertRecord(
        flag_id=flag.flag_id,
        account="acme",
        marketplace="US",
        metric=flag.metric,
        episode=3,
        state=state,
        severity="critical",
        flag=flag,
        opened_at=NOW,
        updated_at=NOW,
        channel="C0ALERTS",
        acknowledged_by="U0ALICE",
        assignee=evil,  # a stored value that is not a Slack id
        owner_group="S0OPS",
        message_ts="1.2",
    )


def _resolution(evil: str) -> Any:
    from handlers.health.alerts import Resolution

    return Resolution(
        label=f"Order defect rate {evil}", by="U0ALICE", reason=f"back {evil}", open_for=timedelta(hours=3)
    )


def _trend(evil: str) -> Any:
    from handlers.health.evaluate import TrendWarning

    return TrendWarning(
        flag_id="acme#US#lateShipmentRate#trend",
        account="acme",
        marketplace="US",
        metric="lateShipmentRate",
        label=f"Late shipment {evil}",
        value=0.03,
        previous=0.02,
        target=0.04,
        condition="LESS_THAN",
        message=f"rising {evil}",
    )


def _post(evil: str, kind: str) -> Any:
    from handlers.health.service import AlertPost

    return AlertPost(
        resolution=_resolution(evil) if kind == "resolution" else None,
        trend=_trend(evil) if kind == "trend" else None,
        kind=kind,
        flag_id="acme#US#orderDefectRate",
        episode=7,
        channel="C0ALERTS",
        thread_ts="1.2",
        severity="critical",
        owner_group="S0OPS",
        flag=_flag(evil),
    )


def _digest_summary(evil: str) -> Any:
    from handlers.health.digest import Change, DigestSummary

    return DigestSummary(
        account="acme",
        account_name=f"Acme {evil}",
        marketplace="US",
        ahr_score=180,
        ahr_status=f"WARNED{evil}",
        account_status=f"AT_RISK{evil}",
        red=2,
        warnings=1,
        checked_at=NOW,
        check_failed=f"Amazon said {evil}",
        changes=[Change(kind=k, label=f"Order defect rate {evil}") for k in ("new", "worsened", "resolved")],
        next_check_at=NOW,
        event=f"ACCOUNT_STATUS_CHANGED{evil}",
        event_at=NOW,
    )


def _escalation(evil: str) -> Any:
    from handlers.health.alerts import Escalation

    return Escalation(alert=_record(evil), unacknowledged_for=timedelta(hours=2))


def _pair(evil: str) -> Any:
    from handlers.health.evaluate import MetricValue

    return health_views.PairState(
        account="acme",
        account_name=f"Acme {evil}",
        marketplace="US",
        channel="C0ALERTS",
        account_status=f"AT_RISK{evil}",  # as Amazon's report says it
        checked_at=NOW,
        metrics={"orderDefectRate": MetricValue(value=0.02, target=0.01, condition="LESS_THAN", status=f"BAD{evil}")},
        alerts=[_record(evil, "open")],
    )


def _listing_flag(evil: str) -> Any:
    """The red flag a LISTINGS_ITEM_ISSUES_CHANGE notification opens (issue 23, item 5): Amazon's published example
    with the SKU and ASIN set to `evil`. Its marketplace is set to `evil` afterwards: the parser now refuses an
    unknown marketplace id, but a flag stored before that (or from a report) is rendered all the same."""
    from handlers.health.notifications import effect_of, parse_notification
    from tests.support.health import notification_example

    raw = notification_example("ListingsItemIssuesChangeNotification_2023-12-13.json")
    raw["Payload"].update(
        SellerId="A3GLOBEXSELL02",
        MarketplaceId="A1F83G8C2ARO7P",
        Asin=f"B0{evil}",
        Sku=f"GLO-{evil}",
        Severities=["ERROR"],
        EnforcementActions=["LISTING_SUPPRESSED"],
    )
    [flag] = effect_of(parse_notification(raw), "globex").open
    return flag.model_copy(update={"marketplace": f"UK{evil}"})


def _listing_record(evil: str, state: str = "open") -> Any:
    from handlers.health.alerts import AlertRecord

    flag = _listing_flag(evil)
    return AlertRecord(
        flag_id=flag.flag_id,
        account=flag.account,
        marketplace=flag.marketplace,
        metric=flag.metric,
        episode=1,
        state=state,
        severity=flag.severity,
        flag=flag,
        opened_at=NOW,
        updated_at=NOW,
        resolved_at=NOW if state == "resolved" else None,
        channel="C0GLOBEXUK",
        owner_group="S0GLOBEXOPS",
        message_ts="1.2",
    )


def _listing_post(evil: str, kind: str) -> Any:
    from handlers.health.alerts import Resolution
    from handlers.health.service import AlertPost

    flag = _listing_flag(evil)
    resolution = Resolution(label=flag.label, by=None, reason="Amazon reports it cleared", open_for=timedelta(hours=2))
    return AlertPost(
        kind=kind,
        flag_id=flag.flag_id,
        episode=1,
        channel="C0GLOBEXUK",
        thread_ts="1.2" if kind == "resolution" else None,
        severity=flag.severity,
        owner_group="S0GLOBEXOPS",
        flag=flag,
        resolution=resolution if kind == "resolution" else None,
    )


def _listing_pair(evil: str, *, checked: bool = True) -> Any:
    record = _listing_record(evil)
    return health_views.PairState(
        account=f"globex{evil}",
        marketplace=record.marketplace,
        channel=f"C0{evil}",  # a stored channel that is not a Slack id
        account_status="NORMAL",
        checked_at=NOW if checked else None,
        alerts=[record] if checked else [],
    )


def _check_outcome(evil: str, status: str = "unreadable") -> Any:
    from handlers.health.service import CheckOutcome

    return CheckOutcome(account="acme", marketplace="US", status=status, error=f"Amazon: {evil}", flags=[_flag(evil)])  # type: ignore[arg-type]


def _sent(evil: str, status: str) -> Any:
    return message_views.sent_message(_send_outcome(evil, status))


# ---- every builder ----------------------------------------------------------------------------------------------


def _ops_status(evil: str) -> Any:
    """A status whose every text comes from outside: the environment, the store, AWS's refusals."""
    from handlers.ops.status import (
        ErrorsStatus,
        FunctionErrors,
        HealthStatus,
        QueueStatus,
        ScheduleStatus,
        Status,
    )

    return Status(
        version=f"v1{evil}",
        deployed_at=None,
        stage=f"dev{evil}",
        generated_at=NOW,
        schedules=[
            ScheduleStatus(name="a", what=f"sweep{evil}", rate=f"rate{evil}", last_success_at=NOW, age_seconds=60),
            ScheduleStatus(name="b", what="x", rate="y", unknown=f"store unreadable{evil}"),
        ],
        queues=[
            QueueStatus(name=f"Q{evil}", kind="dlq", depth=2, in_flight=0, delayed=0),
            QueueStatus(name="R", kind="work", unknown=f"SQS refused: {evil}"),
        ],
        errors_24h=ErrorsStatus(
            errors=1,
            throttles=0,
            spapi_throttles=None,
            unknown=f"CloudWatch {evil}",
            functions=[FunctionErrors(function=f"fn{evil}", errors=1, throttles=0)],
        ),
        health=HealthStatus(
            pairs=2,
            checked=0,
            stale=1,
            failed=1,
            in_flight=0,
            stale_after_hours=12,
            stale_pairs=[f"acme{evil}/US"],
            failed_pairs=[f"acme{evil}/CA"],
        ),
        unknown={"deployed_at": f"not a deploy{evil}"},
    )


BUILDERS: dict[str, Callable[[str], Any]] = {
    # promo
    "promo.card_message": lambda e: promo_views.card_message(_card(e), note=promo_views.handoff_note(_promo(e))),
    "promo.handoff_message": lambda e: promo_views.handoff_message(_handoff(e), _promo(e)),
    "promo.forbidden_text": lambda e: promo_views.forbidden_text(
        __import__("handlers.promo.lifecycle", fromlist=["Forbidden"]).Forbidden(
            rule=__import__("handlers.promo.lifecycle", fromlist=["Rule"]).Rule.APPROVERS_DECIDE,
            requester=e,
            approvers=["U0APPROVER", e],
        )
    ),
    "promo.transition_text (already decided)": lambda e: promo_views.transition_text(
        _transition(e, outcome="already_decided", verdict="rejected", decided_by=e, decided_at=NOW)
    ),
    "promo.transition_text (invalid)": lambda e: promo_views.transition_text(
        _transition(e, outcome="invalid", message=f"cannot reject SUMMER{e}")
    ),
    "promo.issues_text": lambda e: promo_views.issues_text(_issues(e)),
    "promo.invalid_request": lambda e: promo_views.invalid_request(_issues(e), _issues(e), "/promo new CODE"),
    "promo.submitted": lambda e: promo_views.submitted(_promo(e), "C0APPROVALS", _issues(e), ["U0APPROVER", e]),
    "promo.new_promo_modal": lambda e: promo_views.new_promo_modal(_account(e), {}, today=date(2026, 11, 24)),
    "promo.reject_modal": lambda e: promo_views.reject_modal(_promo(e, requester=e), {}),
    "promo.created_modal": lambda e: promo_views.created_modal(_promo(e, requester=e), {}),
    "promo.promo_list": lambda e: promo_views.promo_list([_promo(e), _promo(e, requester=e)], "in acme"),
    "promo.audit_lines": lambda e: "\n".join(promo_views.audit_lines(_promo(e))),
    "promo.promo_detail": lambda e: promo_views.promo_detail(_card(e), _promo(e)),
    "promo.report_summary": lambda e: promo_views.report_summary(_report(e), f"report {e}.csv"),
    "promo.report_notes": lambda e: promo_views.report_notes(
        _report(e), f"report {e}.csv", f"SUMMER{e}", requested=False
    ),
    "promo.deals_pending": lambda e: promo_views.deals_pending("acme", "US", f"R{e}", f"IN_QUEUE{e}"),
    "promo.deals_unreadable": lambda e: promo_views.deals_unreadable(f"Amazon: {e}"),
    "promo.deals_summary": lambda e: promo_views.deals_summary(_deals(e), "acme US", f"R{e}"),
    "promo.deals_failed": lambda e: promo_views.deals_failed("none", f"acme{e}/US"),
    "promo.deals_need_brand_registry": lambda e: promo_views.deals_need_brand_registry(f"acme{e}"),
    "promo.report_coverage": lambda e: promo_views.report_coverage(_gap(e), f"SUMMER{e}", f"US{e}"),
    "promo.chart_private_notice": lambda e: promo_views.chart_private_notice(f"SUMMER{e}", f"F1|C1|U1|{e}"),
    "promo.chart_share_comment": lambda e: promo_views.chart_share_comment(f"SUMMER{e}", f"U1{e}"),
    "promo.chart_shared": lambda e: promo_views.chart_shared(f"SUMMER{e}", f"U1{e}"),
    "promo.handoff_note (handed off)": lambda e: promo_views.handoff_note(
        _promo(e).model_copy(
            update={"handoff": _promo(e).handoff.model_copy(update={"created_confirmed": False, "handed_off_by": e})}
        )
    ),
    "promo.approved_notice": lambda e: promo_views.approved_notice(
        _promo(e), e, promo_views.handoff_message(_handoff(e), _promo(e))
    ),
    "promo.rejected_notice": lambda e: promo_views.rejected_notice(_promo(e, approver=e)),
    "promo.cancelled_notice": lambda e: promo_views.cancelled_notice(_promo(e), e, reason=f"no stock {e}"),
    "promo.created_notice": lambda e: promo_views.created_notice(_promo(e), e),
    # compliance
    "compliance.result_message": lambda e: compliance_views.result_message(_compliance(e)),
    # help
    "help.status_message": lambda e: help_views.status_message([f":x: Acme (acme) US: Amazon said {e}"]),
    # status (admins' /sellerbot status)
    "status.ops_status_message": lambda e: status_views.ops_status_message(_ops_status(e), [f":x: acme US: {e}"]),
    "status.schedule_line": lambda e: status_views.schedule_line(_ops_status(e).schedules[0]),
    "status.queue_line": lambda e: status_views.queue_line(_ops_status(e).queues[0]),
    "status.errors_lines": lambda e: "\n".join(status_views.errors_lines(_ops_status(e).errors_24h)),
    "status.health_lines": lambda e: "\n".join(status_views.health_lines(_ops_status(e).health)),
    # messages
    "messages.preview_message": lambda e: message_views.preview_message(_draft_outcome(e), _target()),
    "messages.blocked_message": lambda e: message_views.blocked_message(_draft_outcome(e)),
    **{
        f"messages.sent_message ({status})": functools.partial(_sent, status=status)
        for status in ("already_sent", "unconfirmed", "cancelled", "failed", "unknown")
    },
    "messages.cancelled_message (unconfirmed)": lambda e: message_views.cancelled_message(
        _send_outcome(e, "unconfirmed")
    ),
    "messages.cancelled_message (unknown)": lambda e: message_views.cancelled_message(_send_outcome(e, "unknown")),
    # reviews
    "reviews.review_outcome": lambda e: review_views.review_outcome(_review_outcome(e)),
    "reviews.sweep_progress_text": lambda e: review_views.sweep_progress_text(
        _sweep(e).model_copy(update={"target": f"acme/US{e}"}), False
    ),
    "reviews.sweep_paused": lambda e: review_views.sweep_paused(
        _sweep(e).model_copy(update={"target": f"acme/US{e}"}), continued=True
    ),
    # health
    "health.state_line": lambda e: health_views.state_line(_record(e), NOW),
    "health.alert_text": lambda e: health_views.alert_text(_flag(e)),
    "health.resolution_text": lambda e: health_views.resolution_text(_resolution(e)),
    "health.trend_text": lambda e: health_views.trend_text(_trend(e)),
    "health.escalation_text": lambda e: health_views.escalation_text(_escalation(e)),
    "health.action_text": lambda e: health_views.action_text(
        __import__("handlers.health.alerts", fromlist=["ActionResult"]).ActionResult(
            outcome="applied", action="assigned", by=e
        )
    ),
    "health.alert_message": lambda e: health_views.alert_message(_post(e, "alert")),
    "health.alert_state_message": lambda e: health_views.alert_state_message(_record(e), note="Snoozed", now=NOW),
    "health.resolution_message": lambda e: health_views.resolution_message(_post(e, "resolution")),
    "health.trend_message": lambda e: health_views.trend_message(_post(e, "trend")),
    "health.escalation_message": lambda e: health_views.escalation_message(_escalation(e)),
    "health.message_for": lambda e: health_views.message_for(_post(e, "trend")),
    "health.state_blocks": lambda e: health_views.state_blocks(_pair(e), now=NOW),
    "health.summary_blocks": lambda e: health_views.summary_blocks([_pair(e)]),
    "health.check_started": lambda e: health_views.check_started(f"acme {e}", 1),
    "health.check_line (unreadable)": lambda e: health_views.check_line("acme", "US", _check_outcome(e), 0),
    "health.check_line (flags)": lambda e: health_views.check_line(
        "acme", "US", _check_outcome(e, "flags").model_copy(update={"account_status": f"AT_RISK{e}"}), 1
    ),
    "health.check_failed_line": lambda e: health_views.check_failed_line("acme", "US", f"Amazon: {e}"),
    "health.check_progress": lambda e: health_views.check_progress(
        "acme", 1, 2, [health_views.check_line("acme", "US", _check_outcome(e), 0)]
    ),
    "health.check_finished": lambda e: health_views.check_finished(
        "acme", 1, [health_views.check_failed_line("acme", "US", f"Amazon: {e}")], left=0, queued=False
    ),
    # the digest of issue 18: Amazon's words (status, labels) and the account's name in the summary
    "health.digest_headline": lambda e: health_views.digest_headline(_digest_summary(e)),
    "health.digest_text": lambda e: health_views.digest_text(_digest_summary(e)),
    "health.digest_message": lambda e: health_views.digest_message("C0ALERTS", _digest_summary(e)),
    "health.mention_message": lambda e: health_views.mention_message(
        "C0ALERTS", "1.2", _digest_summary(e), "S0OPS", ["U0ALICE", e], [_flag(e)]
    ),
    "health.responder_mentions": lambda e: health_views.responder_mentions(f"S0{e}", [e]),
    "health.snooze_ended_message": lambda e: health_views.snooze_ended_message(
        _record(e, "open").model_copy(update={"snoozed_by": e, "snoozed_until": NOW}), "C0ALERTS", "1.2"
    ),
    "health.responders_only_text": lambda e: health_views.responders_only_text(f"acme{e}", "US", [e], [e], [e]),
    "charts.chart_unavailable": lambda e: chart_views.chart_unavailable(f"Slack refused the upload ({e})"),
    # health, from a LISTINGS_ITEM_ISSUES_CHANGE notification with a hostile SKU/ASIN/marketplace (issue 23, item 5)
    "health.alert_message (listing issue)": lambda e: health_views.alert_message(_listing_post(e, "alert")),
    "health.escalation_message (listing issue)": lambda e: health_views.escalation_message(
        __import__("handlers.health.alerts", fromlist=["Escalation"]).Escalation(
            alert=_listing_record(e), unacknowledged_for=timedelta(hours=2)
        )
    ),
    "health.resolution_message (listing issue)": lambda e: health_views.resolution_message(
        _listing_post(e, "resolution")
    ),
    "health.alert_state_message (listing issue resolved)": lambda e: health_views.alert_state_message(
        _listing_record(e, "resolved"), note=":white_check_mark: Resolved", now=NOW
    ),
    "health.alert_text (listing issue)": lambda e: health_views.alert_text(_listing_flag(e)),
    "health.state_blocks (listing issue)": lambda e: health_views.state_blocks(_listing_pair(e), now=NOW),
    "health.state_blocks (not checked)": lambda e: health_views.state_blocks(_listing_pair(e, checked=False)),
    "health.summary_blocks (not checked)": lambda e: health_views.summary_blocks([_listing_pair(e, checked=False)]),
    "health.check_pending_line": lambda e: health_views.check_pending_line(f"acme{e}", f"US{e}"),
    "health.check_line (pair)": lambda e: health_views.check_line(f"acme{e}", f"US{e}", _check_outcome(e, "flags"), 1),
    "health.check_failed_line (pair)": lambda e: health_views.check_failed_line(f"acme{e}", f"US{e}", "Amazon: 503"),
    "health.check_finished (label)": lambda e: health_views.check_finished(f"acme{e}", 1, [], left=1, queued=True),
    "health.check_progress (label)": lambda e: health_views.check_progress(f"acme{e}", 0, 2, []),
}


@pytest.mark.parametrize("evil", EVILS)
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_supplied_text_is_shown_as_text(name: str, evil: str) -> None:
    text = rendered(BUILDERS[name](evil))
    for marker in RAW_MARKERS:
        assert marker not in text, f"{name}: {marker!r} reaches Slack unescaped:\n{text}"
    assert "&amp;lt;" not in text and "&amp;gt;" not in text, f"{name}: escaped twice:\n{text}"
    if evil in ESCAPED:
        assert ESCAPED[evil] in text, f"{name}: {evil!r} is not shown (escaped) at all:\n{text}"
    else:  # `*bold*`: no mrkdwn escape exists for `*`; the literal asterisks must still be there
        assert evil in text, f"{name}: {evil!r} was rewritten:\n{text}"


def test_every_builder_in_bot_views_is_covered() -> None:
    """A new public builder in bot/views must be added to BUILDERS (or to the list of builders without
    supplied text below)."""
    import inspect

    no_supplied_text = {
        "promo.handoff_steps",  # the gateway's steps, rendered (escaped) by handoff_message
        "promo.field_pairs",  # escapes every value; covered through card_message and report_summary
        "promo.requester_notice",  # takes mrkdwn built by the notices above
        "promo.handoff_note",  # covered by card_message and "handoff_note (handed off)"
        "health.post_text",  # covered by resolution/trend/message_for
        "health.summary_text",  # counts only
        "health.duration",
        "health.fmt_value",
        "health.fmt_target",
        "help.help_message",  # the command catalogue
        "promo.ended_notice",  # code (model-validated [A-Z0-9]) and dates only
        "promo.marked_created",  # same
        "promo.never_created_notice",  # same
    }
    covered = {name.split(" ")[0] for name in BUILDERS} | no_supplied_text
    modules = {
        "promo": promo_views,
        "health": health_views,
        "help": help_views,
        "messages": message_views,
        "reviews": review_views,
        "compliance": compliance_views,
        "charts": chart_views,
        "status": status_views,
    }
    missing = [
        f"{short}.{fn_name}"
        for short, module in modules.items()
        for fn_name, fn in vars(module).items()
        if inspect.isfunction(fn)
        and (fn.__module__ == module.__name__ or fn.__module__.startswith(module.__name__ + "."))  # packages too
        and not fn_name.startswith("_")
        and f"{short}.{fn_name}" not in covered
    ]
    assert not missing, f"builders without an injection test: {missing}"
