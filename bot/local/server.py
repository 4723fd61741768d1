"""Local HTTP server: Slack-shaped requests in, the Lambda handler behind.

`POST /slack/events` is turned into an API Gateway HTTP API event and given
to `bot.lambda_handler.handler`, so local runs exercise the Lambda path.
The `/_local/*` endpoints exist only here, for the `sellerbot` CLI.
"""

from __future__ import annotations

import json
import logging
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from bot.lambda_handler import handler
from bot.local.environment import LocalEnvironment
from bot.local.lambda_emulation import LocalContext, http_api_event

log = logging.getLogger("sellerbot.local.server")

MAX_BODY = 1_000_000


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, env: LocalEnvironment, host: str, port: int) -> None:
        super().__init__((host, port), LocalRequestHandler)
        self.env = env


class LocalRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: LocalServer

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def _send(self, status: int, body: str | bytes, headers: dict[str, str] | None = None) -> None:
        raw = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        headers.setdefault("content-type", "text/plain; charset=utf-8")
        for k, v in headers.items():
            if k != "content-length":
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _json(self, status: int, body: Any) -> None:
        self._send(status, json.dumps(body), {"content-type": "application/json"})

    def do_GET(self) -> None:
        env = self.server.env
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/healthz":
            return self._json(200, {"ok": True})
        if url.path == "/_local/idle":
            idle = env.lazy.wait_idle(float(query.get("timeout", "10")))
            return self._json(200, {"idle": idle, "inflight": env.lazy.inflight})
        if url.path.startswith("/amazon/"):
            return self._amazon(url.path, url.query)
        if url.path == "/_local/calls" and env.fake_slack is not None:
            since = int(query.get("since", "0"))
            calls = [{"seq": c.seq, "method": c.method, "params": c.params} for c in env.fake_slack.since(since)]
            return self._json(200, {"last": env.fake_slack.last_seq(), "calls": calls})
        return self._send(404, "not found")

    def _amazon(self, path: str, query: str) -> None:
        """GET /amazon/callback and /amazon/login, as the amazonCallback Lambda gets them (HTTP API v2 event)."""
        from bot.oauth.callback import handler as amazon_callback

        event = http_api_event(b"", dict(self.headers.items()), path)
        event["routeKey"], event["rawQueryString"] = f"GET {path}", query
        event["requestContext"]["http"]["method"] = "GET"
        event["requestContext"]["domainName"] = self.headers.get("Host", "")
        event["headers"].setdefault("x-forwarded-proto", "http")
        try:
            response = amazon_callback(event, LocalContext())
        except Exception:
            log.exception("amazon callback crashed")
            return self._send(500, "internal error")
        self._send(int(response.get("statusCode", 200)), response.get("body") or "", response.get("headers"))

    def do_POST(self) -> None:
        url = urlparse(self.path)
        if url.path != "/slack/events":
            return self._send(404, "not found")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self._send(413, "payload too large")
        body = self.rfile.read(length)
        event = http_api_event(body, dict(self.headers.items()), url.path)
        try:
            response = handler(event, LocalContext())
        except Exception:
            log.exception("handler crashed")
            return self._send(500, "internal error")
        self._send(int(response.get("statusCode", 200)), response.get("body") or "", response.get("headers"))


def make_server(env: LocalEnvironment, host: str = "127.0.0.1", port: int = 3000) -> ThreadingHTTPServer:
    server = LocalServer(env, host, port)
    if env.fake_spapi is not None:
        # The fake Seller Central sends the seller back to this server, on the port it really got.
        callback = f"http://{host}:{server.server_address[1]}/amazon/callback"
        os.environ["SELLERBOT_AMAZON_CALLBACK_URL"] = callback
        env.fake_spapi.seller_central.redirect_uris.append(callback)
        env.fake_spapi.seller_central.login_uri = callback.replace("/callback", "/login")
        if env.fake_attribution is not None:  # Amazon Ads' consent comes back to this port too
            env.fake_attribution.consent.redirect_uris.append(
                callback.replace("/amazon/callback", "/amazon/ads/callback")
            )
    return server
