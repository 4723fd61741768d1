"""Scan every log record of a test run for secrets and buyer e-mails.

`tests/conftest.py` installs one `LogCapture` on the root logger at session
start (every propagating logger reaches it: sellerbot's, Bolt's, slack-sdk's,
botocore's, httpx's) and calls `scan()` at session finish; a leak fails the run.

What a record "outputs" is what our handlers print: the message and the
exception text (pytest's capture and report), and the JSON line of
`bot.logging_setup.JsonFormatter` (message, extras, exception).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

# Values the suite configures (harness, demo, benches, fake SP-API). Registered
# secrets (bot.logging_setup._secrets) are added at scan time.
KNOWN_SECRETS = (
    "test-signing-secret",
    "demo-signing-secret",
    "bench-signing-secret",
    "xoxb-demo-token",
    "demo-secret",  # the fake LWA client secret (infra/fakes/sp_api/data.py)
    "Atzr|demo-acme",
    "Atzr|demo-globex",
)
PATTERNS = {
    "slack token": re.compile(r"xox[abposr]-[A-Za-z0-9-]{3,}"),
    "LWA token": re.compile(r"Atz[ar]\|[A-Za-z0-9|_\-.]{3,}"),
    "buyer e-mail": re.compile(r"[A-Za-z0-9._%+-]+@marketplace\.amazon\.[A-Za-z.]+"),
}


def known_secrets() -> list[str]:
    values = set(KNOWN_SECRETS)
    try:
        from infra.fakes.sp_api.data import DEMO_LWA_CLIENT_SECRET, DEMO_REFRESH_TOKENS

        values.add(DEMO_LWA_CLIENT_SECRET)
        values.update(DEMO_REFRESH_TOKENS.values())
    except ImportError:  # pragma: no cover - the fake is part of the repo
        pass
    try:
        from bot import logging_setup

        values.update(getattr(logging_setup, "_secrets", ()))
    except ImportError:  # pragma: no cover
        pass
    return sorted(v for v in values if v and len(v) >= 6)


@dataclass
class Leak:
    logger: str
    kind: str
    excerpt: str  # the record text around the leak, with the leak itself replaced

    def __str__(self) -> str:
        return f"{self.kind} in a record of logger {self.logger!r}: {self.excerpt}"


@dataclass
class ScanResult:
    records: int
    leaks: list[Leak] = field(default_factory=list)

    def summary(self) -> str:
        return f"secret scan: {self.records} log records, {len(self.leaks)} leaks"


def record_text(record: logging.LogRecord) -> str:
    """Everything our handlers would print for `record`."""
    from bot.logging_setup import JsonFormatter

    try:
        message = record.getMessage()
    except Exception:
        message = str(record.msg)
    parts = [message, record.exc_text or "", record.stack_info or ""]
    try:
        parts.append(JsonFormatter().format(record))
    except Exception:
        pass
    return "\n".join(parts)


def find_leaks(logger: str, text: str, secrets: Iterable[str]) -> list[Leak]:
    found: list[tuple[str, int, int]] = []
    for secret in secrets:
        start = text.find(secret)
        if start >= 0:
            found.append(("configured secret", start, start + len(secret)))
    for kind, pattern in PATTERNS.items():
        for m in pattern.finditer(text):
            found.append((kind, m.start(), m.end()))
    leaks = []
    for kind, start, end in found:
        excerpt = text[max(0, start - 60) : start] + f"[LEAK:{kind}]" + text[end : end + 60]
        # Never print the leak (or any other secret) while reporting it.
        for other_kind, other_start, other_end in found:
            excerpt = excerpt.replace(text[other_start:other_end], f"[LEAK:{other_kind}]")
        leaks.append(Leak(logger, kind, excerpt.replace("\n", " ")))
    return leaks


class LogCapture(logging.Handler):
    """Root handler keeping what every record outputs, for the scan at the end."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self._lock_ = threading.Lock()
        self.entries: list[tuple[str, str]] = []  # (logger, text)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record_text(record)
        except Exception:
            return
        with self._lock_:
            self.entries.append((record.name, text))

    def scan(self, extra_secrets: Iterable[str] = ()) -> ScanResult:
        secrets = sorted(set(known_secrets()) | set(extra_secrets))
        with self._lock_:
            entries = list(self.entries)
        result = ScanResult(records=len(entries))
        for logger, text in entries:
            result.leaks.extend(find_leaks(logger, text, secrets))
        return result


def install() -> LogCapture:
    capture = LogCapture()
    logging.getLogger().addHandler(capture)
    return capture


def uninstall(capture: LogCapture) -> None:
    logging.getLogger().removeHandler(capture)
