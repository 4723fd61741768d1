"""The HTTP side shared by the SP-API fakes: a threaded server on 127.0.0.1 that hands each request
to its owner's `handle(method, path, headers, body) -> Response`, and the record of what a fake
saw off Amazon's model (the tests' autouse fixture drains it and fails on any)."""

from __future__ import annotations

import json
import socket
import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from infra.fakes import bound_url
from infra.fakes.sp_api.contract import Operation, Violation


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, payload: object) -> Response:
    return Response(status, json.dumps(payload).encode())


def error_response(status: int, code: str, message: str, details: str = "") -> Response:
    return json_response(status, {"errors": [{"code": code, "message": message, "details": details}]})


_RUNNING: weakref.WeakSet[LoopbackServer] = weakref.WeakSet()


def drain_contract_violations() -> list[Violation]:
    """Take (and forget) what every running fake saw off Amazon's model; the test fixture fails on any."""
    out: list[Violation] = []
    for fake in list(_RUNNING):
        with fake._lock:
            out.extend(fake.contract_violations)
            fake.contract_violations.clear()
    return out


class LoopbackServer:
    """Start/stop a threaded HTTP server for `self.handle`; `base_url` once started."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, name: str = "fake-http") -> None:
        self.host, self.port, self.name = host, port, name
        # Every way a request received or an answer built differed from Amazon's model.
        self.contract_violations: list[Violation] = []
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    def handle(self, method: str, raw_path: str, headers: Mapping[str, str], body: bytes) -> Response:
        raise NotImplementedError

    def refuse_off_model(
        self, op: Operation, path_params: dict[str, str], query: Mapping[str, list[str]], body: Any
    ) -> Response | None:
        """Amazon's 400 for a request its model refuses, with the model's names for the fields."""
        violations = op.request_violations(path_params, query, body)
        if not violations:
            return None
        with self._lock:
            self.contract_violations.extend(violations)
        names = sorted({v.where.split()[-1] for v in violations})
        return error_response(
            400,
            "InvalidInput",
            f"Missing or invalid request parameters: [{', '.join(names)}]",
            "; ".join(str(v) for v in violations)[:2000],
        )

    def checked_answer(self, op: Operation, response: Response) -> Response:
        """The answer, if Amazon's model allows it; else a loud 500 and a recorded violation."""
        payload: Any = None
        if response.body:
            try:
                payload = json.loads(response.body)
            except ValueError:
                payload = response.body.decode("utf-8", "replace")
        violations = op.response_violations(response.status, payload, strict=True) if payload is not None else []
        if not violations:
            return response
        with self._lock:
            self.contract_violations.extend(violations)
        return error_response(
            500,
            "InternalFailure",
            "fake SP-API bug: answer off Amazon's model: " + "; ".join(str(v) for v in violations)[:2000],
        )

    def start(self) -> str:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = _Server((self.host, self.port), handler)
        self.base_url = bound_url(self._server)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name=self.name, daemon=True
        )
        self._thread.start()
        _RUNNING.add(self)
        return self.base_url

    def stop(self) -> None:
        _RUNNING.discard(self)
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    # Amazon's endpoints accept a burst of connections; the stdlib's listen backlog of 5 resets loopback
    # connections when a worker's threads connect at once, and a transport retry then spends rate budget twice.
    request_queue_size = 128
    daemon_threads = True


class _Handler(BaseHTTPRequestHandler):
    fake: LoopbackServer
    protocol_version = "HTTP/1.1"
    timeout = 60  # reap idle keep-alive connections

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle + delayed ACK add ~40 ms a request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _serve(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            response = self.fake.handle(self.command, self.path, headers, body)
        except Exception as exc:
            response = error_response(500, "InternalFailure", f"fake SP-API bug: {type(exc).__name__}: {exc}")
        try:
            self.send_response(response.status)
            if response.body or response.status != 500:
                self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for key, value in response.headers.items():
                self.send_header(key, value)
            self.end_headers()
            if response.body:
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout fault)
            self.close_connection = True

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _serve

    def log_message(self, format: str, *args: Any) -> None:
        return
