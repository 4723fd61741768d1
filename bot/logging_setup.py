"""Logging that cannot leak: every record is scrubbed of secrets and buyer PII.

Scrubbing happens when a record is created, so it applies to Bolt's,
slack-sdk's and botocore's records too, whatever handler prints them. It is
installed when this module is imported (bot.runtime imports it, so every
entry point, workers included, scrubs), and again by `configure_logging`.

At DEBUG, Bolt's Lambda adapter logs each incoming event whole (the
`x-slack-signature` header, the body with its `response_url`) and slack_sdk
logs each request it sends (a `respond()` posts to the `response_url`, which
lets its reader post as the app for 30 minutes). Those records keep their
first words only. Slack webhook / response URLs and request signatures are
redacted wherever else they turn up, and every secret a credentials source
hands out (LWA client secret, refresh tokens, Slack signing secret and bot
token) is registered with the scrubber as it is read (infra.secrets).

What prints is Powertools' Logger (`configure_logging`): one JSON line per record on stdout, from one handler
on the root logger that every logger propagates to, with the invocation's keys (`lambda_entry`: cold_start,
correlation_id, function name and request id; `bind`: account, marketplace). The handler carries a scrubbing
filter and its formatter scrubs the finished line once more, so extras and appended keys are covered too.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO, TypeVar

from aws_lambda_powertools.logging import Logger
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

from infra import secrets as _app_secrets

_PATTERNS = [
    (re.compile(r"xox[abposr]-[A-Za-z0-9-]+"), "xox?-[redacted]"),
    (re.compile(r"Atz[ar]\|[A-Za-z0-9|_\-.]+"), "Atz?|[redacted]"),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[email redacted]"),
    (re.compile(r"(?i)(client_secret|refresh_token|signing_secret|password)=([^&\s]+)"), r"\1=[redacted]"),
    # A response_url or incoming webhook, plain, url-encoded (in a form body) or JSON-escaped: it posts as the app.
    (re.compile(r"(?i)hooks\.slack\.com(?:/|\\/|%2F)[^\s\"'<>&,;)}\]]*"), "hooks.slack.com/[redacted]"),
    # A request signature, under its header name or on its own (v0= and 64 hex digits).
    (re.compile(r"(?i)(x-slack-signature['\"]?\s*[:=]\s*['\"]?)[^'\"\s,;}]+"), r"\1[redacted]"),
    (re.compile(r"(?i)\bv0=[0-9a-f]{64}\b"), "v0=[redacted]"),
]
# Whole-request dumps: Bolt's Lambda adapter ("Incoming event: {event}"), its Chalice one, its signature check's
# failure line, slack_sdk's webhook and Web API clients ("Sending a request - url: …, body: …, headers: …" and
# "Received the following response - …"). Bolt copies the root level into its loggers when an app is built, so
# a level cannot quiet them: the record keeps its first words and loses the request.
_REQUEST_DUMP = re.compile(
    r"^(Incoming event|Incoming request|Sending a request|Received the following response"
    r"|Invalid request signature detected)\b"
)
# slack_sdk's loggers that print whole requests and responses at DEBUG (they take their level from here).
REQUEST_LOGGERS = ("slack_sdk.webhook", "slack_sdk.web.base_client", "slack_sdk.web.internal_utils")
# A URL query string that carries a signature or a credential (S3/SigV4 presigned report documents,
# SigV2, Azure SAS...): the whole query is replaced, the scheme, host and path stay readable.
_URL_QUERY = re.compile(r"\?([^\s\"'<>]+)")
_SIGNED_QUERY = re.compile(
    r"(?i)(?:^|[&;])(?:x-amz-signature|x-amz-credential|x-amz-security-token|signature|sig|awsaccesskeyid)(?:=|%3D)"
)
# Their INFO lines print every request URL, presigned ones included.
QUIET_LOGGERS = ("httpx", "httpcore", "urllib3", "botocore")
_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str) -> None:
    """Add a value that must never appear in a log line."""
    if value and len(value) >= 6:
        with _lock:
            _secrets.add(value)


def scrub(text: str) -> str:
    dump = _REQUEST_DUMP.match(text)
    if dump:
        return f"{dump.group(1)}: [request withheld from logs]"
    for secret in list(_secrets):
        if secret in text:
            text = text.replace(secret, "[secret redacted]")
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return _URL_QUERY.sub(_redact_signed_query, text)


def _redact_signed_query(match: re.Match[str]) -> str:
    return "?[redacted]" if _SIGNED_QUERY.search(match.group(1)) else match.group(0)


RecordFactory = Callable[..., logging.LogRecord]
F = TypeVar("F", bound=Callable[..., Any])


def _scrubbed_record_factory(base: RecordFactory) -> RecordFactory:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        _scrub_record(record)
        record._sellerbot_scrubbed = True
        return record

    factory._sellerbot = True  # type: ignore[attr-defined]
    return factory


def _scrub_record(record: logging.LogRecord) -> None:
    """The message (arguments merged in) and any traceback, scrubbed in place."""
    try:
        message = record.getMessage()
    except Exception:
        message = str(record.msg)
    record.msg, record.args = scrub(message), None
    if record.exc_info and record.exc_info[0] is not None:
        record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
        record.exc_info = None


_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class ScrubFilter(logging.Filter):
    """On the Powertools handler: scrubs a record that did not come from the scrubbing factory (one built by
    hand, or by a library with its own factory), and every string extra (`extra=`, appended keys)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "_sellerbot_scrubbed", False):
            _scrub_record(record)
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, scrub(value))
        return True


class JsonFormatter(LambdaPowertoolsFormatter):
    """Powertools' JSON line (level, location, message, timestamp, service, the appended keys: correlation_id,
    cold_start, function_*, account, marketplace) plus the logger's name, scrubbed once more as a whole.

    The scrubbing factory moves an exception into `exc_text` (scrubbed) and drops `exc_info`, which
    Powertools would format again from the live exception: the scrubbed text is printed instead."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("logger", "%(name)s")
        super().__init__(**kwargs)

    def _extract_log_keys(self, log_record: logging.LogRecord) -> dict[str, Any]:
        keys = super()._extract_log_keys(log_record)
        keys["logger"] = log_record.name  # not a reserved attribute name, so Powertools would print it as is
        keys.pop("_sellerbot_scrubbed", None)
        return keys

    def _extract_log_exception(self, log_record: logging.LogRecord) -> Any:
        if log_record.exc_info is None and log_record.exc_text:
            return log_record.exc_text, None, None
        return super()._extract_log_exception(log_record)

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


_handlers_installed = False
_logger: Logger | None = None


def install_scrubber() -> None:
    """Scrub every record from now on (idempotent)."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in REQUEST_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
    _app_secrets.on_secret_read(register_secret)
    base = logging.getLogRecordFactory()
    if not getattr(base, "_sellerbot", False):
        logging.setLogRecordFactory(_scrubbed_record_factory(base))


# Keys every line of the current invocation carries, set by `lambda_entry` (cold_start, function name and
# request id, correlation_id) and `set_correlation`, plus this thread's `bind` keys. They are put on a record
# only when one is emitted (InvocationKeys), so an invocation that logs nothing pays one dict assignment, not
# Powertools' per-call key bookkeeping (which cost the warm ack ~10 µs).
_invocation: dict[str, Any] = {}
_bound = threading.local()


class InvocationKeys(logging.Filter):
    """Adds the invocation's and the thread's keys to each record (a record's own `extra=` wins)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for keys in (_invocation, getattr(_bound, "keys", None) or {}):
            for key, value in keys.items():
                if value is not None and key not in record.__dict__:
                    setattr(record, key, value)
        return True


def configure_logging(level: str | None = None, stream: TextIO | None = None) -> Logger:
    """One handler for every logger: Powertools' JSON lines on stdout, on the root logger.

    Bolt's, slack-sdk's, botocore's and our own records all propagate to it, so they share its format,
    its scrubbing filter and the invocation's keys (correlation id, cold start). Powertools' own setup
    would put the handler on the `sellerbot` logger and a filter dropping `sellerbot.*` records on every
    root handler (its guard against printing twice); the handler is moved to the root instead, so a root
    handler added later (the test suite's secret scan) still sees every record. Returns the Powertools
    Logger (its formatter); the invocation's keys come from `lambda_entry`, `set_correlation` and `bind`."""
    # Scrubbing at record creation covers every handler, including ones
    # installed later by Lambda, pytest or a library.
    global _handlers_installed, _logger
    install_scrubber()
    if _handlers_installed and _logger is not None:
        return _logger
    _handlers_installed = True
    level = level or os.environ.get("SELLERBOT_LOG_LEVEL", "INFO")
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.addFilter(InvocationKeys())  # before scrubbing, so the keys are scrubbed too
    handler.addFilter(ScrubFilter())
    formatter = JsonFormatter()
    handler.setFormatter(formatter)
    root = logging.getLogger()
    # Lambda installs its own root handler; replace it so our format and filter apply. Removed before the
    # Logger is built, so Powertools adds its `sellerbot.*`-dropping filter to no handler.
    for existing in list(root.handlers):
        if not type(existing).__module__.startswith("_pytest"):  # pytest's caplog keeps working
            root.removeHandler(existing)
    _logger = Logger(service=_service(), level=level, logger_handler=handler, logger_formatter=formatter)
    logging.getLogger(_logger.name).removeHandler(handler)  # records reach it on the root, once
    root.addHandler(handler)
    root.setLevel(level)
    return _logger


def _service() -> str:
    return os.environ.get("POWERTOOLS_SERVICE_NAME") or "sellerbot"


def powertools_logger() -> Logger:
    return _logger if _logger is not None else configure_logging()


def bind(**keys: Any) -> None:
    """Add keys (account, marketplace, correlation_id...) to this thread's log lines until the next entry."""
    current = getattr(_bound, "keys", None)
    if current is None:
        current = _bound.keys = {}
    current.update({k: v for k, v in keys.items() if v is not None})


def set_correlation(value: str | None) -> None:
    """The invocation's correlation id from here on (Slack's own id once the request is parsed)."""
    if value:
        _invocation["correlation_id"] = value


def slack_request_id(body: dict[str, Any] | None) -> str | None:
    """Slack's own id for a request: the Events API's event_id (the same on Slack's retries), else a digest of
    the trigger_id of a command or an interaction (a lazy run re-sends the request, so it carries the same).
    The trigger_id itself never reaches a log line: for 3 seconds it opens a modal as the user."""
    if not body:
        return None
    if body.get("event_id"):
        return str(body["event_id"])
    trigger = body.get("trigger_id")
    return "t-" + hashlib.sha256(str(trigger).encode()).hexdigest()[:16] if trigger else None


def _default_correlation(event: Any, context: Any) -> str | None:
    if isinstance(event, dict):
        records = event.get("Records")
        if isinstance(records, list) and records and isinstance(records[0], dict) and records[0].get("messageId"):
            return str(records[0]["messageId"])  # an SQS batch: its first message (per record: `bind`)
        request_id = (event.get("requestContext") or {}).get("requestId")
        if request_id:
            return str(request_id)
        if event.get("id"):  # an EventBridge event (schedules)
            return str(event["id"])
    return getattr(context, "aws_request_id", None)


_cold_start = True


def lambda_entry(handler: F) -> F:
    """Decorate a Lambda entry point: each invocation's lines carry cold_start, the function's name and request
    id, and a correlation id (the SQS message id, the API request id, the EventBridge event id), Powertools'
    `inject_lambda_context` keys without its requirement of a full Lambda context (tests pass None)."""

    @functools.wraps(handler)
    def wrapper(event: Any, context: Any, *args: Any, **kwargs: Any) -> Any:
        global _cold_start, _invocation
        cold, _cold_start = _cold_start, False
        _bound.keys = {}
        _invocation = {
            "cold_start": cold,
            "function_name": getattr(context, "function_name", None),
            "function_request_id": getattr(context, "aws_request_id", None),
            "correlation_id": _default_correlation(event, context),
        }
        return handler(event, context, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


# On import: a worker or a script that never calls configure_logging still scrubs what it logs.
install_scrubber()
