"""`sellerbot slash "/cmd args"`: send a signed slash command to a running bot."""

from __future__ import annotations

import argparse

from bot.cli._exchange import add_connection_args, exchange
from bot.local.signed_requests import slash_body


def run(args: argparse.Namespace) -> int:
    line = args.command_line.strip()
    if not line.startswith("/"):
        print('error: the command must start with "/", e.g. sellerbot slash "/sellerbot help"')
        return 2
    return exchange(
        args,
        lambda response_url: slash_body(
            line, user=args.user, channel=args.channel, team=args.team, response_url=response_url
        ),
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "slash",
        help="send a signed slash command and print the replies",
        description="Send a correctly signed slash-command request to a running bot "
        "and print every reply as readable text.",
    )
    parser.add_argument("command_line", metavar='"/cmd args"', help="the command as typed in Slack, quoted")
    add_connection_args(parser)
    parser.set_defaults(func=run)
