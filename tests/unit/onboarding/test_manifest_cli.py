"""`sellerbot manifest --url URL`: the Slack manifest with the deployed URL in every url/request_url."""

from __future__ import annotations

import json

import pytest
import yaml

from bot.cli import main
from bot.cli.manifest import filled_manifest

API = "https://abc123.execute-api.eu-west-1.amazonaws.com"


def _urls(manifest: dict) -> set[str]:
    urls = {c["url"] for c in manifest["features"]["slash_commands"]}
    urls.add(manifest["settings"]["interactivity"]["request_url"])
    return urls


@pytest.mark.parametrize("given", [API, API + "/", API + "/slack/events"])
def test_every_url_is_the_events_endpoint_whether_given_the_api_or_the_events_url(given):
    assert _urls(filled_manifest(given)) == {API + "/slack/events"}


def test_yaml_output_parses_and_keeps_the_settings(capsys):
    assert main(["manifest", "--url", API]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    assert _urls(printed) == {API + "/slack/events"}
    assert printed["settings"]["token_rotation_enabled"] is False
    assert printed["settings"]["socket_mode_enabled"] is False


def test_json_output(capsys):
    assert main(["manifest", "--url", API + "/slack/events", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert _urls(printed) == {API + "/slack/events"}


def test_the_scopes_the_features_need():
    scopes = set(filled_manifest(API)["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "chat:write.public", "users:read", "usergroups:read"} <= scopes


@pytest.mark.parametrize("bad", ["http://abc.example.com", "not a url", "https://", "https://x.example.com/other"])
def test_refuses_a_url_slack_would_not_call(bad, capsys):
    assert main(["manifest", "--url", bad]) == 2
    assert "error:" in capsys.readouterr().err
