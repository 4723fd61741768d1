"""What `/promo` and its forms accept: the command specs and the parsers the ack path runs.

No I/O here: acks must answer within Slack's 3 s, and the lazy listeners re-parse the
same text, so every parser is pure and cheap.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

from bot.commands import CommandSpec, UsageError
from bot.deps import Deps
from bot.listeners.promo_routes import (  # the specs and routing tests, light enough for cold start
    APPROVE,
    CANCEL,
    DEALS,
    LIST,
    REJECT,
    REPORT,
    SHOW,
    USAGE,
    rest_of,
    strip_account,
)
from bot.views import kit
from bot.views.promo import MODAL_FIELDS, REASON_BLOCK
from handlers.promo.models import PromoStatus
from handlers.promo.parse import parse_inline
from handlers.promo.validation import Issue, marketplace_needed
from infra.accounts import AccountConfig

STATUSES = [s.value for s in PromoStatus]
_CODE = re.compile(r"^[A-Za-z0-9]{1,40}$")
_FILE_ID = re.compile(r"^F[A-Z0-9]{6,}$")
_MENTION = re.compile(r"<@([A-Z0-9]+)>")


def resolve_account(deps: Deps, account_id: str | None, body: dict) -> AccountConfig:
    """The account `--account` names (else this channel's, else the caller's first), once the caller of
    `body` may use it; UsageError otherwise (AccessRefused names who can)."""
    account = deps.access.default_account(body) if account_id is None else deps.access.lookup(body, account_id, USAGE)
    deps.access.require(body, account)
    return account


def scope(deps: Deps, account_id: str | None, body: dict) -> list[AccountConfig]:
    """The accounts a command looks in: the one `--account` names, else every account the caller is on."""
    return [resolve_account(deps, account_id, body)] if account_id else deps.access.accounts_for(body)


def approval_setup_error(account: AccountConfig) -> str | None:
    if not account.approvals_channel:
        return (
            f"Account `{account.account_id}` has no approvals_channel: set one in the accounts file "
            "so promo requests have somewhere to go."
        )
    if not account.approvers:
        return (
            f"Account `{account.account_id}` has no approvers: add Slack user ids to `approvers` in the accounts file."
        )
    return None


class Words:
    def __init__(self, positionals: list[str], options: dict[str, str]) -> None:
        self.positionals, self.options = positionals, options


def parse_words(text: str, allowed: tuple[str, ...]) -> Words:
    try:
        tokens = shlex.split(text)
    except ValueError as exc:
        raise UsageError(f"Cannot read the command ({exc}); close your quotes.", USAGE) from None
    positionals, options, i = [], {}, 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.startswith("--"):
            name, eq, value = tok.partition("=")
            if name not in allowed:
                raise UsageError(f"Unknown option `{name[:30]}` here; allowed: {', '.join(allowed) or 'none'}.", USAGE)
            if not eq:
                if i + 1 >= len(tokens) or tokens[i + 1].startswith("--"):
                    raise UsageError(f"{name} needs a value.", USAGE)
                value = tokens[i + 1]
                i += 1
            options[name] = value
        else:
            positionals.append(tok)
        i += 1
    return Words(positionals, options)


def parse_list_words(text: str) -> Words:
    w = parse_words(rest_of(text), ("--status", "--account"))
    if w.positionals:
        raise UsageError(
            f"`/promo list` takes no arguments besides options (got `{w.positionals[0][:30]}`).", LIST.usage
        )
    status = w.options.get("--status")
    if status is not None and status.lower() not in STATUSES:
        raise UsageError(f"Unknown status `{status[:30]}`; use one of {', '.join(STATUSES)}.", LIST.usage)
    return w


def parse_list(text: str) -> tuple[str | None, PromoStatus | None]:
    return list_options(parse_list_words(text))


def list_options(w: Words) -> tuple[str | None, PromoStatus | None]:
    """(--account, --status) of `/promo list` words that parse_list_words accepted."""
    status = w.options.get("--status")
    return w.options.get("--account"), PromoStatus(status.lower()) if status else None


def parse_code_command(text: str, spec: CommandSpec, *, max_positionals: int) -> Words:
    w = parse_words(rest_of(text), ("--account",))
    if not w.positionals:
        raise UsageError("CODE is missing.", spec.usage)
    if not _CODE.match(w.positionals[0]):
        raise UsageError(f"`{w.positionals[0][:45]}` is not a promo code: letters and digits only.", spec.usage)
    if len(w.positionals) > max_positionals:
        raise UsageError(f"Unexpected `{' '.join(w.positionals[max_positionals:])[:60]}`.", spec.usage)
    return w


def parse_show_command(text: str) -> Words:
    return parse_code_command(text, SHOW, max_positionals=1)


def parse_cancel_command(text: str) -> Words:
    return parse_code_command(text, CANCEL, max_positionals=99)


def parse_approve_command(text: str) -> Words:
    return parse_code_command(text, APPROVE, max_positionals=1)


def parse_reject_command(text: str) -> Words:
    w = parse_code_command(text, REJECT, max_positionals=999)
    if len(w.positionals) < 2:
        raise UsageError("Give a reason after the code, so the requester can fix the request.", REJECT.usage)
    return w


def parse_deals(text: str, deps: Deps, body: dict) -> tuple[AccountConfig, str, str | None]:
    """(account, marketplace code, report id to resume) for `/promo deals`; the caller must be on the account."""
    w = parse_words(rest_of(text), ("--account", "--marketplace", "--report-id"))
    if w.positionals:
        raise UsageError(f"`/promo deals` takes only options (got `{w.positionals[0][:30]}`).", DEALS.usage)
    account = resolve_account(deps, w.options.get("--account"), body)
    code = (w.options.get("--marketplace") or account.marketplaces[0].code).upper()
    if account.marketplace(code) is None:
        have = ", ".join(m.code for m in account.marketplaces)
        raise UsageError(f"Account `{account.account_id}` does not sell in {code[:5]}; use one of {have}.", DEALS.usage)
    report_id = w.options.get("--report-id")
    if report_id is not None and not re.fullmatch(r"[0-9A-Za-z-]{1,64}", report_id):
        raise UsageError(f"`{report_id[:30]}` is not an SP-API report id (digits, as the bot printed it).", DEALS.usage)
    return account, code, report_id


def parse_report_command(text: str) -> Words:
    w = parse_code_command(text, REPORT, max_positionals=2)
    if len(w.positionals) == 2 and not _FILE_ID.match(w.positionals[1]):
        raise UsageError(
            f"`{w.positionals[1][:30]}` is not a Slack file id (like F0123ABCD); "
            "leave it out to use the latest CSV uploaded to this channel.",
            REPORT.usage,
        )
    return w


def parse_new(text: str, deps: Deps, body: dict) -> tuple[AccountConfig, dict[str, Any] | None, list[Issue]]:
    """(account, raw request or None for the modal, syntax errors); only people on the account may request.

    An account that sells in several marketplaces is asked which one (the modal makes the same choice).
    """
    account_id, rest = strip_account(rest_of(text))
    account = resolve_account(deps, account_id, body)
    if not rest:
        return account, None, []
    parsed = parse_inline(rest)
    errors = list(parsed.errors)
    ask = None if any(e.field == "marketplace" for e in errors) else marketplace_needed(parsed.raw, account)
    return account, parsed.raw, [*errors, ask] if ask else errors


def modal_meta(view: dict) -> dict[str, str]:
    """The modal's private_metadata; a tampered or missing one reads as empty."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    return meta if isinstance(meta, dict) else {}


def modal_raw(values: dict[str, Any]) -> dict[str, Any]:
    """view.state.values of the new-promo modal → the raw request `validate` takes."""

    def el(block: str) -> dict[str, Any]:
        return (values.get(block) or {}).get("value") or {}

    def text(block: str) -> str | None:
        v = el(block).get("value")
        return v.strip() if isinstance(v, str) else v

    asins = text("asins")
    option = lambda b: (el(b).get("selected_option") or {}).get("value")
    return {
        "code": text("code"),
        "percent_off": text("percent_off"),
        "asins": [a for a in re.split(r"[\s,;]+", asins) if a] if asins else None,
        "start": el("start").get("selected_date"),
        "end": el("end").get("selected_date"),
        "marketplace": option("marketplace"),
        # Absent where Amazon does not offer sharing (the form leaves it out): validation's default applies.
        "share_with_influencers": option("share_with_influencers"),
        "one_per_customer": bool(el("one_per_customer").get("selected_options")),
        "note": text("note") or "",
    }


def reject_reason(view: dict) -> str:
    """The reason typed into the reject modal ('' when empty)."""
    return ((view.get("state", {}).get("values", {}).get(REASON_BLOCK) or {}).get("value") or {}).get("value") or ""


def plain(message: str) -> str:
    """Modal errors are plain text: mentions would show as raw `<@U…>`."""
    return _MENTION.sub(r"@\1", message)


def modal_errors(errors: list[Issue]) -> dict[str, str]:
    """Field errors keyed by the modal's block ids (fields without an input go to `code`, under their label)."""
    out: dict[str, str] = {}
    for e in errors:
        block = e.field if e.field in MODAL_FIELDS else "code"
        msg = plain(e.message) if block == e.field else f"{e.label}: {plain(e.message)}"
        out[block] = kit.clip(f"{out[block]}; {msg}" if block in out else msg, 1900)
    return out
