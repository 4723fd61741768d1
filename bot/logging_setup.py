"""Logging that cannot leak: every record is scrubbed of secrets and buyer PII.

Scrubbing happens when a record is created, so it applies to Bolt's,
slack-sdk's and botocore's records too, whatever handler prints them.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO

_PATTERNS = [
    (re.compile(r"xox[abposr]-[A-Za-z0-9-]+"), "xox?-[redacted]"),
    (re.compile(r"Atz[ar]\|[A-Za-z0-9|_\-.]+"), "Atz?|[redacted]"),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[email redacted]"),
    (re.compile(r"(?i)(client_secret|refresh_token|signing_secret|password)=([^&\s]+)"), r"\1=[redacted]"),
]
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
    for secret in list(_secrets):
        if secret in text:
            text = text.replace(secret, "[secret redacted]")
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return _URL_QUERY.sub(_redact_signed_query, text)


def _redact_signed_query(match: re.Match[str]) -> str:
    return "?[redacted]" if _SIGNED_QUERY.search(match.group(1)) else match.group(0)


RecordFactory = Callable[..., logging.LogRecord]


def _scrubbed_record_factory(base: RecordFactory) -> RecordFactory:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        record.msg, record.args = scrub(message), None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return record

    factory._sellerbot = True  # type: ignore[attr-defined]
    return factory


_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"level": record.levelname, "logger": record.name, "message": record.getMessage()}
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_text:
            entry["exception"] = record.exc_text
        return scrub(json.dumps(entry, default=str))


def configure_logging(level: str | None = None, stream: TextIO | None = None) -> None:
    # Scrubbing at record creation covers every handler, including ones
    # installed later by Lambda, pytest or a library.
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    base = logging.getLogRecordFactory()
    if getattr(base, "_sellerbot", False):
        return
    logging.setLogRecordFactory(_scrubbed_record_factory(base))
    root = logging.getLogger()
    # Lambda installs its own root handler; replace it so our filter applies.
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level or os.environ.get("SELLERBOT_LOG_LEVEL", "INFO"))
