from __future__ import annotations

import io
import logging

from bot.logging_setup import JsonFormatter, register_secret, scrub


def test_tokens_emails_and_registered_secrets_are_scrubbed():
    register_secret("super-signing-secret-value")
    text = (
        "token xoxb-123-456-abc refresh Atzr|IwEBIabc-def email jane.doe@example.com "
        "secret super-signing-secret-value form client_secret=abc123&x=1"
    )
    clean = scrub(text)
    for leaked in ("xoxb-123", "Atzr|IwEB", "jane.doe@example.com", "super-signing-secret-value", "abc123"):
        assert leaked not in clean


def test_records_are_scrubbed_whatever_handler_prints_them():
    from bot.logging_setup import configure_logging

    configure_logging()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("test.scrub")
    logger.addHandler(handler)
    try:
        logger.warning("buyer %s wrote", "buyer@example.org", extra={"note": "xoxp-999-secret"})
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert "buyer@example.org" not in out and "xoxp-999" not in out
