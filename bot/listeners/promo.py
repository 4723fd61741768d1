"""`/promo`: social-media promo codes, from request to approval, hand-off and report (issue 5).

Parsing, validation, permissions, the lifecycle and conditional writes live in
`handlers/promo/`; this module reads Slack payloads, calls `handlers.promo.service`
and renders with `bot.listeners.promo_render`. Acks stay cheap (parse, at most one
store read/transaction, or one views.open); Slack calls and reports run in lazy listeners.

Every state change is a compare-and-swap in the store, so a double click, two
approvers at once or a Slack retry decide once; only the caller whose write applied
edits the card and notifies the requester.
"""
from __future__ import annotations

import json
import logging
import re
import shlex
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlparse

from slack_bolt import Ack, App, Respond

from bot import render
from bot.commands import CommandSpec, UsageError, declare
from bot.deps import Deps
from bot.listeners import promo_render as R
from bot.listeners.common import user_facing
from handlers.accounts import AccountConfig
from handlers.promo import service
from handlers.promo.cards import CardRefs
from handlers.promo.gateway import PromotionGateway, SellerCentralHandoff
from handlers.promo.lifecycle import Action, permission_error
from handlers.promo.models import PromoStatus, Promotion
from handlers.promo.parse import USAGE as INLINE_USAGE
from handlers.promo.parse import parse_inline
from handlers.promo.repository import PromoRepository
from handlers.promo.validation import Issue, validate

log = logging.getLogger("sellerbot.promo")

NEW_FORM = declare(CommandSpec("/promo", "/promo new [--account A]", "Open a form to request a promo code"))
NEW_INLINE = declare(CommandSpec("/promo", f"/promo new {INLINE_USAGE} [--account A]",
                                 "Request a promo code in one line; it goes to the approvals channel"))
LIST = declare(CommandSpec("/promo", "/promo list [--status S] [--account A]",
                           "Promotions you requested (approvers: all), optionally by status"))
SHOW = declare(CommandSpec("/promo", "/promo show CODE [--account A]", "One promotion with its audit trail"))
CANCEL = declare(CommandSpec("/promo", "/promo cancel CODE [reason] [--account A]",
                             "Cancel a promotion (requester or approver)"))
REPORT = declare(CommandSpec("/promo", "/promo report CODE [FILE_ID] [--account A]",
                             "Summarise Amazon's promo-code sales report uploaded to this channel (CSV/TSV), with a chart"))
APPROVE = declare(CommandSpec("/promo", "/promo approve CODE [--account A]",
                              "Approve a pending promo code (approvers; same as the card's Approve button)"))
REJECT = declare(CommandSpec("/promo", "/promo reject CODE reason… [--account A]",
                             "Reject a pending promo code with a reason (approvers)"))
DEALS = declare(CommandSpec("/promo", "/promo deals [--account A] [--marketplace M] [--report-id ID]",
                            "Best Deal / Lightning Deal results from Amazon's promotion performance report (SP-API)"))
USAGE = "\n".join(s.usage for s in (NEW_FORM, NEW_INLINE, LIST, SHOW, CANCEL, APPROVE, REJECT, REPORT, DEALS))
PERFORMANCE_REPORT = "GET_PROMOTION_PERFORMANCE_REPORT"
STATUSES = [s.value for s in PromoStatus]
REPORT_EXTENSIONS = (".csv", ".tsv", ".txt")
REPORT_FILETYPES = {"csv", "tsv", "text"}
MAX_REPORT_BYTES = 20 * 1024 * 1024
_ACCOUNT_OPT = re.compile(r"(?:^|\s)--account(?:=|\s+)(\S+)")
_CODE = re.compile(r"^[A-Za-z0-9]{1,40}$")
_FILE_ID = re.compile(r"^F[A-Z0-9]{6,}$")
_MENTION = re.compile(r"<@([A-Z0-9]+)>")


# ---- parsing (ack path: no I/O) -----------------------------------------------------------------
def subcommand(body: dict) -> str:
    words = (body.get("text") or "").split()
    return words[0].lower() if words else ""


def _strip_account(text: str) -> tuple[str | None, str]:
    found = _ACCOUNT_OPT.findall(text)
    if len(found) > 1:
        raise UsageError("--account is given twice; give it once.", USAGE)
    return (found[0] if found else None), _ACCOUNT_OPT.sub(" ", text).strip()


def _rest(text: str) -> str:
    return text.strip().partition(" ")[2].strip()


def resolve_account(deps: Deps, account_id: str | None) -> AccountConfig:
    if account_id is None:
        return deps.accounts.default()
    account = deps.accounts.get(account_id)
    if account is None:
        known = ", ".join(a.account_id for a in deps.accounts.accounts)
        raise UsageError(f"Unknown account `{account_id[:40]}`; configured accounts: {known}.", USAGE)
    return account


def _scope(deps: Deps, account_id: str | None) -> list[AccountConfig]:
    return [resolve_account(deps, account_id)] if account_id else list(deps.accounts.accounts)


def _approval_setup_error(account: AccountConfig) -> str | None:
    if not account.approvals_channel:
        return (f"Account `{account.account_id}` has no approvals_channel: set one in the accounts file "
                "so promo requests have somewhere to go.")
    if not account.approvers:
        return f"Account `{account.account_id}` has no approvers: add Slack user ids to `approvers` in the accounts file."
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


def parse_list(text: str) -> tuple[str | None, PromoStatus | None]:
    w = parse_words(_rest(text), ("--status", "--account"))
    if w.positionals:
        raise UsageError(f"`/promo list` takes no arguments besides options (got `{w.positionals[0][:30]}`).", LIST.usage)
    status = w.options.get("--status")
    if status is not None and status.lower() not in STATUSES:
        raise UsageError(f"Unknown status `{status[:30]}`; use one of {', '.join(STATUSES)}.", LIST.usage)
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


def parse_reject_command(text: str) -> Words:
    w = parse_code_command(text, REJECT, max_positionals=999)
    if len(w.positionals) < 2:
        raise UsageError("Give a reason after the code, so the requester can fix the request.", REJECT.usage)
    return w


def parse_deals(text: str, deps: Deps) -> tuple[AccountConfig, str, str | None]:
    """(account, marketplace code, report id to resume) for `/promo deals`."""
    w = parse_words(_rest(text), ("--account", "--marketplace", "--report-id"))
    if w.positionals:
        raise UsageError(f"`/promo deals` takes only options (got `{w.positionals[0][:30]}`).", DEALS.usage)
    account = resolve_account(deps, w.options.get("--account"))
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
        raise UsageError(f"`{w.positionals[1][:30]}` is not a Slack file id (like F0123ABCD); "
                         "leave it out to use the latest CSV uploaded to this channel.", REPORT.usage)
    return w


def parse_new(text: str, deps: Deps) -> tuple[AccountConfig, dict[str, Any] | None, list[Issue]]:
    """(account, raw request or None for the modal, syntax errors)."""
    account_id, rest = _strip_account(_rest(text))
    account = resolve_account(deps, account_id)
    if not rest:
        return account, None, []
    parsed = parse_inline(rest)
    return account, parsed.raw, parsed.errors


def modal_raw(values: dict[str, Any]) -> dict[str, Any]:
    """view.state.values of the new-promo modal → the raw request `validate` takes."""
    def el(block: str) -> dict[str, Any]:
        return (values.get(block) or {}).get("value") or {}

    def text(block: str) -> str | None:
        v = el(block).get("value")
        return v.strip() if isinstance(v, str) else v

    asins = text("asins")
    option = lambda b: (el(b).get("selected_option") or {}).get("value")  # noqa: E731
    return {
        "code": text("code"),
        "percent_off": text("percent_off"),
        "asins": [a for a in re.split(r"[\s,;]+", asins) if a] if asins else None,
        "start": el("start").get("selected_date"),
        "end": el("end").get("selected_date"),
        "marketplace": option("marketplace"),
        "share_with_influencers": option("share_with_influencers") or "yes",
        "one_per_customer": bool(el("one_per_customer").get("selected_options")),
        "note": text("note") or "",
    }


def _plain(message: str) -> str:
    return _MENTION.sub(r"@\1", message)


def modal_errors(errors: list[Issue]) -> dict[str, str]:
    """Field errors keyed by the modal's block ids (fields without an input go to `code`)."""
    out: dict[str, str] = {}
    for e in errors:
        block = e.field if e.field in R.MODAL_FIELDS else "code"
        msg = _plain(e.message) if block == e.field else f"{e.field}: {_plain(e.message)}"
        out[block] = render.clip(f"{out[block]}; {msg}" if block in out else msg, 1900)
    return out


# ---- helpers around the domain (lazy path) ------------------------------------------------------
class Promos:
    """The promo services bound to this process's store, Slack client and clock."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.repo = PromoRepository(deps.store, clock=self.now)
        self.cards = CardRefs(deps.store)
        self.gateway: PromotionGateway = getattr(deps, "promo_gateway", None) or SellerCentralHandoff()

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.deps.clock(), timezone.utc)

    def account(self, account_id: str) -> AccountConfig | None:
        return self.deps.accounts.get(account_id)

    def from_value(self, value: str) -> tuple[AccountConfig | None, str]:
        account_id, _, promo_id = value.partition(":")
        return self.account(account_id), promo_id

    def post_card(self, account: AccountConfig, promo: Promotion, warnings: list[Issue] = ()) -> str | None:
        """Post the request card once per promotion (claimed in the store); returns its ts."""
        channel = account.approvals_channel
        if not self.cards.claim(account.account_id, promo.id, channel):
            ref = self.cards.get(account.account_id, promo.id)
            return ref.ts if ref else None
        try:
            msg = R.card_message(service.card(promo, account, warnings=list(warnings)))
            ts = self.deps.slack.chat_postMessage(channel=channel, **msg)["ts"]
        except Exception:
            self.cards.release(account.account_id, promo.id)
            raise
        self.cards.posted(account.account_id, promo.id, channel, ts)
        return ts

    def update_card(self, account: AccountConfig, promo: Promotion, note: str | None = None) -> None:
        h = promo.handoff
        if note is None and h is not None:
            note = (f":white_check_mark: Created in Seller Central, confirmed by <@{h.confirmed_by}> at "
                    f"{h.confirmed_at:%Y-%m-%d %H:%M} UTC" if h.created_confirmed and h.confirmed_at else
                    f":outbox_tray: Handed off to Seller Central by <@{h.handed_off_by}>: waiting for 'Mark as created'")
        ref = self.cards.get(account.account_id, promo.id)
        if ref is None or ref.ts is None:
            return
        try:
            self.deps.slack.chat_update(channel=ref.channel, ts=ref.ts,
                                        **R.card_message(service.card(promo, account), note=note))
        except Exception as exc:  # noqa: BLE001 - the state change stands; the card is cosmetic
            log.warning("promo card update failed: %s", type(exc).__name__)

    def notify(self, account: AccountConfig, promo: Promotion, kind: str, text: str,
               blocks: list[dict] | None = None) -> bool:
        """DM the requester once per (promotion, kind)."""
        if not self.cards.claim_notice(account.account_id, promo.id, kind):
            return False
        try:
            self.deps.slack.chat_postMessage(channel=promo.requester, text=render.clip(text),
                                             blocks=blocks or [render.section(text)])
        except Exception as exc:  # noqa: BLE001 - the state change stands
            log.warning("promo notification failed: %s", type(exc).__name__)
        return True

    def post_handoff(self, account: AccountConfig, promo: Promotion, handoff: Any, approver: str) -> None:
        msg = R.handoff_message(handoff, promo)
        ref = self.cards.get(account.account_id, promo.id)
        if ref and ref.ts:
            try:
                self.deps.slack.chat_postMessage(channel=ref.channel, thread_ts=ref.ts, **msg)
            except Exception as exc:  # noqa: BLE001 - the requester's DM below carries the same steps
                log.warning("promo hand-off thread post failed: %s", type(exc).__name__)
        intro = f":white_check_mark: Your promo code *{promo.code}* was approved by <@{approver}>. Create it in Seller Central now:"
        self.notify(account, promo, "approved", intro + "\n" + msg["text"], [render.section(intro), *msg["blocks"]])

    def find(self, accounts: list[AccountConfig], code: str) -> list[tuple[AccountConfig, Promotion]]:
        found = []
        for account in accounts:
            promo = self.repo.get_by_code(account.account_id, code, with_history=False)
            if promo is not None:
                found.append((account, promo))
        return found


def _ephemeral(respond: Respond, payload: dict[str, Any]) -> None:
    respond(**payload, replace_original=False)


def _one(promos: Promos, deps: Deps, user: str, code: str, account_id: str | None,
         spec: CommandSpec) -> tuple[AccountConfig, Promotion]:
    """The promotion with this code that `user` may see, or UsageError saying why not."""
    found = [(a, p) for a, p in promos.find(_scope(deps, account_id), code) if service.can_view(a, user, p)]
    if not found:
        where = f"account `{account_id}`" if account_id else "any account"
        raise UsageError(f"No promotion with code {code.upper()} that you can see in {where} "
                         "(you see your own requests; approvers see all of their accounts).", spec.usage)
    if len(found) > 1:
        ids = ", ".join(a.account_id for a, _ in found)
        raise UsageError(f"Code {code.upper()} exists in several accounts ({ids}); add --account.", spec.usage)
    return found[0]


# ---- report file ----------------------------------------------------------------------------------
class ReportFileError(Exception):
    pass


def _is_report_file(f: dict[str, Any]) -> bool:
    name = str(f.get("name") or "").lower()
    return f.get("filetype") in REPORT_FILETYPES or name.endswith(REPORT_EXTENSIONS)


def pick_report_file(deps: Deps, channel: str, file_id: str | None) -> dict[str, Any]:
    if file_id:
        try:
            info = deps.slack.files_info(file=file_id)["file"]
        except Exception as exc:  # noqa: BLE001 - SlackApiError names the reason
            err = getattr(getattr(exc, "response", None), "data", {}) or {}
            raise ReportFileError(f"Slack cannot find file {file_id} ({err.get('error', type(exc).__name__)}); "
                                  "check the id or upload the report again.") from None
        shared_in = {*info.get("channels", []), *info.get("groups", []), *info.get("ims", [])}
        if channel not in shared_in:
            raise ReportFileError(f"File {file_id} is not shared in this channel; share it here first "
                                  "(sellerbot only reads reports from the channel you run the command in).")
        if not _is_report_file(info):
            raise ReportFileError(f"File {file_id} (`{info.get('name')}`, {info.get('filetype')}) is not a CSV/TSV "
                                  "report; upload the .csv/.tsv Seller Central gives you.")
        return info
    files = deps.slack.files_list(channel=channel, count=50).get("files") or []
    candidates = [f for f in files if _is_report_file(f)]
    if not candidates:
        raise ReportFileError("No CSV/TSV file in this channel. Download the report in Seller Central "
                              "(Advertising → Promotions → Manage Promotions → Download report), upload it here, "
                              "then run `/promo report CODE` again (or give its FILE_ID).")
    return max(candidates, key=lambda f: (f.get("created") or 0, f.get("timestamp") or 0))


def download_file(deps: Deps, info: dict[str, Any]) -> bytes:
    import httpx

    name = info.get("name") or info.get("id")
    size = int(info.get("size") or 0)
    if size > MAX_REPORT_BYTES:
        raise ReportFileError(f"`{name}` is {size / 1e6:.1f} MB; the limit is {MAX_REPORT_BYTES // 2**20} MB. "
                              "Download the report for a shorter date range.")
    url = info.get("url_private_download") or info.get("url_private")
    if not url:
        raise ReportFileError(f"Slack gives no download link for `{name}`; upload it again as a file (not a snippet).")
    host = urlparse(url).hostname or ""
    api_host = urlparse(deps.settings.slack_api_url).hostname or ""
    if not (host == api_host or host == "slack.com" or host.endswith(".slack.com")):
        raise ReportFileError(f"`{name}` is hosted outside Slack ({host}); sellerbot only downloads Slack files.")
    token = deps.settings.slack_bot_token.get_secret_value()
    try:
        resp = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=20.0, follow_redirects=True)
    except httpx.HTTPError as exc:
        raise ReportFileError(f"Could not download `{name}` ({type(exc).__name__}); try again.") from None
    if resp.status_code != 200:
        raise ReportFileError(f"Could not download `{name}` (HTTP {resp.status_code}); the bot needs the files:read "
                              "scope and access to this channel.")
    if resp.headers.get("content-type", "").startswith("text/html"):
        raise ReportFileError(f"Slack returned a login page instead of `{name}`; the bot token lacks files:read.")
    if len(resp.content) > MAX_REPORT_BYTES:
        raise ReportFileError(f"`{name}` is larger than {MAX_REPORT_BYTES // 2**20} MB.")
    return resp.content


# ---- registration ---------------------------------------------------------------------------------
def register(app: App, deps: Deps) -> None:  # noqa: C901 - one closure per Slack entry point
    promos = Promos(deps)

    def is_new_form(body: dict) -> bool:
        if subcommand(body) != "new":
            return False
        try:
            return not _strip_account(_rest(body.get("text") or ""))[1]
        except UsageError:
            return False

    def is_new_inline(body: dict) -> bool:
        return subcommand(body) == "new" and not is_new_form(body)

    # -- /promo new (form) --------------------------------------------------------------------------
    def ack_new_form(ack: Ack, command: dict, client: Any) -> None:
        try:
            account, _, _ = parse_new(command.get("text", ""), deps)
        except UsageError as exc:
            ack(**render.error(exc.message, exc.usage))
            return
        problem = _approval_setup_error(account)
        if problem:
            ack(**render.error(problem))
            return
        meta = {"account": account.account_id, "channel": command.get("channel_id", "")}
        try:
            client.views_open(trigger_id=command.get("trigger_id", ""),
                              view=R.new_promo_modal(account, meta, today=promos.now().date()))
        except Exception as exc:  # noqa: BLE001 - an expired trigger_id is the usual cause
            err = getattr(getattr(exc, "response", None), "data", {}) or {}
            ack(**render.error(f"Could not open the form ({err.get('error', type(exc).__name__)}). "
                               f"Try again, or use the one-line form:", NEW_INLINE.usage))
            return
        ack()

    # -- /promo new CODE ... (inline) ---------------------------------------------------------------
    def ack_new_inline(ack: Ack, command: dict) -> None:
        try:
            account, raw, errors = parse_new(command.get("text", ""), deps)
        except UsageError as exc:
            ack(**render.error(exc.message, exc.usage))
            return
        problem = _approval_setup_error(account)
        if problem:
            ack(**render.error(problem))
            return
        if errors:
            ack(**R.invalid_request(errors, [], NEW_INLINE.usage))
            return
        # Validate and store in the ack (one query + one transaction): a double submit or a lost race
        # for the code is answered right here, and the lazy part only has to announce what is stored.
        out = service.request_promo(promos.repo, account, raw, command.get("user_id", "?"), now=promos.now())
        if not out.ok:
            ack(**R.invalid_request(out.validation.errors, out.validation.warnings, NEW_INLINE.usage))
            return
        ack(**render.message(f"Submitting {out.promotion.code} for approval in <#{account.approvals_channel}>…"))

    def stored_request(account: AccountConfig | None, code: str | None, user: str) -> Promotion | None:
        """The promotion this user's request stored in the ack and nobody announced yet, else None."""
        if account is None or not code:
            return None
        promo = promos.repo.get_by_code(account.account_id, code, with_history=False)
        if promo is None or promo.requester != user or promo.status is not PromoStatus.PENDING_APPROVAL:
            return None  # the ack refused this request (and said why)
        if promos.cards.get(account.account_id, promo.id) is not None:
            return None  # an earlier request for this code already has its card
        return promo

    def warnings_for(account: AccountConfig, promo: Promotion) -> list[Issue]:
        others = [p for p in promos.repo.list(account.account_id) if p.id != promo.id]
        return validate(promo.draft(), account=account, existing=others, now=promo.created_at).warnings

    @user_facing
    def run_new_inline(respond: Respond, command: dict) -> None:
        try:
            account, raw, errors = parse_new(command.get("text", ""), deps)
        except UsageError:
            return  # the ack showed it; Bolt runs lazy listeners regardless
        if errors or raw is None:
            return
        promo = stored_request(account, str(raw.get("code") or ""), command.get("user_id", "?"))
        if promo is None:
            return
        warnings = warnings_for(account, promo)
        if post_card_or_explain(account, promo, warnings, lambda payload: respond(**payload)):
            respond(**R.submitted(promo, account.approvals_channel, warnings, account.approvers))

    def post_card_or_explain(account: AccountConfig, promo: Promotion, warnings: list[Issue], say) -> bool:
        """Post the approval card; if Slack refuses, say so (the request is stored; `/promo show` re-posts)."""
        try:
            promos.post_card(account, promo, warnings)
            return True
        except Exception as exc:  # noqa: BLE001 - SlackApiError names the reason
            err = getattr(getattr(exc, "response", None), "data", {}) or {}
            reason = err.get("error") if isinstance(err, dict) else None
            log.warning("promo card post failed: %s", reason or type(exc).__name__)
            say(render.error(f"{promo.code} is stored and pending approval, but its card could not be posted to "
                             f"<#{account.approvals_channel}> ({reason or type(exc).__name__}). Invite sellerbot to "
                             f"that channel, then run `/promo show {promo.code}` to post it."))
            return False

    # -- modal submission ---------------------------------------------------------------------------
    def _meta(view: dict) -> dict[str, str]:
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            meta = {}
        return meta if isinstance(meta, dict) else {}

    def ack_new_submission(ack: Ack, body: dict, view: dict) -> None:
        meta = _meta(view)
        account = promos.account(str(meta.get("account", "")))
        if account is None:
            ack(response_action="errors", errors={"code": "This form belongs to an account that is no longer "
                                                          "configured; close it and run /promo new again."})
            return
        raw = modal_raw(view.get("state", {}).get("values", {}))
        out = service.request_promo(promos.repo, account, raw, body["user"]["id"], now=promos.now())
        if not out.ok:
            ack(response_action="errors", errors=modal_errors(out.validation.errors))
            return
        ack()

    @user_facing
    def run_new_submission(body: dict, view: dict) -> None:
        user = body["user"]["id"]
        account = promos.account(str(_meta(view).get("account", "")))
        promo = stored_request(account, modal_raw(view.get("state", {}).get("values", {})).get("code"), user)
        if promo is None:
            return  # the ack refused this submission (field errors were shown in the modal)
        warnings = warnings_for(account, promo)
        dm = lambda payload: deps.slack.chat_postMessage(channel=user, text=payload["text"],  # noqa: E731
                                                         blocks=payload.get("blocks"))
        if post_card_or_explain(account, promo, warnings, dm):
            dm(R.submitted(promo, account.approvals_channel, warnings, account.approvers))

    # -- approve / reject ---------------------------------------------------------------------------
    def ack_button(ack: Ack) -> None:
        ack()

    def _click(body: dict) -> tuple[str, str]:
        return (body.get("actions") or [{}])[0].get("value", ""), (body.get("user") or {}).get("id", "?")

    def approve(account: AccountConfig, promo_id: str, user: str, say) -> None:
        """Approve, hand off through the gateway, edit the card, tell the requester; `say` answers the clicker."""
        t = promos.repo.approve(account, promo_id, user)
        if t.outcome == "already_decided":
            say(render.message(f":information_source: {t.promotion.code} was {t.message}; nothing changed."))
            return
        if not t.applied:
            log.warning("refused: approval of %s by %s (%s)", t.promotion.code if t.promotion else promo_id, user,
                        t.outcome)
            say(render.error(f"Not approved: {t.message}."))
            return
        h = service.hand_off(promos.repo, promos.gateway, account, promo_id, user)
        promo = h.transition.promotion or t.promotion
        promos.update_card(account, promo)
        if h.handoff is not None:
            promos.post_handoff(account, promo, h.handoff, user)
        say(render.message(f"You approved {promo.code}. The Seller Central steps are in the card's "
                           f"thread and were sent to <@{promo.requester}>."))

    def after_reject(account: AccountConfig, promo: Promotion) -> None:
        if not promos.cards.claim_notice(account.account_id, promo.id, "rejected-card"):
            return  # a retried submission: the card and the requester were already told
        promos.update_card(account, promo)
        promos.notify(account, promo, "rejected",
                      f":no_entry: Your promo code *{promo.code}* was rejected by <@{promo.approver}>: "
                      f"{render.escape(promo.reason or '')}\nFix it and request a new code with `/promo new`.")

    @user_facing
    def run_approve(respond: Respond, body: dict) -> None:
        value, user = _click(body)
        account, promo_id = promos.from_value(value)
        if account is None:
            _ephemeral(respond, render.error("This button belongs to an account that is no longer configured."))
            return
        approve(account, promo_id, user, lambda payload: _ephemeral(respond, payload))

    @user_facing
    def run_approve_command(respond: Respond, command: dict) -> None:
        try:
            w = parse_code_command(command.get("text", ""), APPROVE, max_positionals=1)
        except UsageError:
            return
        user = command.get("user_id", "?")
        account, promo = _one(promos, deps, user, w.positionals[0], w.options.get("--account"), APPROVE)
        approve(account, promo.id, user, lambda payload: respond(**payload))

    @user_facing
    def run_reject_command(respond: Respond, command: dict) -> None:
        try:
            w = parse_reject_command(command.get("text", ""))
        except UsageError:
            return
        user = command.get("user_id", "?")
        account, promo = _one(promos, deps, user, w.positionals[0], w.options.get("--account"), REJECT)
        t = promos.repo.reject(account, promo.id, user, " ".join(w.positionals[1:]))
        if t.outcome == "already_decided":
            respond(**render.message(f":information_source: {t.promotion.code} was {t.message}; nothing changed."))
        elif not t.applied or t.promotion is None:
            respond(**render.error(f"Not rejected: {t.message}."))
        else:
            after_reject(account, t.promotion)
            respond(**render.message(f"You rejected {promo.code}; <@{promo.requester}> was told why."))

    def ack_reject(ack: Ack, body: dict, client: Any, respond: Respond) -> None:
        value, user = _click(body)
        account, promo_id = promos.from_value(value)
        promo = promos.repo.get(account.account_id, promo_id) if account else None
        if promo is None:
            ack()
            _ephemeral(respond, render.error("This promotion no longer exists."))
            return
        if promo.status is not PromoStatus.PENDING_APPROVAL:
            who = f" by <@{promo.approver}>" if promo.approver else ""
            ack()
            _ephemeral(respond, render.message(f":information_source: {promo.code} is already "
                                               f"{promo.status.value}{who}; nothing to reject."))
            return
        why = permission_error(Action.REJECT, promo, user, account)
        if why:
            log.warning("refused: rejection of %s by %s (forbidden)", promo.code, user)
            ack()
            _ephemeral(respond, render.error(f"You cannot reject {promo.code}: {why}."))
            return
        meta = {"account": account.account_id, "promo": promo.id}
        try:
            client.views_open(trigger_id=body.get("trigger_id", ""), view=R.reject_modal(promo, meta))
        except Exception as exc:  # noqa: BLE001
            ack()
            _ephemeral(respond, render.error(f"Could not open the rejection form ({type(exc).__name__}); click again."))
            return
        ack()

    def ack_reject_submission(ack: Ack, body: dict, view: dict) -> None:
        meta = _meta(view)
        account = promos.account(str(meta.get("account", "")))
        reason = ((view.get("state", {}).get("values", {}).get(R.REASON_BLOCK) or {}).get("value") or {}).get("value") or ""
        if account is None:
            ack(response_action="errors", errors={R.REASON_BLOCK: "This account is no longer configured."})
            return
        if not reason.strip():
            ack(response_action="errors", errors={R.REASON_BLOCK: "Give a reason so the requester can fix the request."})
            return
        t = promos.repo.reject(account, str(meta.get("promo", "")), body["user"]["id"], reason)
        if not t.applied:
            ack(response_action="errors", errors={R.REASON_BLOCK: render.clip(f"Not rejected: {_plain(t.message)}.", 1900)})
            return
        ack()

    @user_facing
    def run_reject_submission(body: dict, view: dict) -> None:
        meta = _meta(view)
        account = promos.account(str(meta.get("account", "")))
        promo = promos.repo.get(account.account_id, str(meta.get("promo", ""))) if account else None
        if promo is None or promo.status is not PromoStatus.REJECTED or promo.approver != body["user"]["id"]:
            return  # the ack refused it
        after_reject(account, promo)

    # -- hand-off / mark as created / cancel buttons -------------------------------------------------
    @user_facing
    def run_hand_off(respond: Respond, body: dict) -> None:
        value, user = _click(body)
        account, promo_id = promos.from_value(value)
        if account is None:
            _ephemeral(respond, render.error("This button belongs to an account that is no longer configured."))
            return
        h = service.hand_off(promos.repo, promos.gateway, account, promo_id, user)
        if h.handoff is None:
            _ephemeral(respond, render.error(f"No hand-off: {h.transition.message}."))
            return
        if h.transition.applied:
            promos.update_card(account, h.transition.promotion)
        promo = h.transition.promotion or promos.repo.get(account.account_id, promo_id)
        _ephemeral(respond, render.message(**{k: v for k, v in R.handoff_message(h.handoff, promo).items()}))

    @user_facing
    def run_mark_created(respond: Respond, body: dict) -> None:
        value, user = _click(body)
        account, promo_id = promos.from_value(value)
        if account is None:
            _ephemeral(respond, render.error("This button belongs to an account that is no longer configured."))
            return
        r = service.confirm_created(promos.repo, promos.gateway, account, promo_id, user)
        if r.outcome == "already_decided":
            _ephemeral(respond, render.message(f":information_source: {r.promotion.code} was {r.message}; nothing changed."))
            return
        if not r.applied or r.promotion is None:
            _ephemeral(respond, render.error(f"Not marked as created: {r.message}."))
            return
        promo = r.promotion
        promos.update_card(account, promo)
        when = ("is active now" if promo.status is PromoStatus.ACTIVE
                else f"goes active on {promo.start:%Y-%m-%d %H:%M} UTC")
        _ephemeral(respond, render.message(f":white_check_mark: {promo.code} marked as created; it {when} "
                                           f"and ends {promo.end:%Y-%m-%d %H:%M} UTC."))
        if user != promo.requester:
            promos.notify(account, promo, "created", f"Your promo code *{promo.code}* was created in Seller Central "
                                                     f"(confirmed by <@{user}>); it {when}.")

    @user_facing
    def run_cancel_button(respond: Respond, body: dict) -> None:
        value, user = _click(body)
        account, promo_id = promos.from_value(value)
        if account is None:
            _ephemeral(respond, render.error("This button belongs to an account that is no longer configured."))
            return
        t = promos.repo.cancel(account, promo_id, user, "cancelled from Slack")
        if not t.applied:
            _ephemeral(respond, render.error(f"Not cancelled: {t.message}."))
            return
        promos.update_card(account, t.promotion)
        if user != t.promotion.requester:
            promos.notify(account, t.promotion, "cancelled",
                          f":x: Your promo code *{t.promotion.code}* was cancelled by <@{user}>.")
        _ephemeral(respond, render.message(f"Cancelled: {t.message}."))

    # -- list / show / cancel ---------------------------------------------------------------------------
    def _acker(parse):
        def ack_parsed(ack: Ack, command: dict) -> None:
            try:
                parse(command.get("text", ""))
            except UsageError as exc:
                ack(**render.error(exc.message, exc.usage))
                return
            ack()
        return ack_parsed

    def _refresh(account: AccountConfig) -> None:
        promos.repo.expire_due([account.account_id], promos.now())

    @user_facing
    def run_list(respond: Respond, command: dict) -> None:
        try:
            account_id, status = parse_list(command.get("text", ""))
        except UsageError:
            return
        user = command.get("user_id", "?")
        found: list[Promotion] = []
        for account in _scope(deps, account_id):
            _refresh(account)
            found += service.list_visible(promos.repo, account, user, status)
        scope = (f"with status {status.value}" if status else "") + (f" in {account_id}" if account_id else "")
        respond(**R.promo_list(found, scope.strip() or "you can see"))

    @user_facing
    def run_show(respond: Respond, command: dict) -> None:
        try:
            w = parse_code_command(command.get("text", ""), SHOW, max_positionals=1)
        except UsageError:
            return
        user = command.get("user_id", "?")
        account, promo = _one(promos, deps, user, w.positionals[0], w.options.get("--account"), SHOW)
        promos.repo.refresh_status(promo, promos.now())
        promo = service.show(promos.repo, account, user, promo.code)
        if promo.status is PromoStatus.PENDING_APPROVAL:
            ref = promos.cards.get(account.account_id, promo.id)
            if ref is None:  # the first post failed (its claim was released): post it now
                if post_card_or_explain(account, promo, [], lambda payload: respond(**payload)):
                    respond(**render.message(f"Posted the approval card for {promo.code} to "
                                             f"<#{account.approvals_channel}>."))
        respond(**R.promo_detail(service.card(promo, account, viewer=user), promo))

    @user_facing
    def run_cancel(respond: Respond, command: dict) -> None:
        try:
            w = parse_code_command(command.get("text", ""), CANCEL, max_positionals=99)
        except UsageError:
            return
        user = command.get("user_id", "?")
        code, reason = w.positionals[0], " ".join(w.positionals[1:])
        account, promo = _one(promos, deps, user, code, w.options.get("--account"), CANCEL)
        t = service.cancel_by_code(promos.repo, account, user, code, reason)
        if not t.applied:
            respond(**render.error(f"{promo.code} was not cancelled: {t.message}."))
            return
        promos.update_card(account, t.promotion)
        if user != promo.requester:
            promos.notify(account, t.promotion, "cancelled", f":x: Your promo code *{promo.code}* was cancelled by "
                                                             f"<@{user}>" + (f": {render.escape(reason)}" if reason else "."))
        respond(**render.message(f":x: Cancelled {t.message}."))

    # -- report --------------------------------------------------------------------------------------------
    def ack_report(ack: Ack, command: dict) -> None:
        try:
            w = parse_report_command(command.get("text", ""))
        except UsageError as exc:
            ack(**render.error(exc.message, exc.usage))
            return
        source = f"file {w.positionals[1]}" if len(w.positionals) > 1 else "the latest CSV/TSV uploaded to this channel"
        ack(**render.message(f"Reading the promo report for {w.positionals[0].upper()} from {source}…"))

    @user_facing
    def run_report(respond: Respond, command: dict) -> None:
        from handlers.promo.report import ReportRejected, parse_report

        try:
            w = parse_report_command(command.get("text", ""))
        except UsageError:
            return
        user, channel = command.get("user_id", "?"), command.get("channel_id", "")
        code = w.positionals[0].upper()
        known = [(a, p) for a, p in promos.find(_scope(deps, w.options.get("--account")), code)]
        if known and not any(service.can_view(a, user, p) for a, p in known):
            respond(**render.error(f"Promo code {code} belongs to another requester; ask them or an approver "
                                   "for its report."))
            return
        try:
            info = pick_report_file(deps, channel, w.positionals[1] if len(w.positionals) > 1 else None)
            raw = download_file(deps, info)
        except ReportFileError as exc:
            respond(**render.error(str(exc), REPORT.usage))
            return
        name = str(info.get("name") or info.get("id"))
        try:
            report = parse_report(raw, code=code)
        except ReportRejected as exc:
            respond(**render.error(f"`{name}` cannot be used as a promo report: {exc.reason}"))
            return
        text, blocks = R.report_summary(report, name)
        if not known:
            blocks.append(render.context(f"{code} was not requested through sellerbot; totals come from the file only."))
        respond(**render.message(text, blocks))
        if not report.daily:
            return
        from handlers.promo.chart import daily_orders_png

        png = daily_orders_png(report)
        try:
            deps.slack.files_upload_v2(channel=channel, content=png, filename=f"promo-{code.lower()}-daily-orders.png",
                                       title=f"{code}: daily orders, referred vs not referred", initial_comment=text)
        except Exception as exc:  # noqa: BLE001 - the totals were already shown
            err = getattr(getattr(exc, "response", None), "data", {}) or {}
            respond(**render.error(f"The totals are above, but the chart could not be uploaded "
                                   f"({err.get('error', type(exc).__name__)}); invite sellerbot to this channel."))

    # -- deals (SP-API GET_PROMOTION_PERFORMANCE_REPORT) ------------------------------------------------
    def ack_deals(ack: Ack, command: dict) -> None:
        try:
            account, code, report_id = parse_deals(command.get("text", ""), deps)
        except UsageError as exc:
            ack(**render.error(exc.message, exc.usage))
            return
        what = f"report {report_id}" if report_id else "a promotion performance report"
        ack(**render.message(f"Asking Amazon for {what} for {account.account_id}/{code}; "
                             "Amazon usually needs a minute or more…"))

    @user_facing
    def run_deals(respond: Respond, command: dict) -> None:
        import gzip
        import os
        import time

        from handlers.health.fetch import ReportPending, await_report, download_report
        from handlers.health.report import ReportUnreadable
        from handlers.health.spapi_adapter import ReportsGateway
        from handlers.promo.performance import PerformanceReportInvalid, parse_performance_report

        try:
            account, code, report_id = parse_deals(command.get("text", ""), deps)
        except UsageError:
            return
        poll = float(os.environ.get("SELLERBOT_PROMO_REPORT_POLL_SECONDS", "3"))
        budget = float(os.environ.get("SELLERBOT_LAZY_TIMEOUT_SECONDS", "29")) - 6
        started = deps.clock()
        gateway = ReportsGateway(deps.spapi)
        call = gateway.caller(account, code, deadline=started + budget + 3)
        try:
            if report_id is None:
                created = call("createReport", body={"reportType": PERFORMANCE_REPORT,
                                                     "marketplaceIds": [account.marketplace(code).marketplace_id]})
                report_id = str(created.get("reportId") or "")
                if not report_id:
                    raise ReportUnreadable("createReport returned no reportId")
            polls = max(1, int(budget // max(poll, 0.05)))
            document_id = await_report(call, report_id, sleep=time.sleep, poll_interval=poll, max_polls=polls)
            raw = download_report(call, gateway.download, document_id)
        except ReportPending as exc:
            respond(**render.message(f":hourglass_flowing_sand: Amazon is still building report {exc.report_id} "
                                     f"({exc.status}). Run `/promo deals --account {account.account_id} "
                                     f"--marketplace {code} --report-id {exc.report_id}` in a few minutes."))
            return
        except ReportUnreadable as exc:
            respond(**render.error(f"{exc} (Amazon reports only Best Deal and Lightning Deal promotions here; "
                                   "CANCELLED usually means there were none in the period)."))
            return
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        try:
            report = parse_performance_report(raw)
        except PerformanceReportInvalid as exc:
            respond(**render.error(f"Amazon's report {report_id} could not be read: {exc.reason}"))
            return
        respond(**R.deals_summary(report, f"{account.account_id}/{code}", report_id))

    # -- unknown subcommands -----------------------------------------------------------------------------
    def ack_unknown(ack: Ack, command: dict) -> None:
        sub = subcommand(command)
        head = f"Unknown subcommand `{sub[:30]}`." if sub else "`/promo` needs a subcommand."
        ack(**render.error(head, USAGE))

    def on(name: str):
        return lambda body: subcommand(body) == name

    app.command("/promo", matchers=[is_new_form])(ack_new_form)
    app.command("/promo", matchers=[is_new_inline])(ack=ack_new_inline, lazy=[run_new_inline])
    app.command("/promo", matchers=[on("list")])(ack=_acker(parse_list), lazy=[run_list])
    app.command("/promo", matchers=[on("show")])(
        ack=_acker(lambda t: parse_code_command(t, SHOW, max_positionals=1)), lazy=[run_show])
    app.command("/promo", matchers=[on("cancel")])(
        ack=_acker(lambda t: parse_code_command(t, CANCEL, max_positionals=99)), lazy=[run_cancel])
    app.command("/promo", matchers=[on("approve")])(
        ack=_acker(lambda t: parse_code_command(t, APPROVE, max_positionals=1)), lazy=[run_approve_command])
    app.command("/promo", matchers=[on("reject")])(ack=_acker(parse_reject_command), lazy=[run_reject_command])
    app.command("/promo", matchers=[on("report")])(ack=ack_report, lazy=[run_report])
    app.command("/promo", matchers=[on("deals")])(ack=ack_deals, lazy=[run_deals])
    app.command("/promo")(ack_unknown)
    app.view(R.NEW_VIEW)(ack=ack_new_submission, lazy=[run_new_submission])
    app.view(R.REJECT_VIEW)(ack=ack_reject_submission, lazy=[run_reject_submission])
    app.action(service.ACTION_IDS[Action.APPROVE])(ack=ack_button, lazy=[run_approve])
    app.action(service.ACTION_IDS[Action.REJECT])(ack_reject)
    app.action(service.ACTION_IDS[Action.HAND_OFF])(ack=ack_button, lazy=[run_hand_off])
    app.action(service.ACTION_IDS[Action.CONFIRM_CREATED])(ack=ack_button, lazy=[run_mark_created])
    app.action(service.ACTION_IDS[Action.CANCEL])(ack=ack_button, lazy=[run_cancel_button])
