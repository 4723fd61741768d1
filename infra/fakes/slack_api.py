"""A fake Slack Web API over real HTTP, for tests and `make demo`.

It answers the methods sellerbot calls, keeps posted messages per channel
(so chat.update edits them), receives response_url posts under /webhook/,
accepts file uploads, and can inject 429/5xx faults.
"""
from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


@dataclass
class Call:
    method: str  # "chat.postMessage", "webhook", "upload"
    params: dict[str, Any]
    at: float = field(default_factory=time.time)
    seq: int = 0


@dataclass
class Fault:
    method: str
    kind: str  # "ratelimited" | "status:<code>"
    times: int
    retry_after: int = 1


class FakeSlack:
    def __init__(self, token: str = "xoxb-demo-token", host: str = "127.0.0.1", port: int = 0) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.messages: dict[str, list[dict[str, Any]]] = {}  # channel -> messages
        self.files: dict[str, dict[str, Any]] = {}
        self.file_bytes: dict[str, bytes] = {}  # file id -> content (uploads and seeded files)
        self.views: dict[str, dict[str, Any]] = {}  # view id -> the view as opened/updated
        self.faults: list[Fault] = []
        self._seq = itertools.count(1)
        self._ts = itertools.count(1)
        self._lock = threading.RLock()
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # ---- lifecycle -------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api/"

    @property
    def root_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def webhook_url(self, name: str = "default") -> str:
        return f"{self.root_url}/webhook/{name}"

    def start(self) -> "FakeSlack":
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-slack", daemon=True)  # stop() waits one poll
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "FakeSlack":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- inspection ------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def since(self, seq: int) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.seq > seq]

    def last_seq(self) -> int:
        with self._lock:
            return self.calls[-1].seq if self.calls else 0

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.messages.clear()
            self.faults.clear()

    def add_fault(self, method: str, kind: str, times: int = 1, retry_after: int = 1) -> None:
        with self._lock:
            self.faults.append(Fault(method, kind, times, retry_after))

    def seed_file(self, channel: str, filename: str, content: bytes, *, filetype: str | None = None,
                  user: str = "U0DEMOUSER", created: int | None = None) -> str:
        """Put a file into a channel as if a user had uploaded it; returns its id."""
        with self._lock:
            file_id = f"F{next(self._ts):08d}"
            ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "text"
            self.files[file_id] = self._file_object(file_id, filename, len(content), filetype or ext, user,
                                                    [channel], created)
            self.file_bytes[file_id] = content
            return file_id

    def file_content(self, file_id: str) -> bytes | None:
        with self._lock:
            return self.file_bytes.get(file_id)

    def _file_object(self, file_id: str, name: str, size: int, filetype: str, user: str,
                     channels: list[str], created: int | None = None) -> dict[str, Any]:
        return {
            "id": file_id, "name": name, "title": name, "filetype": filetype, "size": size, "user": user,
            "created": created if created is not None else int(time.time()), "seq": next(self._ts),
            "channels": list(channels),
            "url_private": f"{self.root_url}/files/{file_id}/{name}",
            "url_private_download": f"{self.root_url}/files/{file_id}/download/{name}",
        }

    # ---- behaviour -------------------------------------------------
    def _take_fault(self, method: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.method in (method, "*") and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def _record(self, method: str, params: dict[str, Any]) -> Call:
        with self._lock:
            call = Call(method, params, seq=next(self._seq))
            self.calls.append(call)
            return call

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def api(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "url": "https://demo.slack.com/", "team": "Demo", "user": "sellerbot",
                    "team_id": "T0DEMO", "user_id": "U0SELLERBOT", "bot_id": "B0SELLERBOT"}
        if method in ("chat.postMessage", "chat.postEphemeral"):
            channel = str(params.get("channel", ""))
            if not channel:
                return {"ok": False, "error": "channel_not_found"}
            ts = self._next_ts()
            message = {"ts": ts, "text": params.get("text", ""), "blocks": params.get("blocks"),
                       "thread_ts": params.get("thread_ts"), "user": params.get("user")}
            with self._lock:
                self.messages.setdefault(channel, []).append(message)
            if method == "chat.postEphemeral":
                return {"ok": True, "message_ts": ts}
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "chat.update":
            channel, ts = str(params.get("channel", "")), str(params.get("ts", ""))
            with self._lock:
                for message in self.messages.get(channel, []):
                    if message["ts"] == ts:
                        message.update({"text": params.get("text", ""), "blocks": params.get("blocks")})
                        return {"ok": True, "channel": channel, "ts": ts}
            return {"ok": False, "error": "message_not_found"}
        if method in ("views.open", "views.push", "views.update"):
            view = params.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            view_id = str(params.get("view_id") or "") if method == "views.update" else ""
            with self._lock:
                view_id = view_id or f"V{next(self._ts):08d}"
                stored = {"id": view_id, **(view or {})}
                self.views[view_id] = stored
            return {"ok": True, "view": stored}
        if method == "files.list":
            channel, user = params.get("channel"), params.get("user")
            types = {t for t in str(params.get("types") or "all").split(",") if t and t != "all"}
            with self._lock:
                found = [f for f in self.files.values() if "id" in f
                         and (not channel or channel in f.get("channels", []))
                         and (not user or f.get("user") == user)
                         and (not types or f.get("filetype") in types)]
            found.sort(key=lambda f: (f["created"], f["seq"]), reverse=True)
            count = int(params.get("count") or params.get("limit") or 100)
            return {"ok": True, "files": found[:count],
                    "paging": {"count": count, "total": len(found), "page": 1, "pages": 1}}
        if method == "files.info":
            with self._lock:
                info = self.files.get(str(params.get("file", "")))
            if not info or "id" not in info:
                return {"ok": False, "error": "file_not_found"}
            return {"ok": True, "file": info}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):08d}"
            with self._lock:
                self.files[file_id] = {"filename": params.get("filename"), "length": params.get("length")}
            return {"ok": True, "upload_url": f"{self.root_url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = params.get("files")
            files = json.loads(files) if isinstance(files, str) else files
            channel = params.get("channel_id") or params.get("channels") or ""
            with self._lock:
                for f in files or []:
                    pending = self.files.get(f["id"], {})
                    content = self.file_bytes.get(f["id"], b"")
                    name = str(pending.get("filename") or f.get("title") or f["id"])
                    obj = self._file_object(f["id"], name, len(content), name.rsplit(".", 1)[-1].lower(),
                                            "U0SELLERBOT", [c for c in str(channel).split(",") if c])
                    obj["title"] = f.get("title") or name
                    obj["initial_comment"] = params.get("initial_comment")
                    self.files[f["id"]] = {**pending, **obj}
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", "")} for f in files or []]}
        if method == "users.info":
            user = str(params.get("user", ""))
            return {"ok": True, "user": {"id": user, "name": user.lower(), "tz": "UTC"}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", "U"))[1:]}}
        return {"ok": True}

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _send(self, status: int, body: dict[str, Any] | str, headers: dict[str, str] | None = None) -> None:
                raw = (json.dumps(body) if isinstance(body, dict) else body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(raw)

            def _body(self) -> bytes:
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def _params(self, raw: bytes) -> dict[str, Any]:
                query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
                ctype = self.headers.get("Content-Type", "")
                if "application/json" in ctype and raw:
                    query.update(json.loads(raw))
                elif raw and "multipart" not in ctype:
                    query.update({k: v[0] for k, v in parse_qs(raw.decode()).items()})
                return query

            def do_GET(self) -> None:
                self.do_POST()

            def do_POST(self) -> None:
                path = urlparse(self.path).path
                raw = self._body()
                if path.startswith("/webhook/"):
                    payload = json.loads(raw or b"{}")
                    fake._record("webhook", {"name": path[len("/webhook/"):], **payload})
                    return self._send(200, "ok")
                if path.startswith("/files/"):
                    # url_private / url_private_download: needs the bot token, like Slack.
                    if self.headers.get("Authorization", "") != f"Bearer {fake.token}":
                        fake._record("download", {"path": path, "_fault": "invalid_auth"})
                        return self._send(403, "forbidden")
                    file_id = path[len("/files/"):].split("/", 1)[0]
                    content = fake.file_content(file_id)
                    fake._record("download", {"file_id": file_id, "found": content is not None})
                    if content is None:
                        return self._send(404, "file not found")
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Length", str(len(content)))
                    self.end_headers()
                    self.wfile.write(content)
                    return None
                if path.startswith("/upload/"):
                    file_id = path[len("/upload/"):]
                    with fake._lock:
                        fake.file_bytes[file_id] = raw
                    fake._record("upload", {"file_id": file_id, "bytes": len(raw), "head": raw[:8].hex()})
                    return self._send(200, "OK - " + str(len(raw)))
                if not path.startswith("/api/"):
                    return self._send(404, {"ok": False, "error": "unknown_path"})
                method = path[len("/api/"):]
                params = self._params(raw)
                fault = fake._take_fault(method)
                if fault and fault.kind == "ratelimited":
                    fake._record(method, {**params, "_fault": "ratelimited"})
                    return self._send(429, {"ok": False, "error": "ratelimited"},
                                      {"Retry-After": str(fault.retry_after)})
                if fault and fault.kind.startswith("status:"):
                    fake._record(method, {**params, "_fault": fault.kind})
                    return self._send(int(fault.kind.split(":")[1]), "upstream error")
                auth = self.headers.get("Authorization", "")
                if method != "api.test" and auth != f"Bearer {fake.token}":
                    fake._record(method, {**params, "_fault": "invalid_auth"})
                    return self._send(200, {"ok": False, "error": "invalid_auth"})
                fake._record(method, params)
                return self._send(200, fake.api(method, params))

        return Handler
