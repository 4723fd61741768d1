"""`sellerbot manifest --url URL [--json]`: the Slack app manifest with the deployed URL filled in.

bot/slack-manifest.yml stays the one source of commands, shortcuts and scopes (a contract test keeps it
in step with what the bot registers); this prints it with every `url` and `request_url` set to the
stack's SlackEventsUrl. URL may be the HttpApiUrl (`https://ID.execute-api.REGION.amazonaws.com`) or
the SlackEventsUrl itself (the same plus `/slack/events`), both outputs of `make deploy`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

MANIFEST_PATH = Path(__file__).resolve().parents[1] / "slack-manifest.yml"
EVENTS_PATH = "/slack/events"
MAX_URL = 2048  # longer than any API Gateway or custom-domain URL


def events_url(url: str) -> str:
    """The SlackEventsUrl for an HttpApiUrl or a SlackEventsUrl; ValueError saying what to pass otherwise."""
    url = url.strip()
    parts = urlsplit(url)
    if len(url) > MAX_URL or parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(
            "--url must be the stack's HttpApiUrl or SlackEventsUrl (https://…), as `make deploy` prints it; "
            "Slack calls only https URLs."
        )
    path = parts.path.rstrip("/")
    if path not in ("", EVENTS_PATH):
        raise ValueError(f"--url must end at the API root or at {EVENTS_PATH}, not at {parts.path!r}.")
    return f"https://{parts.netloc}{EVENTS_PATH}"


def filled_manifest(url: str) -> dict[str, Any]:
    """bot/slack-manifest.yml with every url/request_url set to the events URL of `url`."""
    target = events_url(url)
    manifest: dict[str, Any] = yaml.safe_load(MANIFEST_PATH.read_text(encoding="utf-8"))
    features = manifest.get("features", {})
    for command in features.get("slash_commands", []):
        command["url"] = target
    settings = manifest.get("settings", {})
    for section in ("interactivity", "event_subscriptions"):
        if isinstance(settings.get(section), dict) and "request_url" in settings[section]:
            settings[section]["request_url"] = target
    return manifest


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "manifest",
        help="print the Slack app manifest with the deployed URL filled in",
        description="Print bot/slack-manifest.yml with every url and request_url set to URL + /slack/events. "
        "Paste the output into api.slack.com/apps -> Create New App -> From a manifest.",
    )
    parser.add_argument(
        "--url", required=True, help="the stack's HttpApiUrl or SlackEventsUrl (make deploy prints both)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of YAML")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        manifest = filled_manifest(args.url)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(manifest, indent=2))
    else:
        print(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True), end="")
    return 0
