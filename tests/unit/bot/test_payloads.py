from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from bot.payloads import EventCallback, Interaction, MalformedPayload, SlashCommand, delivery_key, parse_payload

FORM = "application/x-www-form-urlencoded"


def test_slash_command_parsed():
    body = urlencode({"command": "/promo", "text": "list", "user_id": "U1", "team_id": "T1", "trigger_id": "t1"})
    payload = parse_payload(body, FORM)
    assert isinstance(payload, SlashCommand) and payload.text == "list"
    assert delivery_key(payload) == "command:t1"


def test_interaction_parsed():
    body = urlencode(
        {
            "payload": json.dumps(
                {
                    "type": "block_actions",
                    "user": {"id": "U1"},
                    "team": {"id": "T1"},
                    "trigger_id": "t2",
                    "actions": [{"action_id": "a", "action_ts": "9.1"}],
                }
            )
        }
    )
    payload = parse_payload(body, FORM)
    assert isinstance(payload, Interaction)
    assert delivery_key(payload) == "interaction:t2:9.1"


def test_event_parsed():
    payload = parse_payload(
        json.dumps({"type": "event_callback", "event_id": "Ev1", "team_id": "T1", "event": {"type": "app_mention"}}),
        "application/json",
    )
    assert isinstance(payload, EventCallback) and delivery_key(payload) == "event:Ev1"


def test_event_without_a_type_is_malformed():
    with pytest.raises(MalformedPayload, match="event type"):
        parse_payload(json.dumps({"type": "event_callback", "event_id": "Ev1", "event": {}}), "application/json")


@pytest.mark.parametrize(
    "body,ctype",
    [
        ("payload=%7B", FORM),
        (urlencode({"payload": json.dumps({"type": "block_actions"})}), FORM),  # no user
        (urlencode({"payload": json.dumps({"type": "weird", "user": {"id": "U"}})}), FORM),
        (urlencode({"command": "promo", "user_id": "U", "team_id": "T"}), FORM),  # no leading slash
        ("hello=world", FORM),
        ("{not json", "application/json"),
        ("[]", "application/json"),
    ],
)
def test_malformed_bodies_are_rejected_with_a_reason(body, ctype):
    with pytest.raises(MalformedPayload) as exc:
        parse_payload(body, ctype)
    assert str(exc.value)


@pytest.mark.parametrize(
    "body",
    [
        "",
        "a=1&b=2",
        "a=1&a=2&b=",  # a repeated name: the last value wins, as in Bolt's parse
        "a&b=&=c&&d=e=f",
        "text=caf%C3%A9+%26+more%3D&x=%E2%82%AC%zz",
        "k%20y=v+w&%2B=%2b",
        "payload=%7B%22type%22%3A%22block_actions%22%7D&token=t",
        "bad=%FF%FE&ok=1",
    ],
)
def test_parse_form_reads_a_body_as_bolts_parse_qsl(body):
    from urllib.parse import parse_qsl

    from bot.payloads import parse_form

    assert parse_form(body) == dict(parse_qsl(body, keep_blank_values=True))
