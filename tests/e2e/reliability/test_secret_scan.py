"""The run-wide secret scan finds a planted leak; the logging scrubber redacts before anything prints."""

from __future__ import annotations

import io
import logging

from bot import logging_setup
from bot.logging_setup import JsonFormatter, configure_logging, register_secret
from infra.fakes.sp_api.data import DEMO_LWA_CLIENT_SECRET
from tests.support import secret_scan

BUYER = "0a1b2c3d4e5f6a7b@marketplace.amazon.com"


def _planted(*records: logging.LogRecord) -> secret_scan.ScanResult:
    capture = secret_scan.LogCapture()
    for record in records:
        capture.handle(record)
    return capture.scan()


def _raw_record(message: str, name: str = "planted.leak") -> logging.LogRecord:
    # Built directly, bypassing the scrubbing record factory: what an unscrubbed handler would get.
    return logging.LogRecord(name, logging.WARNING, __file__, 1, message, None, None)


def test_scanner_finds_each_kind_of_planted_leak_and_does_not_repeat_it(monkeypatch):
    # Only the suite's known secrets: values other tests' credential reads registered (e.g. "xoxb-123") would
    # also match inside the planted token and count twice.
    monkeypatch.setattr(logging_setup, "_secrets", set())
    result = _planted(
        _raw_record("token xoxb-1234-5678-abcdef sent"),
        _raw_record("refresh Atzr|IwEBIplanted-refresh"),
        _raw_record(f"buyer {BUYER} wrote"),
        _raw_record(f"lwa secret {DEMO_LWA_CLIENT_SECRET} in a form"),
        _raw_record("the signing secret is test-signing-secret"),
        _raw_record("nothing to see here: order 111-0000000-0000001"),
    )
    assert result.records == 6
    kinds = sorted(leak.kind for leak in result.leaks)
    assert kinds == ["LWA token", "buyer e-mail", "configured secret", "configured secret", "slack token"]
    assert all(leak.logger == "planted.leak" for leak in result.leaks)
    report = "\n".join(str(leak) for leak in result.leaks) + result.summary()
    for value in ("xoxb-1234", "IwEBIplanted", BUYER, DEMO_LWA_CLIENT_SECRET, "test-signing-secret"):
        assert value not in report  # the report names the logger, never the value
    assert "5 leaks" in result.summary()


def test_scanner_sees_records_of_any_logger_through_the_root_handler():
    capture = secret_scan.install()
    try:
        logging.getLogger("slack_sdk.web.base_client").warning("plain line")
        logging.getLogger("botocore.retryhandler").warning("another line")
    finally:
        secret_scan.uninstall(capture)
    assert [name for name, _ in capture.entries] == ["slack_sdk.web.base_client", "botocore.retryhandler"]
    assert capture.scan().leaks == []


def test_scrubber_redacts_tokens_emails_and_registered_secrets_at_record_creation():
    configure_logging()
    register_secret("reliability-registered-secret")
    capture = secret_scan.LogCapture()
    stream = io.StringIO()
    printer = logging.StreamHandler(stream)
    printer.setFormatter(JsonFormatter())
    logger = logging.getLogger("reliability.scrub")
    logger.addHandler(capture)
    logger.addHandler(printer)
    try:
        logger.warning(
            "bot token %s, buyer %s, secret %s",
            "xoxb-999-888-zzz",
            BUYER,
            "reliability-registered-secret",
            extra={"refresh": "Atzr|IwEBIextra"},
        )
        try:
            raise RuntimeError(f"failed for {BUYER} with xoxp-1-2-3")
        except RuntimeError:
            logger.exception("call failed")
    finally:
        logger.removeHandler(capture)
        logger.removeHandler(printer)
    printed = stream.getvalue()
    assert "[email redacted]" in printed and "xox?-[redacted]" in printed and "[secret redacted]" in printed
    for value in ("xoxb-999", BUYER, "reliability-registered-secret", "Atzr|IwEBIextra", "xoxp-1-2-3"):
        assert value not in printed
    assert capture.scan().leaks == []
