"""At any log level, no log line carries a Slack request, its signature, its response_url or an app secret
(issue 23, item 8).

At DEBUG, Bolt's Lambda adapter logs every incoming event whole (headers with `x-slack-signature`, the body
with `response_url`), and slack_sdk's webhook client logs the URL and body of every `respond()`: a
`response_url` lets whoever reads the log post as the app for 30 minutes. The whole Lambda handler is driven
here with logging configured at DEBUG as the app does it (bot.logging_setup): a signed slash command whose lazy
listener answers through `respond()`, and every record of every logger, at every level, is checked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from bot.lambda_handler import handler
from bot.local.harness import BotHarness
from bot.local.lambda_emulation import LocalContext, http_api_event
from bot.local.signed_requests import headers_for, slash_body
from bot.logging_setup import JsonFormatter, configure_logging, scrub
from infra.secrets import EnvCredentials
from infra.store.sqlite import SQLiteStore

SIGNING_SECRET = "noise-test-signing-secret"
LWA_SECRET = "amzn1.oa2-cs.v1.noise-test-lwa-client-secret"
REFRESH_TOKEN = "Atzr|IwEBnoise-test-refresh-token"
HOOK = "https://hooks.slack.com/commands/T0DEMO/1234567890/AbCdEfGhIjKlMnOpQrStUvWx"
SIGNATURE = "v0=" + "a1b2c3d4" * 8
COMMAND_TEXT = "acme US"  # what the user typed, only ever in the request body


class Everything(logging.Handler):
    """Every record of every logger, as our handlers would print it (message, extras, exception)."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.levelname} {record.getMessage()} {JsonFormatter().format(record)}")


@pytest.fixture
def debug_logs() -> Iterator[Everything]:
    root = logging.getLogger()
    level = root.level
    configure_logging("DEBUG")
    root.setLevel(logging.DEBUG)  # configure_logging sets the level once per process; this one runs at DEBUG
    capture = Everything()
    root.addHandler(capture)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        root.setLevel(level)


def _leaks(lines: list[str], *values: str) -> list[str]:
    return [f"{value!r} in: {line[:400]}" for line in lines for value in values if value in line]


def test_a_signed_slash_command_and_its_respond_leave_no_request_in_any_log_line(debug_logs: Everything) -> None:
    # Bolt copies the root level into its loggers when the app is built: build it while the root is at DEBUG.
    with BotHarness(signing_secret=SIGNING_SECRET, store=SQLiteStore(":memory:")) as bot:
        response_url = bot.slack.webhook_url()
        body = slash_body(f"/health {COMMAND_TEXT}", response_url=response_url, trigger_id="1700000000.noisetrigger")
        headers = headers_for(body, SIGNING_SECRET)
        response = handler(http_api_event(body, headers), LocalContext())
        assert response["statusCode"] == 200
        bot.wait()
        assert bot.replies(), "the lazy listener did not respond() through the response_url"

    assert any(line.startswith("slack_bolt") or "SlackRequestHandler" in line for line in debug_logs.lines), (
        "Bolt logged nothing at DEBUG: the test is not exercising its logging"
    )
    leaks = _leaks(
        debug_logs.lines,
        headers["x-slack-signature"],
        response_url,
        quote(response_url, safe=""),  # inside the url-encoded body
        body,
        "1700000000.noisetrigger",  # the trigger_id: only in the request body
        SIGNING_SECRET,
    )
    assert not leaks, "a Slack request reached a log line:\n" + "\n".join(leaks[:10])


@pytest.mark.parametrize(
    "line",
    [
        f"Sending a request - url: {HOOK}, body: {{'text': 'hi'}}",  # slack_sdk's dump: withheld whole
        f"Incoming event: {{'body': 'response_url={quote(HOOK, safe='')}&trigger_id=1.2'}}",  # Bolt's: same
        f"respond() to {HOOK} failed: HTTP 404",
        f"lazy event {{'body': 'response_url={quote(HOOK, safe='')}&trigger_id=1.2'}}",
        '{"response_url": "' + HOOK.replace("/", "\\/") + '"}',
        f"headers: {{'x-slack-signature': '{SIGNATURE}', 'x-slack-request-timestamp': '1700000000'}}",
        f"X-Slack-Signature: {SIGNATURE}",
    ],
)
def test_scrubber_redacts_response_urls_and_request_signatures_wherever_they_are(line: str) -> None:
    out = scrub(line)
    for secret in ("AbCdEfGhIjKlMnOpQrStUvWx", "1234567890", "a1b2c3d4a1b2"):
        assert secret not in out, out
    assert "[redacted]" in out or out.endswith("[request withheld from logs]"), out


def test_app_secrets_read_from_the_environment_are_registered_with_the_scrubber(debug_logs: Everything) -> None:
    source = EnvCredentials(
        {
            "SELLERBOT_LWA_APP_ID": "amzn1.application-oa2-client.noise",
            "SELLERBOT_LWA_CLIENT_SECRET": LWA_SECRET,
            "SELLERBOT_REFRESH_TOKEN_ACME": REFRESH_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_BOT_TOKEN": "xoxb-noise-test-bot-token",
        }
    )
    lwa, refresh, slack = source.lwa(), source.refresh_token("acme"), source.slack()
    log = logging.getLogger("sellerbot.test_log_noise")
    # As a library would print them: a token request's form body, an exception's text.
    log.debug("POST https://api.amazon.com/auth/o2/token data=%s", lwa.for_sp_api(refresh))
    log.error("LWA refused client %s: %s", lwa.lwa_app_id, lwa.lwa_client_secret.get_secret_value())
    log.info("slack secrets %s %s", slack.signing_secret.get_secret_value(), slack.bot_token.get_secret_value())
    leaks = _leaks(debug_logs.lines, LWA_SECRET, REFRESH_TOKEN.split("|", 1)[1], SIGNING_SECRET, "noise-test-bot")
    assert not leaks, "an app secret reached a log line:\n" + "\n".join(leaks)
