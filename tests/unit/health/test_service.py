"""check_account end to end over SQLiteStore: only changes post; unreadable reports alert once, never all-clear."""

from __future__ import annotations

import gzip
from datetime import timedelta

import pytest

from bot.views.health import post_text
from handlers.health.alerts import AlertBook
from handlers.health.notifications import parse_notification
from handlers.health.service import UnknownSeller, apply_notification, check_account
from infra.accounts import AccountsConfig
from tests.support.health import (
    NOW,
    account_status_changed_example,
    encode,
    eventbridge,
    healthy_report,
    notification_example,
    sample_bytes,
)

H = timedelta(hours=6)


def test_sample_report_alerts_once_then_only_changes(account, store):
    us = account.marketplace("US")
    first = check_account(gzip.compress(sample_bytes()), account, us, store, NOW)
    assert first.status == "flags" and first.account_status == "AT_RISK"
    alerts = [p for p in first.posts if p.kind == "alert"]
    assert len(alerts) == len(first.flags) == 12 and len(first.new) == 12
    assert {p.channel for p in alerts} == {"C0ACMEUS"} and all(p.episode == 1 for p in alerts)
    assert all("What to do" in post_text(p) for p in alerts) and alerts[0].owner_group == "S0ACMEOPS"
    second = check_account(sample_bytes(), account, us, store, NOW + H)
    assert second.posts == [] and len(second.still_open) == 12 and second.new == []
    # Everything back to normal: every alert resolves, in its thread.
    book = AlertBook(store)
    book.record_post("acme#US#accountStatus", "C0ACMEUS", "1.1", episode=1)
    third = check_account(encode(healthy_report()), account, us, store, NOW + 2 * H)
    assert third.status == "ok" and third.flags == [] and len(third.resolved) == 12
    res = [p for p in third.posts if p.kind == "resolution"]
    assert len(res) == 12 and {p.thread_ts for p in res if p.flag_id == "acme#US#accountStatus"} == {"1.1"}
    assert check_account(encode(healthy_report()), account, us, store, NOW + 3 * H).posts == []


def test_mx_only_sees_its_marketplace(account, store):
    out = check_account(sample_bytes(), account, account.marketplace("MX"), store, NOW)
    assert [f.flag_id for f in out.flags] == ["acme#MX#accountStatus"] and out.account_status == "SUSPENDED"


def test_trend_warning_is_posted(account, store):
    us = account.marketplace("US")
    check_account(encode(healthy_report(lateShipmentRate=0.01)), account, us, store, NOW)
    out = check_account(encode(healthy_report(lateShipmentRate=0.03)), account, us, store, NOW + H)
    assert out.flags == [] and [p.kind for p in out.posts] == ["trend"]
    assert "Late shipment rate moved from 1.00 % to 3.00 %" in post_text(out.posts[0])


@pytest.mark.parametrize(
    "bad",
    [
        sample_bytes()[:500],
        gzip.compress(sample_bytes())[:200],
        b"not json at all",
        b'{"reportType": "something else"}',
    ],
)
def test_unreadable_report_alerts_once_and_never_clears(account, store, bad):
    us = account.marketplace("US")
    check_account(sample_bytes(), account, us, store, NOW)
    out = check_account(bad, account, us, store, NOW + H)
    assert out.status == "unreadable" and out.error
    assert [p.flag_id for p in out.posts] == ["acme#US#reportUnreadable"]
    assert "NOT an all-clear" in post_text(out.posts[0])
    assert check_account(bad, account, us, store, NOW + 2 * H).posts == []  # deduped
    open_ids = {a.flag_id for a in AlertBook(store).list_for("acme", "US")}
    assert len(open_ids) == 13  # nothing resolved
    back = check_account(sample_bytes(), account, us, store, NOW + 3 * H)
    assert [(p.kind, p.flag_id) for p in back.posts] == [("resolution", "acme#US#reportUnreadable")]


def test_report_without_the_marketplace_is_unreadable(account, store):
    out = check_account(encode(healthy_report("A1F83G8C2ARO7P")), account, account.marketplace("US"), store, NOW)
    assert out.status == "unreadable" and "no data for US" in out.error and "UK" in out.error


def test_rerun_at_the_same_time_is_idempotent(account, store):
    us = account.marketplace("US")
    a = check_account(sample_bytes(), account, us, store, NOW)
    b = check_account(sample_bytes(), account, us, store, NOW)  # SQS redelivery of the same check
    assert a.snapshot_saved and not b.snapshot_saved and b.posts == []


def account_status(previous: str, current: str) -> dict:
    """Amazon's ACCOUNT_STATUS_CHANGED example (sp-api.md §2.4) with the given transition."""
    n = account_status_changed_example()
    n["payload"]["accountStatusChangeNotification"].update(previousAccountStatus=previous, currentAccountStatus=current)
    return n


def test_account_status_notification_alerts_and_resolves(account, store):
    accounts = AccountsConfig(accounts=[account])
    at_risk = parse_notification(account_status("NORMAL", "AT_RISK"))
    posts = apply_notification(at_risk, accounts, store, NOW, account_id="acme", marketplace="US")
    assert [(p.flag_id, p.severity, p.channel) for p in posts] == [("acme#US#accountStatus", "critical", "C0ACMEUS")]
    assert apply_notification(at_risk, accounts, store, NOW, account_id="acme", marketplace="US") == []
    # The scheduled report then confirms the same flag: no second alert.
    r = healthy_report()
    r["accountStatuses"][0]["status"] = "AT_RISK"
    assert check_account(encode(r), account, account.marketplace("US"), store, NOW + H).posts == []
    normal = parse_notification(account_status("AT_RISK", "NORMAL"))
    posts = apply_notification(normal, accounts, store, NOW + 2 * H, account_id="acme", marketplace="US")
    assert [p.kind for p in posts] == ["resolution"]
    # Without a marketplace the flag is account-wide and goes to the first channel.
    posts = apply_notification(at_risk, accounts, store, NOW, account_id="acme")
    assert [(p.flag_id, p.channel) for p in posts] == [("acme#ALL#accountStatus", "C0ACMEUS")]


def test_listing_issue_by_seller_id(account, store):
    accounts = AccountsConfig(accounts=[account])
    detail = notification_example("ListingsItemIssuesChangeNotification_2023-12-13.json")
    detail["Payload"].update(SellerId="A2ACMESELLER01", MarketplaceId="A1AM78C64UM0Y8", Sku="SKU-1")
    event = eventbridge(detail)
    posts = apply_notification(parse_notification(event), accounts, store, NOW)
    assert [(p.flag_id, p.severity, p.channel) for p in posts] == [
        ("acme#MX#listingIssue.SKU-1", "critical", "C0ACMEMX")
    ]
    # A scheduled report check does not resolve notification flags.
    check_account(encode(healthy_report("A1AM78C64UM0Y8")), account, account.marketplace("MX"), store, NOW)
    assert AlertBook(store).get("acme#MX#listingIssue.SKU-1").state == "open"
    event["detail"]["Payload"].update(Severities=["NONE"], EnforcementActions=[])
    assert [p.kind for p in apply_notification(parse_notification(event), accounts, store, NOW)] == ["resolution"]
    event["detail"]["Payload"]["SellerId"] = "ANOTHERSELLER"
    with pytest.raises(UnknownSeller):
        apply_notification(parse_notification(event), accounts, store, NOW)


def test_report_notice_is_posted_once_and_resolves_when_gone(account, store):
    us = account.marketplace("US")
    odd = healthy_report()
    odd["performanceMetrics"][0]["sellerFulfilledShippingScore"] = {"defectsCount": 4, "status": "BAD"}
    first = check_account(encode(odd), account, us, store, NOW)
    assert first.status == "ok" and first.flags == []  # not a red flag of the account
    [notice] = first.notices
    [post] = first.posts
    assert post.kind == "alert" and post.severity == "warning" and "sellerFulfilledShippingScore" in post_text(post)
    assert post.flag_id == "acme#US#reportNotice.sellerFulfilledShippingScore" == notice.flag_id
    assert check_account(encode(odd), account, us, store, NOW + H).posts == []
    gone = check_account(encode(healthy_report()), account, us, store, NOW + 2 * H)
    assert [p.kind for p in gone.posts] == ["resolution"]
