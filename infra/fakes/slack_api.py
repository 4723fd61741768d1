"""A fake Slack Web API over real HTTP, for tests and `make demo`.

It answers the methods sellerbot calls, keeps posted messages per channel
(so chat.update edits them), receives response_url posts under /webhook/,
accepts file uploads, and can inject 429/5xx faults.

It refuses what Slack refuses: blocks and views that break Block Kit's documented
limits get Slack's own error answer (`invalid_blocks` for messages, `invalid_arguments`
for views, HTTP 400 `invalid_blocks` on a response_url), and over-long message text is
truncated with Slack's `message_truncated` warning. Every refusal is kept in
`rejections` so a test can assert that nothing the bot sent was refused.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from infra.fakes import bound_url
from infra.fakes.slack_rate import RATE_LIMITED_METHODS, ChannelRate

# ---- Block Kit limits, as Slack documents them ------------------------------------------------
# Slack answers a payload that breaks one of these with HTTP 200 and
#   {"ok": false, "error": "invalid_blocks", "errors": ["<reason> [json-pointer:/blocks/…]"],
#    "response_metadata": {"messages": ["[ERROR] <reason> [json-pointer:/blocks/…]"]}}
# (chat.postMessage "errors" table: https://api.slack.com/methods/chat.postMessage#errors; the reason strings
# are the ones Slack returns, e.g. "must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
# "no more than 50 items allowed [json-pointer:/blocks]"). views.* list no invalid_blocks error: an invalid
# view is `invalid_arguments` with the same [ERROR] lines under response_metadata.messages
# (https://api.slack.com/methods/views.open#errors).
MESSAGE_MAX_BLOCKS = 50  # https://api.slack.com/reference/block-kit/blocks: "up to 50 blocks in each message"
VIEW_MAX_BLOCKS = 100  # same page: "and 100 blocks in modals or Home tabs"
TEXT_OBJECT_MAX = 3000  # https://api.slack.com/reference/block-kit/composition-objects#text: 1 to 3000 characters
SECTION_TEXT_MAX = 3000  # https://api.slack.com/reference/block-kit/blocks#section: text, 3000 characters
SECTION_FIELDS_MAX = 10  # same: "Maximum number of items is 10"
SECTION_FIELD_TEXT_MAX = 2000  # same: "Maximum length for the text in each item is 2000 characters"
HEADER_TEXT_MAX = 150  # https://api.slack.com/reference/block-kit/blocks#header: text, 150 characters
CONTEXT_ELEMENTS_MAX = 10  # https://api.slack.com/reference/block-kit/blocks#context: "Maximum number of items is 10"
ACTIONS_ELEMENTS_MAX = 25  # https://api.slack.com/reference/block-kit/blocks#actions: "a maximum of 25 elements"
BLOCK_ID_MAX = 255  # every block on the same page: block_id, 255 characters
ACTION_ID_MAX = 255  # https://api.slack.com/reference/block-kit/block-elements#button: action_id, 255 characters
BUTTON_TEXT_MAX = 75  # same: text, 75 characters
BUTTON_VALUE_MAX = 2000  # same: value, 2000 characters
BUTTON_URL_MAX = 3000  # same: url, 3000 characters
PLACEHOLDER_MAX = 150  # https://api.slack.com/reference/block-kit/block-elements: placeholder, 150 characters
OPTION_TEXT_MAX = 75  # https://api.slack.com/reference/block-kit/composition-objects#option: text, 75 characters
OPTION_VALUE_MAX = 150  # same: value, 150 characters
SELECT_OPTIONS_MAX = 100  # https://api.slack.com/reference/block-kit/block-elements#static_select: options, 100
CHOICE_OPTIONS_MAX = 10  # same page, #checkboxes and #radio: options, 10
INPUT_LABEL_MAX = 2000  # https://api.slack.com/reference/block-kit/blocks#input: label and hint, 2000 characters
VIEW_TITLE_MAX = 24  # https://api.slack.com/reference/surfaces/views: title, submit, close, 24 characters
VIEW_PRIVATE_METADATA_MAX = 3000  # same: private_metadata, "Max length of 3000 characters"
VIEW_CALLBACK_ID_MAX = 255  # same: callback_id, 255 characters
# Message `text`: Slack truncates past 40,000 characters and still posts, with a `message_truncated` warning, on
# every way of posting (chat.postMessage, chat.postEphemeral, response URLs, webhooks):
# https://api.slack.com/changelog/2018-04-truncating-really-long-messages. `msg_too_long` is in chat.postMessage's
# error table with no threshold, so the fake does not invent one: it truncates and warns as that page shows.
MESSAGE_TEXT_TRUNCATE_AT = 40_000

_BLOCK_TYPES = {
    "section",
    "header",
    "context",
    "actions",
    "divider",
    "input",
    "image",
    "rich_text",
    "markdown",
    "file",
    "video",
}
_SELECTS = {
    "static_select",
    "multi_static_select",
    "external_select",
    "multi_external_select",
    "users_select",
    "multi_users_select",
    "conversations_select",
    "multi_conversations_select",
    "channels_select",
    "multi_channels_select",
}


class _Check:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, reason: str, pointer: str) -> None:
        self.errors.append(f"{reason} [json-pointer:{pointer}]")

    def length(self, value: Any, limit: int, pointer: str, *, minimum: int = 0) -> None:
        if not isinstance(value, str):
            self.fail("expected string", pointer)
        elif len(value) > limit:
            self.fail(f"must be less than {limit + 1} characters", pointer)
        elif len(value) < minimum:
            self.fail(f"must be more than {minimum - 1} characters", pointer)

    def items(self, value: Any, limit: int, pointer: str, *, minimum: int = 0) -> list[Any]:
        if not isinstance(value, list):
            self.fail("expected array", pointer)
            return []
        if len(value) > limit:
            self.fail(f"no more than {limit} items allowed", pointer)
        elif len(value) < minimum:
            self.fail(f"must provide at least {minimum} items", pointer)
        return value

    def text(self, obj: Any, limit: int, pointer: str, *, plain_only: bool = False) -> None:
        if not isinstance(obj, dict) or obj.get("type") not in (
            ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
        ):
            self.fail("must be a valid text object", pointer)
            return
        self.length(obj.get("text"), min(limit, TEXT_OBJECT_MAX), f"{pointer}/text", minimum=1)

    def option(self, obj: Any, pointer: str) -> None:
        if not isinstance(obj, dict):
            self.fail("must be a valid option object", pointer)
            return
        self.text(obj.get("text"), OPTION_TEXT_MAX, f"{pointer}/text")
        self.length(obj.get("value"), OPTION_VALUE_MAX, f"{pointer}/value", minimum=1)

    def element(self, el: Any, pointer: str) -> None:
        if not isinstance(el, dict) or not isinstance(el.get("type"), str):
            self.fail("must be a valid element", pointer)
            return
        kind = el["type"]
        if "action_id" in el:
            self.length(el["action_id"], ACTION_ID_MAX, f"{pointer}/action_id", minimum=1)
        if "placeholder" in el:
            self.text(el["placeholder"], PLACEHOLDER_MAX, f"{pointer}/placeholder", plain_only=True)
        if kind == "button":
            self.text(el.get("text"), BUTTON_TEXT_MAX, f"{pointer}/text", plain_only=True)
            if "value" in el:
                self.length(el["value"], BUTTON_VALUE_MAX, f"{pointer}/value")
            if "url" in el:
                self.length(el["url"], BUTTON_URL_MAX, f"{pointer}/url")
            if "style" in el and el["style"] not in ("primary", "danger"):
                self.fail("must be one of primary, danger", f"{pointer}/style")
        elif kind in _SELECTS or kind in ("checkboxes", "radio_buttons", "overflow"):
            limit = SELECT_OPTIONS_MAX if kind in _SELECTS else CHOICE_OPTIONS_MAX
            if "options" in el:
                for i, opt in enumerate(self.items(el["options"], limit, f"{pointer}/options", minimum=1)):
                    self.option(opt, f"{pointer}/options/{i}")
            for key in ("initial_option",):
                if key in el:
                    self.option(el[key], f"{pointer}/{key}")
        elif kind in ("mrkdwn", "plain_text"):  # a text object used as a context element
            self.length(el.get("text"), TEXT_OBJECT_MAX, f"{pointer}/text", minimum=1)

    def block(self, block: Any, pointer: str) -> None:
        if not isinstance(block, dict) or block.get("type") not in _BLOCK_TYPES:
            self.fail("failed to match all allowed schemas", pointer)
            return
        kind = block["type"]
        if "block_id" in block:
            self.length(block["block_id"], BLOCK_ID_MAX, f"{pointer}/block_id", minimum=1)
        if kind == "section":
            if "text" not in block and "fields" not in block:
                self.fail("must provide either text or fields", pointer)
            if "text" in block:
                self.text(block["text"], SECTION_TEXT_MAX, f"{pointer}/text")
            if "fields" in block:
                fields = self.items(block["fields"], SECTION_FIELDS_MAX, f"{pointer}/fields", minimum=1)
                for i, field in enumerate(fields):
                    self.text(field, SECTION_FIELD_TEXT_MAX, f"{pointer}/fields/{i}")
            if "accessory" in block:
                self.element(block["accessory"], f"{pointer}/accessory")
        elif kind == "header":
            self.text(block.get("text"), HEADER_TEXT_MAX, f"{pointer}/text", plain_only=True)
        elif kind == "context":
            for i, el in enumerate(
                self.items(block.get("elements"), CONTEXT_ELEMENTS_MAX, f"{pointer}/elements", minimum=1)
            ):
                if isinstance(el, dict) and el.get("type") in ("mrkdwn", "plain_text"):
                    self.length(el.get("text"), TEXT_OBJECT_MAX, f"{pointer}/elements/{i}/text", minimum=1)
                else:
                    self.element(el, f"{pointer}/elements/{i}")
        elif kind == "actions":
            for i, el in enumerate(
                self.items(block.get("elements"), ACTIONS_ELEMENTS_MAX, f"{pointer}/elements", minimum=1)
            ):
                self.element(el, f"{pointer}/elements/{i}")
        elif kind == "input":
            self.text(block.get("label"), INPUT_LABEL_MAX, f"{pointer}/label", plain_only=True)
            if "hint" in block:
                self.text(block["hint"], INPUT_LABEL_MAX, f"{pointer}/hint", plain_only=True)
            self.element(block.get("element"), f"{pointer}/element")

    def blocks(self, blocks: Any, limit: int, pointer: str) -> None:
        for i, block in enumerate(self.items(blocks, limit, pointer)):
            self.block(block, f"{pointer}/{i}")


def _decoded(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def message_errors(params: dict[str, Any]) -> list[str]:
    """Slack's reasons for refusing a message's blocks (chat.*, response_url); [] when it would post."""
    check = _Check()
    if params.get("blocks") is not None:
        check.blocks(_decoded(params["blocks"]), MESSAGE_MAX_BLOCKS, "/blocks")
    return check.errors


def view_errors(view: Any) -> list[str]:
    """Slack's reasons for refusing a view (views.open/push/update/publish); [] when it would show it."""
    check = _Check()
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        check.fail("failed to match all allowed schemas", "/view")
        return check.errors
    if view["type"] == "modal":
        check.text(view.get("title"), VIEW_TITLE_MAX, "/view/title", plain_only=True)
    for key in ("submit", "close"):
        if key in view:
            check.text(view[key], VIEW_TITLE_MAX, f"/view/{key}", plain_only=True)
    if "private_metadata" in view:
        check.length(view["private_metadata"], VIEW_PRIVATE_METADATA_MAX, "/view/private_metadata")
    if "callback_id" in view:
        check.length(view["callback_id"], VIEW_CALLBACK_ID_MAX, "/view/callback_id")
    check.blocks(view.get("blocks"), VIEW_MAX_BLOCKS, "/view/blocks")
    return check.errors


def refusal(error: str, errors: list[str], *, with_errors_list: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "ok": False,
        "error": error,
        "response_metadata": {"messages": [f"[ERROR] {e}" for e in errors]},
    }
    if with_errors_list:
        body["errors"] = errors
    return body


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
        self.usergroups: dict[str, list[str]] = {}  # user group id -> member user ids (usergroups.users.list)
        # The workspace's admins and owners (users.info `is_admin` / `is_owner`).
        self.workspace_admins: set[str] = {"U0ADMIN"}
        self.workspace_owners: set[str] = set()
        self.faults: list[Fault] = []
        # chat.postMessage's per-channel limit (429 + Retry-After); None: not enforced (slack_rate.py)
        self.channel_rate: ChannelRate | None = None
        self.rejections: list[dict[str, Any]] = []  # {"method", "error", "errors"}: what Slack would refuse
        self.truncations: list[dict[str, Any]] = []  # {"method", "length"}: text Slack would truncate
        self._seq = itertools.count(1)
        self._ts = itertools.count(1)
        self._lock = threading.RLock()
        self._server = ThreadingHTTPServer((host, port), type("Handler", (_SlackHandler,), {"fake": self}))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # ---- lifecycle -------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"{self.root_url}/api/"

    @property
    def root_url(self) -> str:
        return bound_url(self._server)

    def webhook_url(self, name: str = "default") -> str:
        return f"{self.root_url}/webhook/{name}"

    def start(self) -> FakeSlack:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-slack", daemon=True
        )  # stop() waits one poll
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSlack:
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

    def add_fault(self, method: str, kind: str, times: int = 1, retry_after: int = 1) -> None:
        with self._lock:
            self.faults.append(Fault(method, kind, times, retry_after))

    def seed_file(
        self,
        channel: str,
        filename: str,
        content: bytes,
        *,
        filetype: str | None = None,
        user: str = "U0DEMOUSER",
        created: int | None = None,
    ) -> str:
        """Put a file into a channel as if a user had uploaded it; returns its id."""
        with self._lock:
            file_id = f"F{next(self._ts):08d}"
            ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "text"
            self.files[file_id] = self._file_object(
                file_id, filename, len(content), filetype or ext, user, [channel], created
            )
            self.file_bytes[file_id] = content
            return file_id

    def file_content(self, file_id: str) -> bytes | None:
        with self._lock:
            return self.file_bytes.get(file_id)

    def _file_object(
        self,
        file_id: str,
        name: str,
        size: int,
        filetype: str,
        user: str,
        channels: list[str],
        created: int | None = None,
    ) -> dict[str, Any]:
        return {
            "id": file_id,
            "name": name,
            "title": name,
            "filetype": filetype,
            "size": size,
            "user": user,
            "created": created if created is not None else int(time.time()),
            "seq": next(self._ts),
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

    def _refuse(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.rejections.append(
                {
                    "method": method,
                    "error": body["error"],
                    "errors": body.get("errors") or body["response_metadata"]["messages"],
                }
            )
        return body

    def _message_text(self, method: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The text Slack keeps, and the warning it adds when it had to truncate."""
        text = str(params.get("text") or "")
        if len(text) <= MESSAGE_TEXT_TRUNCATE_AT:
            return text, {}
        with self._lock:
            self.truncations.append({"method": method, "length": len(text)})
        return text[:MESSAGE_TEXT_TRUNCATE_AT], {
            "warning": "message_truncated",
            "response_metadata": {
                "warnings": ["message_truncated"],
                "messages": [
                    "[WARN] Your message was truncated but still posted. The `text` field accepts up to 40,000 "
                    "characters."
                ],
            },
        }

    def api(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            errors = message_errors(params)
            if errors:
                return self._refuse(method, refusal("invalid_blocks", errors))
            text, warning = self._message_text(method, params)
            params = {**params, "text": text, "blocks": _decoded(params.get("blocks"))}
            answer = self._api(method, params)
            return {**answer, **warning} if answer.get("ok") else answer
        if method in ("views.open", "views.push", "views.update", "views.publish"):
            errors = view_errors(_decoded(params.get("view")))
            if errors:
                return self._refuse(method, refusal("invalid_arguments", errors, with_errors_list=False))
        return self._api(method, params)

    def webhook(self, name: str, payload: dict[str, Any]) -> tuple[int, str]:
        """A response_url post: (HTTP status, body). Like an incoming webhook, Slack answers a refused
        payload with HTTP 400 and the error as plain text
        (https://api.slack.com/messaging/webhooks#handling_errors)."""
        errors = message_errors(payload)
        if errors:
            self._refuse("webhook", {"error": "invalid_blocks", "errors": errors})
            return 400, "invalid_blocks"
        text, _ = self._message_text("webhook", payload)
        if "text" in payload:
            payload = {**payload, "text": text}
        self._record("webhook", {"name": name, **payload})
        return 200, "ok"

    def _api(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Slack's answer to a Web API call that passed the checks; `{"ok": true}` for methods not modelled."""
        answer = self._methods().get(method)
        return answer(method, params) if answer is not None else {"ok": True}

    def _methods(self) -> dict[str, Callable[[str, dict[str, Any]], dict[str, Any]]]:
        return {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post,
            "chat.postEphemeral": self._chat_post,
            "chat.update": self._chat_update,
            "views.open": self._views,
            "views.push": self._views,
            "views.update": self._views,
            "views.publish": self._views,
            "files.list": self._files_list,
            "files.info": self._files_info,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "users.info": self._users_info,
            "conversations.open": self._conversations_open,
            "usergroups.users.list": self._usergroup_users,
        }

    def _auth_test(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://demo.slack.com/",
            "team": "Demo",
            "user": "sellerbot",
            "team_id": "T0DEMO",
            "user_id": "U0SELLERBOT",
            "bot_id": "B0SELLERBOT",
        }

    def _chat_post(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel", ""))
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        ts = self._next_ts()
        message = {
            "ts": ts,
            "text": params.get("text", ""),
            "blocks": params.get("blocks"),
            "thread_ts": params.get("thread_ts"),
            "user": params.get("user"),
        }
        # https://api.slack.com/methods/chat.postMessage#arg_reply_broadcast: a thread reply that is also shown
        # in the channel (Slack gives it the subtype thread_broadcast).
        if params.get("thread_ts") and str(params.get("reply_broadcast")).lower() in ("true", "1"):
            message.update({"reply_broadcast": True, "subtype": "thread_broadcast"})
        with self._lock:
            self.messages.setdefault(channel, []).append(message)
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _chat_update(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(params.get("channel", "")), str(params.get("ts", ""))
        with self._lock:
            for message in self.messages.get(channel, []):
                if message["ts"] == ts:
                    message.update({"text": params.get("text", ""), "blocks": params.get("blocks")})
                    return {"ok": True, "channel": channel, "ts": ts}
        return {"ok": False, "error": "message_not_found"}

    def _views(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        view = _decoded(params.get("view"))
        view_id = str(params.get("view_id") or "") if method == "views.update" else ""
        with self._lock:
            view_id = view_id or f"V{next(self._ts):08d}"
            stored = {"id": view_id, **(view or {})}
            self.views[view_id] = stored
        return {"ok": True, "view": stored}

    def _files_list(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        channel, user = params.get("channel"), params.get("user")
        types = {t for t in str(params.get("types") or "all").split(",") if t and t != "all"}
        with self._lock:
            found = [
                f
                for f in self.files.values()
                if "id" in f
                and (not channel or channel in f.get("channels", []))
                and (not user or f.get("user") == user)
                and (not types or f.get("filetype") in types)
            ]
        found.sort(key=lambda f: (f["created"], f["seq"]), reverse=True)
        count = int(params.get("count") or params.get("limit") or 100)
        return {
            "ok": True,
            "files": found[:count],
            "paging": {"count": count, "total": len(found), "page": 1, "pages": 1},
        }

    def _files_info(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            info = self.files.get(str(params.get("file", "")))
        if not info or "id" not in info:
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "file": info}

    def _files_get_upload_url(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ts):08d}"
        with self._lock:
            self.files[file_id] = {"filename": params.get("filename"), "length": params.get("length")}
        return {"ok": True, "upload_url": f"{self.root_url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        files = params.get("files")
        files = json.loads(files) if isinstance(files, str) else files
        channel = params.get("channel_id") or params.get("channels") or ""
        with self._lock:
            for f in files or []:
                pending = self.files.get(f["id"], {})
                content = self.file_bytes.get(f["id"], b"")
                name = str(pending.get("filename") or f.get("title") or f["id"])
                obj = self._file_object(
                    f["id"],
                    name,
                    len(content),
                    name.rsplit(".", 1)[-1].lower(),
                    "U0SELLERBOT",
                    [c for c in str(channel).split(",") if c],
                )
                obj["title"] = f.get("title") or name
                obj["initial_comment"] = params.get("initial_comment")
                self.files[f["id"]] = {**pending, **obj}
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", "")} for f in files or []]}

    def _users_info(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        user = str(params.get("user", ""))
        # https://api.slack.com/methods/users.info: the user object carries is_admin and is_owner.
        return {
            "ok": True,
            "user": {
                "id": user,
                "name": user.lower(),
                "tz": "UTC",
                "is_admin": user in self.workspace_admins or user in self.workspace_owners,
                "is_owner": user in self.workspace_owners,
            },
        }

    def _usergroup_users(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        # https://api.slack.com/methods/usergroups.users.list: {"ok": true, "users": [...]}, or no_such_subteam.
        group = str(params.get("usergroup", ""))
        if group not in self.usergroups:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(self.usergroups[group])}

    def _conversations_open(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": {"id": "D" + str(params.get("users", "U"))[1:]}}


class _SlackHandler(BaseHTTPRequestHandler):
    fake: FakeSlack  # set on the per-fake subclass
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
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
        query: dict[str, Any] = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
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
            status, answer = self.fake.webhook(path[len("/webhook/") :], json.loads(raw or b"{}"))
            self._send(status, answer)
        elif path.startswith("/files/"):
            self._download(path)
        elif path.startswith("/upload/"):
            self._upload(path[len("/upload/") :], raw)
        elif path.startswith("/api/"):
            self._web_api(path[len("/api/") :], raw)
        else:
            self._send(404, {"ok": False, "error": "unknown_path"})

    def _download(self, path: str) -> None:
        """url_private / url_private_download: needs the bot token, like Slack."""
        fake = self.fake
        if self.headers.get("Authorization", "") != f"Bearer {fake.token}":
            fake._record("download", {"path": path, "_fault": "invalid_auth"})
            self._send(403, "forbidden")
            return
        file_id = path[len("/files/") :].split("/", 1)[0]
        content = fake.file_content(file_id)
        fake._record("download", {"file_id": file_id, "found": content is not None})
        if content is None:
            self._send(404, "file not found")
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def _upload(self, file_id: str, raw: bytes) -> None:
        """The upload URL files.getUploadURLExternal handed out."""
        fake = self.fake
        with fake._lock:
            fake.file_bytes[file_id] = raw
        fake._record("upload", {"file_id": file_id, "bytes": len(raw), "head": raw[:8].hex()})
        self._send(200, "OK - " + str(len(raw)))

    def _web_api(self, method: str, raw: bytes) -> None:
        """A Web API call: injected faults first, then the bot token, then the method's answer."""
        fake = self.fake
        params = self._params(raw)
        fault = fake._take_fault(method)
        if fault and fault.kind == "ratelimited":
            fake._record(method, {**params, "_fault": "ratelimited"})
            self._send(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(fault.retry_after)})
            return
        if fault and fault.kind.startswith("status:"):
            fake._record(method, {**params, "_fault": fault.kind})
            self._send(int(fault.kind.split(":")[1]), "upstream error")
            return
        retry_after = (
            fake.channel_rate.take(str(params.get("channel", "")))
            if (fake.channel_rate is not None and method in RATE_LIMITED_METHODS)
            else None
        )
        if retry_after is not None:
            fake._record(method, {**params, "_fault": "ratelimited"})
            self._send(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)})
            return
        auth = self.headers.get("Authorization", "")
        if method != "api.test" and auth != f"Bearer {fake.token}":
            fake._record(method, {**params, "_fault": "invalid_auth"})
            self._send(200, {"ok": False, "error": "invalid_auth"})
            return
        fake._record(method, params)
        self._send(200, fake.api(method, params))
