"""`sellerbot click ACTION_ID VALUE`: press a button, as Slack would report it."""

from __future__ import annotations

import argparse

from bot.cli._exchange import add_connection_args, exchange
from bot.local.signed_requests import block_actions_body


def run(args: argparse.Namespace) -> int:
    return exchange(
        args,
        lambda response_url: block_actions_body(
            args.action_id,
            args.value,
            user=args.user,
            channel=args.channel,
            team=args.team,
            response_url=response_url,
            message_ts=args.message_ts,
        ),
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "click",
        help="send a signed block_actions payload (a button click)",
        description="Send a signed block_actions payload for one button, as Slack does "
        "when a user clicks it, and print every reply.",
    )
    parser.add_argument("action_id", metavar="ACTION_ID", help="the button's action_id")
    parser.add_argument("value", metavar="VALUE", help="the button's value")
    parser.add_argument("--message-ts", default="1700000000.000100", help="ts of the message holding the button")
    add_connection_args(parser)
    parser.set_defaults(func=run)
