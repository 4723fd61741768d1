"""A fault-injecting HTTP proxy in front of a DynamoDB endpoint (moto server in tests).

boto3 talks to the proxy exactly as to DynamoDB (`endpoint_url=proxy.base_url`); the proxy answers the
next N matching requests itself with DynamoDB's throttling error, and forwards everything else to the
upstream unchanged. botocore's real retry logic then runs against a real HTTP 400, nothing is patched:

    with DynamoDBFaults(moto_url) as proxy:
        proxy.add("throttle", times=2, operation="PutItem")
        store = DynamoDBStore(table, make_client(endpoint_url=proxy.base_url))

Kinds: "throttle" (ProvisionedThroughputExceededException), "throttling" (ThrottlingException),
"internal" (HTTP 500 InternalServerError).
"""

from __future__ import annotations

import http.client
import json
import threading
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from infra.fakes import bound_url

_PREFIX = "com.amazonaws.dynamodb.v20120810#"
KINDS = {
    "throttle": (
        400,
        "ProvisionedThroughputExceededException",
        "The level of configured provisioned throughput for the table was exceeded. Consider increasing "
        "your provisioning level with the UpdateTable API.",
    ),
    "throttling": (400, "ThrottlingException", "Rate of requests exceeds the allowed throughput."),
    "internal": (500, "InternalServerError", "Internal server error"),
}


@dataclass
class Fault:
    kind: str
    remaining: int
    operation: str | None  # "PutItem", "UpdateItem", ... None = any


class DynamoDBFaults:
    def __init__(self, upstream: str, host: str = "127.0.0.1", port: int = 0) -> None:
        parts = urlsplit(upstream)
        self.upstream_host, self.upstream_port = parts.hostname or "127.0.0.1", parts.port or 80
        self.requests: Counter[str] = Counter()  # operation -> requests received
        self.faulted: Counter[str] = Counter()  # operation -> faults answered
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), type("Handler", (_ProxyHandler,), {"proxy": self}))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return bound_url(self._server)

    def add(self, kind: str = "throttle", times: int = 1, operation: str | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown DynamoDB fault {kind!r}; use one of {', '.join(KINDS)}")
        if times < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._faults.append(Fault(kind, times, operation))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending(self) -> int:
        with self._lock:
            return sum(f.remaining for f in self._faults)

    def _take(self, operation: str) -> str | None:
        with self._lock:
            self.requests[operation] += 1
            for fault in self._faults:
                if fault.operation in (None, operation) and fault.remaining > 0:
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    self.faulted[operation] += 1
                    return fault.kind
        return None

    def start(self) -> DynamoDBFaults:
        self._thread = threading.Thread(target=self._server.serve_forever, name="dynamodb-faults", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> DynamoDBFaults:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _ProxyHandler(BaseHTTPRequestHandler):
    proxy: DynamoDBFaults  # set on the per-proxy subclass
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet; tests read the counters
        pass

    def _reply(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        operation = (self.headers.get("X-Amz-Target") or "").rpartition(".")[2] or "?"
        kind = self.proxy._take(operation)
        if kind is not None:
            self._reply_fault(kind)
        else:
            self._forward(body)

    def _reply_fault(self, kind: str) -> None:
        """DynamoDB's own error answer for the fault `kind`."""
        status, code, message = KINDS[kind]
        payload = json.dumps({"__type": _PREFIX + code, "message": message}).encode()
        self._reply(
            status, payload, [("Content-Type", "application/x-amz-json-1.0"), ("x-amzn-RequestId", "fault-injected")]
        )

    def _forward(self, body: bytes) -> None:
        """The request, unchanged, to the upstream endpoint; its answer, unchanged, to the client."""
        conn = http.client.HTTPConnection(self.proxy.upstream_host, self.proxy.upstream_port, timeout=30)
        try:
            conn.request(
                "POST",
                self.path,
                body=body,
                headers={k: v for k, v in self.headers.items() if k.lower() != "host"},
            )
            upstream = conn.getresponse()
            self._reply(upstream.status, upstream.read(), upstream.getheaders())
        finally:
            conn.close()

    def do_GET(self) -> None:  # health checks
        self._reply(200, b"ok", [("Content-Type", "text/plain")])
