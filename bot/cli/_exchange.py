"""One signed request to a running bot, and everything it said back.

Slack shows a user three kinds of reply: the HTTP ack body, posts to the
command's response_url, and Web API messages. This collects all three: the
response_url points at a receiver started here, and the local server's
/_local endpoints report lazy-listener completion and Web API posts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from bot.local.signed_requests import headers_for
from bot.local.textview import blocks_to_text, call_to_text
from bot.settings import DEMO_SIGNING_SECRET

DEFAULT_URL = "http://127.0.0.1:3000/slack/events"


def add_connection_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url",
        default=os.environ.get("SELLERBOT_URL", DEFAULT_URL),
        help=f"the bot's Slack endpoint (default {DEFAULT_URL}, or $SELLERBOT_URL)",
    )
    parser.add_argument("--user", default="U0DEMOUSER", help="Slack user id sending the request")
    parser.add_argument("--channel", default="C0DEMO", help="Slack channel id the request comes from")
    parser.add_argument("--team", default="T0DEMO", help="Slack workspace (team) id")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for slow work to finish")
    parser.add_argument("--json", action="store_true", help="print the raw exchange as JSON")


class ResponseReceiver:
    """Stands in for Slack's response_url endpoint."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    receiver.posts.append(json.loads(raw or b"{}"))
                except ValueError:
                    receiver.posts.append({"text": raw.decode(errors="replace")})
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/response"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def local_base(url: str) -> str:
    return url.rsplit("/slack/events", 1)[0]


def exchange(args: argparse.Namespace, build_body: Callable[[str], str], *, json_body: bool = False) -> int:
    secret = os.environ.get("SLACK_SIGNING_SECRET", DEMO_SIGNING_SECRET)
    receiver = ResponseReceiver()
    base = local_base(args.url)
    try:
        with httpx.Client(timeout=args.timeout) as http:
            before = _last_call(http, base)
            body = build_body(receiver.url)
            try:
                resp = http.post(args.url, content=body, headers=headers_for(body, secret, json_body=json_body))
            except httpx.HTTPError as exc:
                print(
                    f"error: cannot reach the bot at {args.url}: {exc}. Is `sellerbot serve` running?", file=sys.stderr
                )
                return 2
            idle = _wait_idle(http, base, args.timeout)
            calls = _calls_since(http, base, before)
    finally:
        receiver.close()
    return _print(args, resp, receiver.posts, calls, idle)


def _last_call(http: httpx.Client, base: str) -> int | None:
    try:
        return int(http.get(f"{base}/_local/calls", params={"since": 10**12}).json()["last"])
    except (httpx.HTTPError, ValueError, KeyError):
        return None


def _wait_idle(http: httpx.Client, base: str, timeout: float) -> bool | None:
    try:
        return bool(http.get(f"{base}/_local/idle", params={"timeout": timeout}).json()["idle"])
    except (httpx.HTTPError, ValueError, KeyError):
        return None


def _calls_since(http: httpx.Client, base: str, since: int | None) -> list[dict[str, Any]]:
    if since is None:
        return []
    try:
        return http.get(f"{base}/_local/calls", params={"since": since}).json()["calls"]
    except (httpx.HTTPError, ValueError, KeyError):
        return []


def _print(
    args: argparse.Namespace, resp: httpx.Response, posts: list[dict], calls: list[dict], idle: bool | None
) -> int:
    ack_text = resp.text
    ack: dict[str, Any] | None = None
    if resp.headers.get("content-type", "").startswith("application/json") and ack_text:
        ack = resp.json()
    # Lookups the bot makes for itself (its identity, owner-group members) are not replies.
    visible = [c for c in calls if c["method"] not in ("webhook", "auth.test", "usergroups.users.list")]
    if args.json:
        print(
            json.dumps(
                {
                    "status": resp.status_code,
                    "ack": ack if ack is not None else ack_text,
                    "responses": posts,
                    "web_api": visible,
                    "finished": idle,
                },
                indent=2,
            )
        )
    else:
        if resp.status_code != 200:
            print(f"HTTP {resp.status_code}: {ack_text}")
        elif ack is not None and ack.get("response_action") == "errors":  # a form refused, errors under inputs
            for block, message in (ack.get("errors") or {}).items():
                print(f"form error at {block}: {message}")
        elif ack is not None:
            print(blocks_to_text(ack.get("blocks"), ack.get("text", "")))
        elif ack_text:
            print(ack_text)
        for post in posts:
            print("-" * 40)
            print(blocks_to_text(post.get("blocks"), post.get("text", "")))
        for call in visible:
            print("-" * 40)
            print(call_to_text(call["method"], call["params"]))
        if idle is False:
            print(f"(still working after {args.timeout:.0f}s; later replies are not shown)")
    return 0 if resp.status_code == 200 else 1
