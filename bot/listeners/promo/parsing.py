"""What `/promo` and its forms accept: the command specs and the parsers the ack path runs.

No I/O here: acks must answer within Slack's 3 s, and the lazy listeners re-parse the
same text, so every parser is pure and cheap.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from typing import Any

from bot.commands import CommandSpec, UsageError, declare
from bot.deps import Deps
from bot.views import kit
from bot.views.promo import MODAL_FIELDS, REASON_BLOCK
from handlers.promo.models import PromoStatus
from handlers.promo.parse import USAGE as INLINE_USAGE
from handlers.promo.parse import parse_inline
from handlers.promo.validation import Issue, marketplace_needed
from infra.accounts import AccountConfig

NEW_FORM = declare(CommandSpec("/promo", "/promo new [--account A]", "Open a form to request a promo code"))
NEW_INLINE = declare(
    CommandSpec(
        "/promo",
        f"/promo new {INLINE_USAGE} [--account A]",
        "Request a promo code in one line; it goes to the approvals channel",
    )
)
LIST = declare(
    CommandSpec(
        "/promo",
        "/promo list [--status S] [--account A]",
        "Promotions you requested (approvers: all), optionally by status",
    )
)
SHOW = declare(CommandSpec("/promo", "/promo show CODE [--account A]", "One promotion with its audit trail"))
CANCEL = declare(
    CommandSpec("/promo", "/promo cancel CODE [reason] [--account A]", "Cancel a promotion (requester or approver)")
)
REPORT = declare(
    CommandSpec(
        "/promo",
        "/promo report CODE [FILE_ID] [--account A]",
        "Summarise Amazon's promo-code sales report uploaded to this channel (CSV/TSV), with a chart",
    )
)
APPROVE = declare(
    CommandSpec(
        "/promo",
        "/promo approve CODE [--account A]",
        "Approve a pending promo code (approvers; same as the card's Approve button)",
    )
)
REJECT = declare(
    CommandSpec(
        "/promo", "/promo reject CODE reason… [--account A]", "Reject a pending promo code with a reason (approvers)"
    )
)
DEALS = declare(
    CommandSpec(
        "/promo",
        "/promo deals [--account A] [--marketplace M] [--report-id ID]",
        "Best Deal / Lightning Deal results from Amazon's promotion performance report (SP-API)",
    )
)
USAGE = "\n".join(s.usage for s in (NEW_FORM, NEW_INLINE, LIST, SHOW, CANCEL, APPROVE, REJECT, REPORT, DEALS))
STATUSES = [s.value for s in PromoStatus]
_ACCOUNT_OPT = re.compile(r"(?:^|\s)--account(?:=|\s+)(\S+)")
_CODE = re.compile(r"^[A-Za-z0-9]{1,40}$")
_FILE_ID = re.compile(r"^F[A-Z0-9]{6,}$")
_MENTION = re.compile(r"<@([A-Z0-9]+)>")


def subcommand(body: dict) -> str:
    words = (body.get("text") or "").split()
    return words[0].lower() if words else ""


def subcommand_is(name: str) -> Callable[[dict], bool]:
    """A routing test for `/promo NAME …` (see bot/listeners/routing.py)."""
    return lambda body: subcommand(body) == name


def is_new_form(body: dict) -> bool:
    """`/promo new` with nothing but `--account`: open the modal."""
    if subcommand(body) != "new":
        return False
    try:
        return not strip_account(_rest(body.get("text") or ""))[1]
    except UsageError:
        return False


def is_new_inline(body: dict) -> bool:
    return subcommand(body) == "new" and not is_new_form(body)


def strip_account(text: str) -> tuple[str | None, str]:
    found = _ACCOUNT_OPT.findall(text)
    if len(found) > 1:
        raise UsageError("--account is given twice; give it once.", USAGE)
    return (found[0] if found else None), _ACCOUNT_OPT.sub(" ", text).strip()


def _rest(text: str) -> str:
    return text.strip().partition(" ")[2].strip()


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
    w = parse_words(_rest(text), ("--status", "--account"))
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
    w = parse_words(_rest(text), ("--account",))
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
    w = parse_words(_rest(text), ("--account", "--marketplace", "--report-id"))
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
    account_id, rest = strip_account(_rest(text))
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
