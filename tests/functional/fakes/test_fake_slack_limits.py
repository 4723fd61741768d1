"""The fake Slack refuses what Slack refuses, with Slack's answer, over real HTTP.

Limits: https://api.slack.com/reference/block-kit/blocks (50 blocks per message, 100 per view; section,
header, context, actions), https://api.slack.com/reference/block-kit/block-elements#button,
https://api.slack.com/reference/surfaces/views. Answers: chat.* `invalid_blocks` with HTTP 200 and an
`errors` list; views.* `invalid_arguments` with the reasons in response_metadata.messages; a response_url
HTTP 400 `invalid_blocks`; text over 40,000 characters truncated with a `message_truncated` warning
(https://api.slack.com/changelog/2018-04-truncating-really-long-messages).
"""

from __future__ import annotations

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError


@pytest.fixture
def client(fake_slack) -> WebClient:
    return WebClient(token=fake_slack.token, base_url=fake_slack.base_url)


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(text: str = "Go", **over) -> dict:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": "a", "value": "v", **over}


def _refused(call) -> dict:
    with pytest.raises(SlackApiError) as exc:
        call()
    assert exc.value.response.status_code == 200  # Slack refuses with HTTP 200 and ok: false
    return exc.value.response.data


OVER_LIMIT = {
    "51 blocks": ([section("x")] * 51, "no more than 50 items allowed [json-pointer:/blocks]"),
    "section text 3001": (
        [section("x" * 3001)],
        "must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
    ),
    "empty section text": ([section("")], "must be more than 0 characters [json-pointer:/blocks/0/text/text]"),
    "11 fields": (
        [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
        "no more than 10 items allowed [json-pointer:/blocks/0/fields]",
    ),
    "field 2001": (
        [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
        "must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]",
    ),
    "header 151": (
        [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
        "must be less than 151 characters [json-pointer:/blocks/0/text/text]",
    ),
    "header mrkdwn": (
        [{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}],
        "must be a valid text object [json-pointer:/blocks/0/text]",
    ),
    "11 context elements": (
        [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}],
        "no more than 10 items allowed [json-pointer:/blocks/0/elements]",
    ),
    "26 buttons": (
        [{"type": "actions", "elements": [button()] * 26}],
        "no more than 25 items allowed [json-pointer:/blocks/0/elements]",
    ),
    "button text 76": (
        [{"type": "actions", "elements": [button("b" * 76)]}],
        "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]",
    ),
    "button value 2001": (
        [{"type": "actions", "elements": [button(value="v" * 2001)]}],
        "must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]",
    ),
    "action_id 256": (
        [{"type": "actions", "elements": [button(action_id="a" * 256)]}],
        "must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]",
    ),
    "block_id 256": (
        [{**section("x"), "block_id": "b" * 256}],
        "must be less than 256 characters [json-pointer:/blocks/0/block_id]",
    ),
    "unknown block type": (
        [{"type": "sectoin", "text": {"type": "mrkdwn", "text": "x"}}],
        "failed to match all allowed schemas [json-pointer:/blocks/0]",
    ),
}


@pytest.mark.parametrize("case", list(OVER_LIMIT))
@pytest.mark.parametrize("method", ["chat_postMessage", "chat_postEphemeral", "chat_update"])
def test_chat_methods_refuse_blocks_over_a_documented_limit(fake_slack, client, case, method):
    blocks, reason = OVER_LIMIT[case]
    kwargs = {"channel": "C1", "text": "fallback", "blocks": blocks}
    if method == "chat_postEphemeral":
        kwargs["user"] = "U1"
    if method == "chat_update":
        kwargs["ts"] = client.chat_postMessage(channel="C1", text="before")["ts"]
    data = _refused(lambda: getattr(client, method)(**kwargs))
    assert data["error"] == "invalid_blocks" and reason in data["errors"]
    assert f"[ERROR] {reason}" in data["response_metadata"]["messages"]
    assert fake_slack.rejections[-1]["error"] == "invalid_blocks"
    assert [m["text"] for m in fake_slack.messages.get("C1", [])] in ([], ["before"])  # nothing posted or edited


def test_blocks_at_every_limit_are_accepted(fake_slack, client):
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "h" * 150}},
        section("x" * 3000),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2000}] * 10},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 10},
        {
            "type": "actions",
            "block_id": "b" * 255,
            "elements": [button("b" * 75, value="v" * 2000, action_id=f"{i:0>255}") for i in range(25)],
        },
    ] + [section("x")] * 45
    assert len(blocks) == 50
    assert client.chat_postMessage(channel="C1", text="ok", blocks=blocks)["ok"]
    assert fake_slack.rejections == []


def test_long_text_is_truncated_with_slacks_warning_not_refused(fake_slack, client):
    resp = client.chat_postMessage(channel="C1", text="y" * 40_001)
    assert resp["ok"] and resp["warning"] == "message_truncated"
    assert resp["response_metadata"]["warnings"] == ["message_truncated"]
    assert len(fake_slack.messages["C1"][-1]["text"]) == 40_000
    assert fake_slack.truncations == [{"method": "chat.postMessage", "length": 40_001}]
    assert client.chat_postMessage(channel="C1", text="y" * 40_000).get("warning") is None


def _modal(**over) -> dict:
    return {"type": "modal", "title": {"type": "plain_text", "text": "Title"}, "blocks": [section("x")], **over}


VIEW_OVER_LIMIT = {
    "title 25": (
        _modal(title={"type": "plain_text", "text": "t" * 25}),
        "must be less than 25 characters [json-pointer:/view/title/text]",
    ),
    "submit 25": (
        _modal(submit={"type": "plain_text", "text": "s" * 25}),
        "must be less than 25 characters [json-pointer:/view/submit/text]",
    ),
    "101 blocks": (_modal(blocks=[section("x")] * 101), "no more than 100 items allowed [json-pointer:/view/blocks]"),
    "private_metadata 3001": (
        _modal(private_metadata="m" * 3001),
        "must be less than 3001 characters [json-pointer:/view/private_metadata]",
    ),
    "101 select options": (
        _modal(
            blocks=[
                {
                    "type": "input",
                    "label": {"type": "plain_text", "text": "L"},
                    "element": {
                        "type": "static_select",
                        "action_id": "s",
                        "options": [{"text": {"type": "plain_text", "text": "o"}, "value": "o"}] * 101,
                    },
                }
            ]
        ),
        "no more than 100 items allowed [json-pointer:/view/blocks/0/element/options]",
    ),
}


@pytest.mark.parametrize("case", list(VIEW_OVER_LIMIT))
def test_views_refuse_a_view_over_a_documented_limit(fake_slack, client, case):
    view, reason = VIEW_OVER_LIMIT[case]
    data = _refused(lambda: client.views_open(trigger_id="1.2.3", view=view))
    assert data["error"] == "invalid_arguments" and f"[ERROR] {reason}" in data["response_metadata"]["messages"]
    assert fake_slack.views == {}


def test_views_publish_and_update_check_the_view_too(fake_slack, client):
    home = {"type": "home", "blocks": [section("x")] * 100}
    assert client.views_publish(user_id="U1", view=home)["ok"]
    data = _refused(lambda: client.views_publish(user_id="U1", view={**home, "blocks": [section("x")] * 101}))
    assert data["error"] == "invalid_arguments"
    opened = client.views_open(trigger_id="1.2.3", view=_modal())["view"]["id"]
    data = _refused(
        lambda: client.views_update(view_id=opened, view=_modal(title={"type": "plain_text", "text": "t" * 30}))
    )
    assert data["error"] == "invalid_arguments"


def test_response_url_refuses_invalid_blocks_with_http_400(fake_slack):
    bad = httpx.post(fake_slack.webhook_url("r"), json={"text": "t", "blocks": [section("x" * 3001)]})
    assert (bad.status_code, bad.text) == (400, "invalid_blocks")
    assert fake_slack.calls_to("webhook") == []  # not posted
    good = httpx.post(fake_slack.webhook_url("r"), json={"text": "t", "blocks": [section("x")]})
    assert good.status_code == 200 and len(fake_slack.calls_to("webhook")) == 1
    assert [r["method"] for r in fake_slack.rejections] == ["webhook"]
