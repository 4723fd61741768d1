"""Text from an Amazon notification is shown as text in every post it reaches (issue 23, item 5).

A LISTINGS_ITEM_ISSUES_CHANGE notification (Amazon's published example, addressed to a demo account) whose
SKU and ASIN are hostile mrkdwn goes through the real path: the notifications worker opens a critical alert
and posts it to the fake Slack, the escalation worker re-posts it with the owner group's mention, and a
second notification resolves it (the "Resolved" reply in the thread and the alert updated in place). Every
message the fake Slack received must show the SKU escaped: no live `<!channel>`, no `<https://…|label>` link,
no `<@U…>` that came from the notification. The one mention allowed is the owner group's `<!subteam^ID>`,
which comes from the configuration.

The same goes for a hostile marketplace id: whether the worker refuses it as malformed or posts it, nothing
the fake Slack receives may carry it live.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.jobs.health_checks import HealthDeps
from bot.local.lambda_emulation import LocalContext
from bot.slack_client import build_web_client
from bot.workers import health_escalation, health_notifications
from infra.accounts import load_accounts
from infra.fakes.slack_api import FakeSlack
from infra.store.sqlite import SQLiteStore
from tests.support.health import eventbridge, notification_example

HOSTILE_SKU = "<!channel> <https://evil.example|Seller Central login> <@U0MALLORY>"
HOSTILE_ASIN = "<!here>"
# Before issue 23 a marketplace id this bot did not know stayed as Amazon sent it (evaluate.marketplace_key).
HOSTILE_MARKETPLACE = "<!everyone>"
UK = "A1F83G8C2ARO7P"
ESCAPED_SKU = "&lt;!channel&gt; &lt;https://evil.example|Seller Central login&gt; &lt;@U0MALLORY&gt;"
GLOBEX_SELLER = "A3GLOBEXSELL02"
OWNER_MENTION = "<!subteam^S0GLOBEXOPS>"
# Anything Slack would turn into a mention or a link: `<!…>`, `<@…>`, `<#…>`, `<http…>`, `<mailto:…>`.
LIVE = re.compile(r"<[!@#]|<(?:https?|mailto):", re.IGNORECASE)


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).timestamp()

    def __call__(self) -> float:
        return self.now


def _listing_event(severities: list[str], actions: list[str], marketplace_id: str = UK) -> dict:
    n = notification_example("ListingsItemIssuesChangeNotification_2023-12-13.json")
    n["Payload"].update(
        SellerId=GLOBEX_SELLER,
        MarketplaceId=marketplace_id,
        Asin=HOSTILE_ASIN,
        Sku=HOSTILE_SKU,
        Severities=severities,
        EnforcementActions=actions,
    )
    n["NotificationMetadata"]["NotificationId"] = str(uuid.uuid4())
    return eventbridge(n, event_id=str(uuid.uuid4()))


def _texts(obj: Any) -> list[str]:
    """Every string Slack renders as mrkdwn in a message: top-level text and mrkdwn text objects."""
    out: list[str] = []
    if isinstance(obj, dict):
        if obj.get("type") == "mrkdwn" and isinstance(obj.get("text"), str):
            out.append(obj["text"])
        for value in obj.values():
            out += _texts(value)
    elif isinstance(obj, list):
        for value in obj:
            out += _texts(value)
    return out


def _rendered(params: dict[str, Any]) -> list[str]:
    blocks = params.get("blocks")
    if isinstance(blocks, str):  # the Web client sends blocks JSON-encoded
        blocks = json.loads(blocks)
    return ([params["text"]] if isinstance(params.get("text"), str) else []) + _texts(blocks or [])


def _assert_inert(label: str, params: dict[str, Any]) -> None:
    for text in _rendered(params):
        live = LIVE.findall(text.replace(OWNER_MENTION, ""))
        assert not live, f"{label}: notification text reaches Slack live ({live}):\n{text}"
        assert "&amp;lt;" not in text, f"{label}: escaped twice:\n{text}"


@pytest.fixture
def slack():
    with FakeSlack() as fake:
        yield fake


def _deps(slack: FakeSlack, clock: Clock) -> HealthDeps:
    return HealthDeps(
        store=SQLiteStore(":memory:"),
        slack=build_web_client(slack.token, slack.base_url),
        accounts=load_accounts(),
        reports=None,  # notifications and escalations never fetch a report
        clock=clock,
        escalation_delay=timedelta(minutes=30),
    )


def test_hostile_sku_is_escaped_in_the_alert_the_escalation_and_the_resolution(slack: FakeSlack) -> None:
    clock = Clock()
    deps = _deps(slack, clock)
    notifications = health_notifications.make_handler(deps)

    opened = notifications(_listing_event(["ERROR"], ["LISTING_SUPPRESSED"]), LocalContext(30))
    assert opened["status"] == "applied" and opened["posted"] == 1
    # Issue 18: the pair's digest, the alert as a reply in its thread, the responders' call (broadcast).
    posts = slack.calls_to("chat.postMessage")
    [alert] = [c for c in posts if "actions" in json.dumps(c.params.get("blocks"))]
    assert alert.params["channel"] == "C0GLOBEXUK" and alert.params.get("thread_ts")
    for call in posts:
        _assert_inert("thread reply" if call.params.get("thread_ts") else "digest", call.params)
    assert any(ESCAPED_SKU in t for t in _rendered(alert.params)), _rendered(alert.params)

    clock.now += timedelta(minutes=31).total_seconds()
    seen = len(slack.calls_to("chat.postMessage"))
    assert health_escalation.make_handler(deps)({}, LocalContext()) == {"due": 1, "posted": 1, "failed": 0}
    [repost] = slack.calls_to("chat.postMessage")[seen:]
    assert repost.params["text"].startswith(OWNER_MENTION)
    _assert_inert("escalation re-post", repost.params)
    assert ESCAPED_SKU in repost.params["text"]

    seen = len(slack.calls_to("chat.postMessage"))
    resolved = notifications(_listing_event(["NONE"], []), LocalContext(30))
    assert resolved["status"] == "applied" and resolved["posted"] == 1
    [reply] = slack.calls_to("chat.postMessage")[seen:]
    assert reply.params.get("thread_ts") and "Resolved" in reply.params["text"]
    _assert_inert("resolved reply", reply.params)
    assert ESCAPED_SKU in reply.params["text"]
    updates = slack.calls_to("chat.update")
    assert updates, "the alert was not updated in place"
    for update in updates:
        _assert_inert("alert updated as resolved", update.params)
    assert not slack.rejections


def test_hostile_marketplace_id_never_reaches_slack_live(slack: FakeSlack) -> None:
    clock = Clock()
    deps = _deps(slack, clock)
    notifications = health_notifications.make_handler(deps)
    opened = notifications(
        _listing_event(["ERROR"], ["LISTING_SUPPRESSED"], marketplace_id=HOSTILE_MARKETPLACE), LocalContext(30)
    )
    if opened["status"] == "applied":  # posted: the alert, its escalation and its resolution show it as text
        clock.now += timedelta(minutes=31).total_seconds()
        health_escalation.make_handler(deps)({}, LocalContext())
        notifications(_listing_event(["NONE"], [], marketplace_id=HOSTILE_MARKETPLACE), LocalContext(30))
        # digest, alert reply, responders' call, escalation, resolution
        assert len(slack.calls_to("chat.postMessage")) == 5
    else:  # refused as malformed: nothing posted
        assert opened["status"] in ("rejected", "dead-lettered") and not slack.calls_to("chat.postMessage")
    for call in slack.calls_to("chat.postMessage") + slack.calls_to("chat.update"):
        _assert_inert(call.method, call.params)
