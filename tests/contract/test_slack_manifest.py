"""The Slack app manifest declares exactly what the bot registers, so a deployed app never
offers a command the bot does not answer, nor misses one it does."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.commands import CATALOGUE
from bot.listeners import FEATURES  # every feature module, imported: each declares its commands at import

MANIFEST = yaml.safe_load((Path(__file__).resolve().parents[2] / "bot" / "slack-manifest.yml").read_text())


def test_manifest_lists_every_registered_slash_command():
    assert FEATURES
    declared = {spec.command for spec in CATALOGUE.values()}
    in_manifest = {c["command"] for c in MANIFEST["features"]["slash_commands"]}
    assert in_manifest == declared


def test_manifest_offers_the_compliance_shortcut():
    from bot.listeners.compliance import SHORTCUT

    assert {"type": "message", "callback_id": SHORTCUT}.items() <= MANIFEST["features"]["shortcuts"][0].items()


def test_every_request_url_is_the_one_events_endpoint():
    urls = {c["url"] for c in MANIFEST["features"]["slash_commands"]}
    urls.add(MANIFEST["settings"]["interactivity"]["request_url"])
    assert urls == {"REPLACE_WITH_API_URL"}
    assert not MANIFEST["settings"]["socket_mode_enabled"]
