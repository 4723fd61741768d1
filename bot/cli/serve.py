"""`sellerbot serve`: run the bot locally with embedded defaults."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from bot.local.demo import demo_store_url
from bot.logging_setup import configure_logging


def run(args: argparse.Namespace) -> int:
    configure_logging(args.log_level)
    # Lazy: the local environment loads the whole bot (Bolt app, SP-API client) and configures logging
    # on import (bot.lambda_handler); only `serve` needs it, after its own --log-level is set.
    from bot.local.environment import MISSING_SECRET, LocalEnvironment, MissingSigningSecret
    from bot.local.server import make_server

    if not args.demo and not os.environ.get("SLACK_SIGNING_SECRET") and os.environ.get("SELLERBOT_SECRETS") != "ssm":
        print(f"error: {MISSING_SECRET}", file=sys.stderr)
        return 2
    store_url = args.store or os.environ.get("SELLERBOT_STORE_URL") or demo_store_url(args.data_dir)
    try:
        env = LocalEnvironment(store_url=store_url, demo=args.demo).start()
    except MissingSigningSecret as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        server = make_server(env, args.host, args.port)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc}")
        env.stop()
        return 2
    print(f"sellerbot listening on http://{args.host}:{args.port}/slack/events")
    for note in env.notes:
        print(f"  {note}")
    print('try: sellerbot slash "/sellerbot help"', flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        env.stop()
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="start the bot locally (fake Slack, SP-API sandbox, SQLite store)",
        description="Start the bot on a local HTTP server. Whatever is not configured in the "
        "environment is embedded: a fake Slack Web API, the SP-API sandbox with "
        "2 seller accounts x 2 marketplaces, and a SQLite store.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--store", help="store URL (sqlite:///path.db or dynamodb://table); default .demo/sellerbot.db")
    parser.add_argument("--data-dir", default=".demo", help="where the demo SQLite file lives")
    parser.add_argument("--log-level", default=logging.getLevelName(logging.INFO))
    parser.add_argument(
        "--demo",
        action="store_true",
        help="allow the public demo signing secret when SLACK_SIGNING_SECRET is not set (local demo only)",
    )
    parser.set_defaults(func=run)
