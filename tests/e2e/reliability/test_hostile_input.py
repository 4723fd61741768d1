"""Hostile input: every parser sees >= 10,000 generated inputs and fails only with its documented error.

Each parser either returns a value or raises its one specific error type with a
non-empty message that says what is wrong; anything else (a KeyError, an
IndexError, a pydantic ValidationError leaking out, a crash) fails the test.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import strategies as st
from slack_sdk import WebClient

from bot.access import AccountGate
from bot.commands import UsageError
from infra.accounts import load_accounts
from tests.support.fuzzing import (
    INPUTS_PER_PARSER,
    byte_mutations,
    encodings,
    mutate,
    mutations,
    order_ids,
    run_batches,
    words,
)
from tests.support.promo import PROMO_DATA

# An admin's command: the access rule lets it through, so the parsers themselves are what is fuzzed.
ADMIN = {"user_id": "U0DEMOUSER", "channel_id": "C0DEMO"}
DEPS = SimpleNamespace(
    accounts=load_accounts(), access=AccountGate(load_accounts(), WebClient(base_url="http://127.0.0.1:9/"), time.time)
)
REVIEW_WORDS = [
    "sweep",
    "SWEEP",
    "--account",
    "--marketplace",
    "--dry-run",
    "--account=acme",
    "--marketplace=US",
    "--marketplace=",
    "--account=",
    "acme",
    "globex",
    "nobody",
    "US",
    "CA",
    "UK",
    "DE",
    "JP",
    "us",
    "111-0000000-0000001",
    "112-3126988-8917602",
    "12-345",
    "--verbose",
    "=",
    "--=x",
]
MESSAGE_WORDS = [
    *REVIEW_WORDS,
    "confirmOrderDetails",
    "unexpectedProblem",
    "negativeFeedbackRemoval",
    "confirmDeliveryDetails",
    "warranty",
    "invoice",
    "legalDisclosure",
    "Leave",
    "a",
    "5-star",
    "review",
    "and",
    "get",
    "a",
    "free",
    "gift!",
    "http://x.co",
    "call",
    "+1 555 0100",
    "buyer@example.com",
]
PROMO_WORDS = [
    "SUMMERSALE",
    "new",
    "20%",
    "0%",
    "100%",
    "-5%",
    "20",
    "B0ABCDEFGH",
    "B0ABCDEFGH,B0ZZZZZZZ1",
    "B0ABC,",
    ",,",
    "2026-12-01..2026-12-15",
    "2026-12-15..2026-12-01",
    "..",
    "2026-02-30..2026-03-01",
    "--share-influencers",
    "--marketplace",
    "--one-per-customer",
    "--note",
    "yes",
    "no",
    "maybe",
    '"',
    "'",
    '--note="unclosed',
    "--share-influencers=yes",
    "--bogus",
    "US",
    "XX",
]


def _specific(exc: BaseException) -> None:
    message = getattr(exc, "message", None) or getattr(exc, "reason", None) or str(exc)
    assert isinstance(message, str) and message.strip(), f"{type(exc).__name__} without a message"


def _expect(parse, allowed: tuple[type[BaseException], ...], *, check_ok=None, check_err=None):
    def one(value):
        try:
            result = parse(value)
        except allowed as exc:
            _specific(exc)
            if check_err:
                check_err(exc)
        else:
            if check_ok:
                check_ok(result)

    return one


def _usage(exc: UsageError) -> None:
    assert exc.usage and exc.usage.strip()


# ---- slash-command argument parsers -------------------------------------------------------


def test_review_words_parser():
    from handlers.reviews.command_words import parse_words
    from handlers.reviews.errors import TargetError

    text = words(REVIEW_WORDS) | order_ids()
    assert run_batches(text, _expect(parse_words, (TargetError,))) >= INPUTS_PER_PARSER


def test_review_command_parser():
    from bot.listeners.reviews import parse_review

    text = words(REVIEW_WORDS) | order_ids().map(lambda o: o + " --marketplace CA")
    seen = run_batches(text, _expect(lambda t: parse_review(t, DEPS, ADMIN), (UsageError,), check_err=_usage))
    assert seen >= INPUTS_PER_PARSER


def test_message_command_parser():
    from bot.listeners.messages import parse_message

    text = words(MESSAGE_WORDS, max_words=10)
    seen = run_batches(text, _expect(lambda t: parse_message(t, DEPS, ADMIN), (UsageError,), check_err=_usage))
    assert seen >= INPUTS_PER_PARSER


def test_promo_inline_parser_and_validation():
    """`parse_inline` never raises: every problem is an Issue naming its field; `validate` then never raises."""
    from handlers.promo.parse import parse_inline
    from handlers.promo.validation import validate
    from tests.support.promo import NOW

    account = DEPS.accounts.get("acme")

    def one(text: str) -> None:
        parsed = parse_inline(text)
        assert all(e.field and e.message.strip() for e in parsed.errors)
        if parsed.ok:
            result = validate(parsed.raw, account=account, now=NOW)
            assert result.ok == (not result.errors)
            assert all(e.field and e.message.strip() for e in result.errors)

    assert run_batches(words(PROMO_WORDS, max_words=9), one) >= INPUTS_PER_PARSER


# ---- documents: CSV ingest, reports, notifications, payloads ------------------------------


def test_promo_csv_ingest():
    from handlers.promo.report import ReportRejected, parse_report

    samples = [p.read_bytes() for p in sorted(PROMO_DATA.glob("promo_report_*"))]
    header = "Order ID,Purchase Date,Quantity,Item Price,Promotion Discount,Promo Code\n"
    data = st.one_of(
        st.binary(max_size=200),
        st.sampled_from(samples).flatmap(byte_mutations),
        st.text(max_size=120).map(lambda t: (header + t).encode()),
        st.lists(st.text(alphabet=',;\t|"\n0123456789-.ABCx ', max_size=20), max_size=4).map(
            lambda rows: (header + "\n".join(rows)).encode("utf-16" if len(rows) == 3 else "utf-8")
        ),
    )

    def ok(report) -> None:
        assert report.orders >= 1

    seen = run_batches(data, _expect(parse_report, (ReportRejected,), check_ok=ok))
    assert seen >= INPUTS_PER_PARSER


def test_v2_performance_report_parser():
    from handlers.health.report import ReportUnreadable, parse_report
    from tests.support.health import sample_bytes  # Amazon's own example, read from its schema

    sample = sample_bytes().decode()
    data = st.one_of(
        st.binary(max_size=80),
        st.text(max_size=80),
        st.tuples(mutations(), st.just(None)).flatmap(lambda m: encodings(mutate(sample, m[0]))),
    )
    assert run_batches(data, _expect(parse_report, (ReportUnreadable,))) >= INPUTS_PER_PARSER


def test_promotion_performance_report_parser():
    from handlers.promo.performance import PerformanceReportInvalid, parse_performance_report

    sample = (PROMO_DATA / "promotion_performance_report.json").read_text()
    data = st.one_of(
        st.binary(max_size=60),
        mutations().map(lambda m: json.dumps(mutate(sample, m), allow_nan=True)),
    )
    seen = run_batches(data, _expect(parse_performance_report, (PerformanceReportInvalid,)))
    assert seen >= INPUTS_PER_PARSER


def test_notification_parser():
    from handlers.health.notifications import NotificationMalformed, parse_notification
    from tests.support.health import account_status_changed_example, load_schema, notification_schemas

    # Amazon's published examples: every notification schema's, and ACCOUNT_STATUS_CHANGED's.
    samples = [json.dumps(account_status_changed_example())] + [
        json.dumps(example)
        for path in notification_schemas()
        for example in load_schema(f"schemas/notifications/{path.name}").get("examples", [])
    ]
    data = st.one_of(
        st.binary(max_size=40),
        st.text(max_size=40),
        st.tuples(st.sampled_from(samples), mutations()).flatmap(
            lambda sm: encodings(mutate(sm[0], sm[1])).filter(
                lambda e: not isinstance(e, bytes) or e[:2] != b"\x1f\x8b"
            )
        ),
    )
    assert run_batches(data, _expect(parse_notification, (NotificationMalformed,))) >= INPUTS_PER_PARSER


def test_compliance_checker():
    from handlers.compliance.engine import MAX_CHARS, InvalidInput, check

    vocabulary = [
        "review",
        "5-star",
        "5 stars",
        "feedback",
        "free",
        "gift",
        "refund",
        "discount",
        "http://x.co",
        "www.example.com",
        "call",
        "+1 (555) 010-0100",
        "buyer@example.com",
        "@",
        "WhatsApp",
        "Bewertung",
        "kostenlos",
        "avis",
        "111-0000000-0000001",
        "x" * (MAX_CHARS + 1),
        "\u0130",
        "ǅ",
        "ﬀ",
    ]

    def ok(result) -> None:
        assert result.verdict in ("ok", "warning", "violation")
        assert (result.verdict == "ok") == (not result.findings)
        assert all(0 <= f.start <= f.end and f.rule and f.message for f in result.findings)

    text = words(vocabulary, max_words=12, text_size=20)
    assert run_batches(text, _expect(check, (InvalidInput,), check_ok=ok)) >= INPUTS_PER_PARSER


def test_gate_payload_parser():
    """The body parser in front of Bolt: anything Slack (or an attacker with the secret) could post."""
    from urllib.parse import urlencode

    from bot.payloads import MalformedPayload, parse_payload

    keys = st.sampled_from(["command", "text", "user_id", "team_id", "payload", "trigger_id", "api_app_id", "x"])
    interaction = st.fixed_dictionaries(
        {"type": st.sampled_from(["block_actions", "view_submission", "shortcut", "nope", ""])},
        optional={
            "user": st.dictionaries(st.sampled_from(["id", "name"]), st.text(max_size=4), max_size=2),
            "team": st.none() | st.just({"id": "T1"}) | st.just({}),
            "actions": st.lists(st.dictionaries(st.text(max_size=3), st.integers(), max_size=2), max_size=2),
        },
    )
    form = st.one_of(
        st.dictionaries(keys, st.text(max_size=12), max_size=6).map(urlencode),
        interaction.map(lambda d: urlencode({"payload": json.dumps(d)})),
        st.text(max_size=60),
    )
    body = st.tuples(form, st.sampled_from(["application/x-www-form-urlencoded", "application/json", "", "text/x"]))
    seen = run_batches(body, _expect(lambda bc: parse_payload(*bc), (MalformedPayload,)))
    assert seen >= INPUTS_PER_PARSER


# ---- through the whole Lambda handler ----------------------------------------------------------

HANDLER_BATCHES, HANDLER_BATCH = 20, 20  # 400 signed requests per kind; each spawns lazy listeners
SLASH_COMMANDS = ["/sellerbot", "/review", "/message", "/promo", "/health", "/comply", "/nonsense", "/REVIEW"]


def _no_lazy_failures(caplog) -> None:
    failed = [
        r.getMessage() for r in caplog.records if "lazy listener" in r.getMessage() and "failed" in r.getMessage()
    ]
    assert failed == []
    assert not any(r.name == "sellerbot.lambda" and r.levelname == "ERROR" for r in caplog.records)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")
def test_random_slash_commands_get_a_specific_ack(spapi_bot, caplog):
    vocabulary = [w for w in MESSAGE_WORDS if w.lower() != "sweep"] + ["help", "status", "frobnicate"]
    command = st.tuples(st.sampled_from(SLASH_COMMANDS), words(vocabulary, max_words=8))

    def one(cmd_text: tuple[str, str]) -> None:
        cmd, text = cmd_text
        if text.strip().lower().startswith("sweep"):
            return  # a valid sweep is a long-running job, not a parser input
        resp = spapi_bot.slash(f"{cmd} {text}")
        if cmd == "/REVIEW":  # not a Slack command name: refused before Bolt
            assert resp["statusCode"] == 400
            return
        assert resp["statusCode"] == 200, resp
        ack = spapi_bot.ack_json(resp)
        assert ack.get("text", "").strip(), resp

    assert run_batches(command, one, batches=HANDLER_BATCHES, batch=HANDLER_BATCH) == HANDLER_BATCHES * HANDLER_BATCH
    spapi_bot.wait(60)
    _no_lazy_failures(caplog)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")  # retry jitter uses random
def test_random_form_and_json_bodies_never_500(spapi_bot, caplog):
    from urllib.parse import quote_plus, urlencode

    keys = st.sampled_from(
        ["command", "text", "user_id", "team_id", "payload", "trigger_id", "api_app_id", "response_url", "channel_id"]
    )
    actions = st.lists(
        st.fixed_dictionaries(
            {
                "action_id": st.sampled_from(
                    [
                        "reviews_message_send",
                        "reviews_message_cancel",
                        "promo_approve",
                        "promo_reject",
                        "promo_cancel",
                        "promo_mark_created",
                        "health_ack",
                        "health_snooze",
                        "health_assign",
                        "nope",
                        "",
                    ]
                ),
                "value": st.text(max_size=8),
            },
            optional={"action_ts": st.text(max_size=4)},
        ),
        max_size=2,
    )
    interaction = st.fixed_dictionaries(
        {
            "type": st.sampled_from(["block_actions", "view_submission", "shortcut", "message_action", "view_closed"]),
            "user": st.just({"id": "U0FUZZ"}),
            "team": st.just({"id": "T0DEMO"}),
            # Slack always sends response_url for a message button; without it Bolt's respond() cannot answer.
            "response_url": st.just("RESPONSE_URL"),
        },
        optional={
            "actions": actions,
            "trigger_id": st.text(max_size=6),
            "view": st.dictionaries(st.sampled_from(["callback_id", "state", "id"]), st.text(max_size=5), max_size=3),
            "callback_id": st.text(max_size=5),
            "message": st.just({"ts": "1.0", "text": "x"}),
            "channel": st.just({"id": "C1"}),
        },
    )
    event = st.fixed_dictionaries(
        {"type": st.sampled_from(["event_callback", "url_verification", "app_rate_limited", "nope"])},
        optional={
            "event_id": st.text(max_size=6),
            "challenge": st.text(max_size=6),
            "event": st.dictionaries(st.sampled_from(["type", "text", "user"]), st.text(max_size=6), max_size=3),
            "team_id": st.just("T0DEMO"),
        },
    )
    body = st.one_of(
        st.dictionaries(keys, st.text(max_size=12), max_size=7).map(lambda d: (urlencode(d), False)),
        interaction.map(lambda d: (urlencode({"payload": json.dumps(d)}), False)),
        event.map(lambda d: (json.dumps(d), True)),
        st.text(max_size=40).map(lambda t: (t, bool(len(t) % 2))),
    )

    def one(bj: tuple[str, bool]) -> None:
        text, is_json = bj
        text = text.replace("RESPONSE_URL", quote_plus(spapi_bot.slack.webhook_url("fuzz")))
        resp = spapi_bot.send(text, json_body=is_json)
        assert resp["statusCode"] in (200, 400), (text, resp)
        unsigned = spapi_bot.send(text, json_body=is_json, secret="forged-secret")
        assert unsigned["statusCode"] == 401

    assert run_batches(body, one, batches=HANDLER_BATCHES, batch=HANDLER_BATCH) == HANDLER_BATCHES * HANDLER_BATCH
    spapi_bot.wait(60)
    _no_lazy_failures(caplog)


# ---- argument parsers of /promo, /health and /comply (issues 3, 5, 6) ------------------------------


def test_promo_command_parsers():
    """Every /promo subcommand parser: a UsageError with the usage, or a parsed value; nothing else."""
    from bot.listeners import promo as P

    parsers = {
        "new": lambda t: P.parse_new(t, DEPS, ADMIN),
        "list": P.parse_list,
        "approve": lambda t: P.parse_code_command(t, P.APPROVE, max_positionals=1),
        "show": lambda t: P.parse_code_command(t, P.SHOW, max_positionals=1),
        "reject": P.parse_reject_command,
        "deals": lambda t: P.parse_deals(t, DEPS, ADMIN),
        "report": P.parse_report_command,
    }
    extra = [
        "--status",
        "pending_approval",
        "active",
        "--report-id",
        "12345",
        "F0123ABCD",
        "f0",
        "--account",
        "--account=acme",
        "--account=globex",
        "--account=nope",
        "--marketplace=UK",
        "SUMMERSALE",
    ]
    seen = Counter()

    def one(drawn: tuple[str, str]) -> None:
        sub, text = drawn
        for name, parse in parsers.items():
            _expect(parse, (UsageError,), check_err=_usage)(f"{sub} {text}")
            seen[name] += 1

    text = st.tuples(
        st.sampled_from(["new", "list", "approve", "show", "reject", "deals", "report", "", "NEW"]),
        words(PROMO_WORDS + extra, max_words=9),
    )
    run_batches(text, one)
    assert min(seen.values()) >= INPUTS_PER_PARSER, seen


def test_health_command_parser():
    from bot.listeners.health import parse_health

    vocabulary = [
        "check",
        "CHECK",
        "help",
        "--help",
        "-h",
        "acme",
        "ACME",
        "globex",
        "nope",
        "US",
        "ca",
        "UK",
        "DE",
        "FR",
        "JP",
        "ZZ",
        "all",
    ]
    seen = run_batches(
        words(vocabulary, max_words=5),
        _expect(lambda t: parse_health(t, DEPS.accounts, ADMIN, DEPS.access), (UsageError,), check_err=_usage),
    )
    assert seen >= INPUTS_PER_PARSER


def test_comply_command_text():
    """/comply answers in the ack: any text gives a result or a specific error with the usage, never raises."""
    from bot.listeners.compliance import run_check

    vocabulary = [
        "<https://x.co|x.co>",
        "<mailto:a@b.co|a@b.co>",
        "&amp;",
        "&lt;",
        "<@U1>",
        "<!here>",
        "review",
        "5 stars",
        "free gift",
        "refund",
        "x" * 20_001,
        "Bewertung",
        "WhatsApp +1 555 0100",
    ]

    def one(text: str) -> None:
        out = run_check(text)
        assert out["text"].strip() and out.get("response_type") in (None, "ephemeral", "in_channel")

    assert run_batches(words(vocabulary, max_words=10, text_size=20), one) >= INPUTS_PER_PARSER


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")
def test_compliance_shortcut_on_random_messages_answers_each_once(spapi_bot, caplog):
    vocabulary = [
        "<https://x.co|x.co>",
        "<mailto:a@b.co|a@b.co>",
        "&amp;",
        "review",
        "5 stars",
        "free gift",
        "x" * 20_001,
        "Bewertung",
        "WhatsApp +1 555 0100",
        "<@U1>",
    ]
    sent = [0]

    def one(text: str) -> None:
        resp = spapi_bot.shortcut("check_compliance", text)
        assert resp["statusCode"] == 200, resp
        sent[0] += 1

    run_batches(words(vocabulary, max_words=8, text_size=20), one, batches=HANDLER_BATCHES, batch=HANDLER_BATCH // 2)
    spapi_bot.wait(60)
    answers = spapi_bot.slack.calls_to("chat.postEphemeral")
    assert len(answers) == sent[0] and all(str(c.params.get("text", "")).strip() for c in answers)
    _no_lazy_failures(caplog)
