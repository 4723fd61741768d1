"""Issue 14 item 5: the gate admits only our Slack app, our workspaces or Grid organisation, and users of
those workspaces, before Bolt runs.

Payload fields follow Slack's references: an interaction's `team.enterprise_id`, `enterprise.id` and
`user.team_id` (https://api.slack.com/reference/interaction-payloads/block-actions), an event's
`enterprise_id` and, in a channel shared with another organisation, `event.user_team`
(https://api.slack.com/apis/channels-between-orgs). Before the fix the gate compared only the payload's
`team.id`: `test_user_of_another_organisation_in_a_shared_channel_is_refused` and
`test_shared_channel_event_from_another_organisation_is_refused` passed a foreign user, and the Grid
tests had no enterprise allow-list to use.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlencode

import pytest

from bot.gate import RequestGate
from bot.local.signed_requests import block_actions_body, headers_for, slash_body
from infra.store.sqlite import SQLiteStore

SECRET = "tenancy-test-signing-secret"
OURS, OTHER, GRID, OTHER_GRID, APP = "T0OURS", "T0OTHERORG", "E0OURGRID", "E0OTHERGRID", "A0SELLERBOT"


def _gate(**allowed: list[str]) -> RequestGate:
    return RequestGate(SECRET, SQLiteStore(":memory:"), allowed_api_app_ids=[APP], **allowed)


def _event(body: str, *, json_body: bool = False) -> dict:
    return {"body": body, "headers": headers_for(body, SECRET, json_body=json_body), "isBase64Encoded": False}


def _status(gate: RequestGate, body: str, *, json_body: bool = False) -> int:
    decision = gate.check(_event(body, json_body=json_body))
    return 200 if decision.response is None else decision.response["statusCode"]


def _click(team: str, user_team: str, **extra: object) -> str:
    payload = json.loads(parse_qs(block_actions_body("health_ack", "1:acme#US#odr", team=team))["payload"][0])
    payload["api_app_id"] = APP
    payload["user"]["team_id"] = user_team
    payload.update(extra)
    return urlencode({"payload": json.dumps(payload)})


def test_user_of_our_workspace_is_admitted():
    assert _status(_gate(allowed_team_ids=[OURS]), _click(OURS, OURS)) == 200


def test_user_of_another_organisation_in_a_shared_channel_is_refused():
    # The click comes through our workspace's channel, but the user belongs to another organisation.
    assert _status(_gate(allowed_team_ids=[OURS]), _click(OURS, OTHER)) == 401


def test_shared_channel_event_from_another_organisation_is_refused():
    event = {
        "type": "event_callback",
        "team_id": OURS,
        "api_app_id": APP,
        "event_id": "Ev1",
        "event": {
            "type": "app_mention",
            "user": "U0STRANGER",
            "user_team": OTHER,
            "text": "hi",
            "channel": "C0SHARED",
            "ts": "1.0",
        },
    }
    gate = _gate(allowed_team_ids=[OURS])
    assert _status(gate, json.dumps(event), json_body=True) == 401
    event["event"]["user_team"] = OURS
    event["event_id"] = "Ev2"
    assert _status(gate, json.dumps(event), json_body=True) == 200


@pytest.mark.parametrize(
    "enterprise, user_team, status",
    [
        (GRID, "T0GRIDWS2", 200),  # any workspace of our Grid organisation
        (GRID, GRID, 200),  # an org-wide user's team id is the organisation's
        (OTHER_GRID, "T0GRIDWS2", 401),  # a workspace of another organisation
    ],
)
def test_grid_organisation_is_allowed_as_a_whole(enterprise, user_team, status):
    click = _click("T0GRIDWS2", user_team, enterprise={"id": enterprise, "name": "Org"})
    payload = json.loads(parse_qs(click)["payload"][0])
    payload["team"]["enterprise_id"] = enterprise
    body = urlencode({"payload": json.dumps(payload)})
    assert _status(_gate(allowed_enterprise_ids=[GRID]), body) == status


def test_grid_slash_command_carries_the_enterprise_id():
    form = {k: v[0] for k, v in parse_qs(slash_body("/sellerbot help", team="T0GRIDWS2")).items()}
    form.update(api_app_id=APP, enterprise_id=GRID)
    assert _status(_gate(allowed_enterprise_ids=[GRID]), urlencode(form)) == 200
    form.update(enterprise_id=OTHER_GRID, trigger_id="another.trigger")
    assert _status(_gate(allowed_enterprise_ids=[GRID]), urlencode(form)) == 401


def test_another_app_is_refused_even_in_our_workspace():
    assert _status(_gate(allowed_team_ids=[OURS]), _click(OURS, OURS, api_app_id="A0OTHERAPP")) == 401


def test_deployed_allow_lists_come_from_ssm():
    from pathlib import Path

    template = Path(__file__).resolve().parents[2] / ".serverless" / "cloudformation-template-update-stack.json"
    if not template.exists():
        pytest.skip("no packaged template: run `make package` first")
    resources = json.loads(template.read_text())["Resources"]
    slack = next(
        r
        for r in resources.values()
        if r["Type"] == "AWS::Lambda::Function" and "slack" in json.dumps(r["Properties"]["FunctionName"])
    )
    env = slack["Properties"]["Environment"]["Variables"]
    for name, parameter in (
        ("TEAM", "allowed-team-ids"),
        ("ENTERPRISE", "allowed-enterprise-ids"),
        ("APP", "allowed-app-ids"),
    ):
        assert env[f"SELLERBOT_ALLOWED_{name}_IDS"] == f"{{{{resolve:ssm:/sellerbot/ci/{parameter}}}}}"
