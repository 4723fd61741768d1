"""`sellerbot submit [CALLBACK_ID] --field BLOCK=VALUE …`: fill in and submit the last form the bot opened.

A button such as "Mark as created" or "Reject…" opens a modal (views.open); Slack then posts a
view_submission when the person presses Submit. This reads the last such modal the local bot opened
(the local server's record of Web API calls), keeps each input's initial value unless --field gives
one, and posts the signed view_submission with the modal's private_metadata, as Slack would.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import httpx

from bot.cli._exchange import add_connection_args, exchange, local_base
from bot.local.signed_requests import view_submission_body

OPENERS = ("views.open", "views.push")


def _views(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Every modal the local bot opened, oldest first."""
    with httpx.Client(timeout=args.timeout) as http:
        calls = http.get(f"{local_base(args.url)}/_local/calls", params={"since": 0}).json()["calls"]
    views = []
    for call in calls:
        if call["method"] in OPENERS:
            view = call["params"].get("view")
            views.append(json.loads(view) if isinstance(view, str) else view)
    return [v for v in views if isinstance(v, dict)]


def _value(element: dict[str, Any], given: str | None) -> dict[str, Any] | None:
    """The element's state as Slack reports it: the given text, else its initial value; None when empty."""
    kind = element.get("type", "")
    if kind == "datepicker":
        day = given or element.get("initial_date")
        return {"type": kind, "selected_date": day} if day else None
    if kind in ("static_select", "radio_buttons"):
        options = element.get("options") or [o for g in element.get("option_groups") or [] for o in g["options"]]
        chosen = next((o for o in options if o.get("value") == given), None) if given else element.get("initial_option")
        return {"type": kind, "selected_option": chosen} if chosen else None
    if kind in ("conversations_select", "channels_select", "users_select"):
        key = {"conversations_select": "conversation", "channels_select": "channel", "users_select": "user"}[kind]
        chosen = given or element.get(f"initial_{key}")
        return {"type": kind, f"selected_{key}": chosen} if chosen else None
    if kind in ("multi_users_select", "multi_conversations_select", "multi_channels_select"):
        key = kind.removeprefix("multi_").removesuffix("_select")  # users, conversations, channels
        picked = given.split(",") if given else ([] if given is not None else element.get(f"initial_{key}") or [])
        return {"type": kind, f"selected_{key}": [p for p in picked if p]}
    if kind == "checkboxes":
        if given is None:
            return {"type": kind, "selected_options": element.get("initial_options") or []}
        wanted = set(given.split(",")) if given else set()
        return {"type": kind, "selected_options": [o for o in element.get("options") or [] if o["value"] in wanted]}
    text = given if given is not None else element.get("initial_value")
    return {"type": kind or "plain_text_input", "value": text} if text is not None else None


def state_values(view: dict[str, Any], fields: dict[str, str]) -> dict[str, dict[str, dict[str, Any]]]:
    """`view.state.values` for the modal's input blocks, with `fields` (block_id -> value) filled in."""
    values: dict[str, dict[str, dict[str, Any]]] = {}
    for block in view.get("blocks") or []:
        element = block.get("element")
        if block.get("type") != "input" or not isinstance(element, dict):
            continue
        state = _value(element, fields.get(block.get("block_id", "")))
        values[block["block_id"]] = {element.get("action_id", ""): state} if state else {}
    return values


def run(args: argparse.Namespace) -> int:
    try:
        views = _views(args)
    except (httpx.HTTPError, ValueError, KeyError):
        print(
            f"error: cannot read the forms the bot opened at {args.url}. Is `sellerbot serve` running?", file=sys.stderr
        )
        return 2
    if args.callback_id:
        views = [v for v in views if v.get("callback_id") == args.callback_id]
    if not views:
        which = f" with callback id {args.callback_id}" if args.callback_id else ""
        print(f"error: the bot has opened no form{which} yet; press the button that opens it first.", file=sys.stderr)
        return 2
    view = views[-1]
    fields = {}
    for pair in args.field:
        block, sep, value = pair.partition("=")
        if not sep:
            print(
                f"error: --field takes BLOCK=VALUE, e.g. --field promotion_id=16913551269; got {pair!r}",
                file=sys.stderr,
            )
            return 2
        fields[block] = value
    known = {b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input"}
    unknown = sorted(set(fields) - known)
    if unknown:
        print(
            f"error: the form has no input {', '.join(unknown)}; its inputs are {', '.join(sorted(known))}",
            file=sys.stderr,
        )
        return 2
    values = state_values(view, fields)
    return exchange(
        args,
        lambda _response_url: view_submission_body(
            view.get("callback_id", ""),
            values,
            user=args.user,
            team=args.team,
            private_metadata=view.get("private_metadata", ""),
            blocks=view.get("blocks"),
        ),
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "submit",
        help="fill in and submit the last form (modal) the bot opened",
        description="Submit the last modal the local bot opened (or the last one with CALLBACK_ID), as Slack posts "
        "a view_submission: each input keeps its initial value unless --field sets it. Example, after "
        "`sellerbot click promo_mark_created VALUE`: sellerbot submit --field promotion_id=16913551269",
    )
    parser.add_argument(
        "callback_id", nargs="?", metavar="CALLBACK_ID", help="the modal's callback id (default: the last)"
    )
    parser.add_argument(
        "--field", action="append", default=[], metavar="BLOCK=VALUE", help="an input's value, by its block id (repeat)"
    )
    add_connection_args(parser)
    parser.set_defaults(func=run)
