"""`/health [account] [marketplace]`, `/health check …` and the alert buttons (issue 6).

- `/health` — every configured account × marketplace, worst first (from the store).
- `/health ACCOUNT [MARKETPLACE]` — current state: account status, last snapshot's
  rate metrics vs targets, open red flags; plus the 90-day trend chart (PNG upload).
- `/health check [ACCOUNT] [MARKETPLACE]` — runs the worker's check path now
  (createReport → getReport → document → evaluate → alerts in the account's channel),
  with a progress message that keeps updating.
- Buttons Acknowledge / Snooze 24 h / Assign to me on every alert: only the pair's responders
  (its `responders`, its owner group's members, the admins) may press them; anyone else gets an
  ephemeral refusal naming who can, and the press is audited. A press is one conditional write
  through `AlertBook` (first click wins, a double click changes nothing), the alert message is
  updated in place, the change is audited.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from pydantic import BaseModel
from slack_bolt import Ack, Respond

from bot.access import AccountGate
from bot.commands import UsageError
from bot.deps import Deps
from bot.jobs.charts import health_chart_job, request_chart
from bot.jobs.health_checks import HealthDeps, health_deps_for, run_check
from bot.jobs.health_queue import enqueue_pairs
from bot.listeners.common import parsed_again, parsed_or_refused, user_facing
from bot.listeners.health_routes import USAGE
from bot.progress import ProgressMessage
from bot.views import kit
from bot.views.health import (
    ACK,
    SNOOZE,
    SNOOZE_HOURS,
    ButtonValue,
    PairState,
    action_text,
    alert_state_message,
    check_failed_line,
    check_finished,
    check_line,
    check_pending_line,
    check_progress,
    check_started,
    responders_only_text,
    state_blocks,
    summary_blocks,
    summary_text,
)
from bot.views.health_actions import ASSIGN
from handlers.health.alerts import ActionResult, AlertBook, split_flag_id
from handlers.health.check_state import CheckStateBook, stale_after
from handlers.health.fetch import ReportPending
from handlers.health.snapshots import SnapshotStore, latest_trends
from infra.accounts import MARKETPLACE_CODES, MARKETPLACE_IDS, AccountConfig, AccountsConfig, MarketplaceConfig
from infra.spapi.errors import explain

log = logging.getLogger("sellerbot.health")

_ACTION_NAMES = {ACK: "acknowledged", SNOOZE: "snoozed", ASSIGN: "assigned"}
LAZY_BUDGET_SECONDS = float(os.environ.get("SELLERBOT_LAZY_TIMEOUT_SECONDS", "29"))
# A check needs createReport + a few getReport polls + the document; do not start one with less left.
MIN_SECONDS_PER_CHECK = 8.0
ON_DEMAND_WINDOW_SECONDS = 900


class HealthRequest(BaseModel):
    check: bool = False
    account: str | None = None
    marketplace: str | None = None
    post: bool = False  # share the answer in the channel (with the chart) instead of only to the caller

    def label(self) -> str:
        if self.account:
            return f"{self.account} {self.marketplace}" if self.marketplace else self.account
        return f"every account in {self.marketplace}" if self.marketplace else "every account"


def parse_health(text: str, accounts: AccountsConfig, command: dict, access: AccountGate) -> HealthRequest:
    """Validated request or UsageError naming what is wrong; runs in the ack (config only, no I/O)."""
    words = (text or "").split()
    check = bool(words) and words[0].lower() == "check"
    if check:
        words = words[1:]
    post = "--post" in (w.lower() for w in words)
    words = [w for w in words if w.lower() != "--post"]
    if post and (check or not words or accounts.get(words[0].lower()) is None):
        raise UsageError("--post shares one account's health: give `/health ACCOUNT [MARKETPLACE] --post`.", USAGE)
    if words and words[0].lower() in ("help", "-h", "--help"):
        raise UsageError("How to use /health:", USAGE)
    if len(words) > 2:
        raise UsageError(
            f"Too many arguments ({' '.join(words[:4])[:60]}); give at most an account and a marketplace.", USAGE
        )
    if not words:
        return HealthRequest(check=check)
    first = words[0]
    account = accounts.get(first.lower())
    if account is None:
        if len(words) == 1 and first.upper() in MARKETPLACE_IDS:
            code = first.upper()
            if not any(a.marketplace(code) for a in accounts.accounts):
                raise UsageError(f"No configured account sells in marketplace `{code}`.", USAGE)
            return HealthRequest(check=check, marketplace=code)
        account = access.lookup(command, first, USAGE)  # raises: its error names only the caller's accounts
    if len(words) == 1:
        return HealthRequest(check=check, account=account.account_id, post=post)
    code = words[1].upper()
    if account.marketplace(code) is None:
        have = ", ".join(m.code for m in account.marketplaces)
        hint = "" if code in MARKETPLACE_IDS else f" (`{kit.escape(words[1][:10])}` is not a marketplace code)"
        raise UsageError(
            f"Account `{account.account_id}` has no marketplace `{kit.escape(code[:10])}`{hint}; it has {have}.",
            USAGE,
        )
    return HealthRequest(check=check, account=account.account_id, marketplace=code, post=post)


def selected_pairs(request: HealthRequest, accounts: AccountsConfig) -> list[Pair]:
    pairs = accounts.pairs()
    if request.account:
        pairs = [(a, m) for a, m in pairs if a.account_id == request.account]
    if request.marketplace:
        pairs = [(a, m) for a, m in pairs if m.code == request.marketplace]
    return pairs


Pair = tuple[AccountConfig, MarketplaceConfig]


def pair_state(deps: HealthDeps, account: AccountConfig, marketplace: MarketplaceConfig) -> PairState:
    """What `/health` shows for one pair, from the store only: the two newest snapshots (the metrics and
    their trend), the open alerts and the check bookkeeping (running, failed and why, last success)."""
    recent = SnapshotStore(deps.store).recent(account.account_id, marketplace.code, count=2)
    snap = recent[0] if recent else None
    alerts = AlertBook(deps.store).list_for(account.account_id, marketplace.code)
    check = CheckStateBook(deps.store).get(account.account_id, marketplace.code)
    now = deps.now()
    return PairState(
        account=account.account_id,
        account_name=account.name,
        marketplace=marketplace.code,
        channel=marketplace.alert_channel,
        account_status=snap.account_status if snap else None,
        checked_at=snap.taken_at if snap else None,
        metrics=snap.metrics if snap else {},
        alerts=alerts,
        last_attempt_at=check.last_attempt_at,
        last_success_at=check.last_success_at,
        last_failure_at=check.last_failure_at,
        failure_reason=check.failure_reason,
        checking=check.in_flight(now),
        trends=[t.message for t in latest_trends(recent)],
        stale_after=stale_after(),
        as_of=now,
    )


def all_states(deps: HealthDeps, pairs: list[Pair], *, workers: int = 16) -> list[PairState]:
    """Every pair's state; store reads run in a small thread pool (an agency may have hundreds of pairs)."""
    if len(pairs) <= 4:
        return [pair_state(deps, a, m) for a, m in pairs]
    with ThreadPoolExecutor(max_workers=min(workers, len(pairs))) as pool:
        return list(pool.map(lambda p: pair_state(deps, *p), pairs))


def click_targets(body: dict, alert_channel: str | None, alert_ts: str | None) -> set[tuple[str, str]]:
    """The messages an alert click updates: the one clicked, and the original alert when the click came
    from a re-post (an escalation)."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    targets = {(channel, ts)}
    if alert_channel and alert_ts:
        targets.add((alert_channel, alert_ts))
    return {(c, t) for c, t in targets if c and t}


class HealthListeners:
    """`/health`, `/health check` and the alert buttons; lazy methods keep Bolt-unique names."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def parser(self, command: dict) -> Callable[[str], HealthRequest]:
        """The request's parser, holding the access rule: the ack and the lazy listener both refuse."""
        return lambda text: self._allowed(parse_health(text, self.deps.accounts, command, self.deps.access), command)

    def _allowed(self, request: HealthRequest, command: dict) -> HealthRequest:
        """`request` when the caller may see what it names; AccessRefused (a UsageError) otherwise."""
        if request.account:
            account = self.deps.accounts.get(request.account)
            if account is not None:
                self.deps.access.require(command, account, request.marketplace)
        elif not self.pairs(request, command):
            raise UsageError(
                "You are on no seller account here: run this in an account's channel, or ask an admin to add you "
                "to an account's `members`."
            )
        return request

    def pairs(self, request: HealthRequest, command: dict) -> list[Pair]:
        """The pairs a request names that the caller may see (every one it names, once `_allowed` passed)."""
        return self.deps.access.pairs_for(command, selected_pairs(request, self.deps.accounts))

    # -- /health ------------------------------------------------------------------------------------
    def ack_health(self, ack: Ack, command: dict) -> None:
        request = parsed_or_refused(ack, self.parser(command), command)
        if request is not None:
            ack(**kit.message(f"Checking account health for {request.label()}…"))

    @user_facing
    def show_health(self, respond: Respond, command: dict) -> None:
        request = parsed_again(self.parser(command), command)
        if request is None:
            return  # the ack showed the usage error; Bolt runs lazy listeners regardless
        hdeps = health_deps_for(self.deps)
        pairs = self.pairs(request, command)
        if not request.account:
            states = all_states(hdeps, pairs)
            respond(**kit.message(summary_text(states), summary_blocks(states)))
            return
        for account, marketplace in pairs:
            state = pair_state(hdeps, account, marketplace)
            blocks = state_blocks(state, now=hdeps.now())
            # About an account, only to the caller, unless they share it on purpose (issue 23).
            respond(
                **kit.message(
                    state.headline(),
                    blocks if request.post else [*blocks, post_hint(request)],
                    ephemeral=not request.post,
                )
            )
            if request.post:
                self._upload_chart(command, account.account_id, marketplace.code, respond)

    def _upload_chart(self, command: dict, account: str, code: str, respond: Respond) -> None:
        # Drawn and uploaded by the charts function (the chart stack is not in this function's artifact);
        # it tells the user itself when the chart cannot be made.
        request_chart(self.deps, health_chart_job(command, account, code), respond)

    # -- /health check ------------------------------------------------------------------------------
    def ack_check(self, ack: Ack, command: dict) -> None:
        request = parsed_or_refused(ack, self.parser(command), command)
        if request is not None:
            ack(**check_started(request.label(), len(self.pairs(request, command))))

    @user_facing
    def run_health_check(self, respond: Respond, command: dict) -> None:
        started = self.deps.clock()
        request = parsed_again(self.parser(command), command)
        if request is None:
            return
        pairs = self.pairs(request, command)
        progress = ProgressMessage(self.deps.slack, command.get("channel_id", ""), what="health check progress")
        progress.show(check_progress(request.label(), 0, len(pairs), []))
        lines: list[str] = []
        left = self._check_pairs(
            pairs,
            deadline=started + LAZY_BUDGET_SECONDS - 2,
            lines=lines,
            on_line=lambda: progress.show(check_progress(request.label(), len(lines), len(pairs), lines)),
        )
        queued = bool(left) and enqueue_pairs(left, reason="slack")
        progress.show(check_finished(request.label(), len(pairs), lines, left=len(left), queued=queued))

    def _check_pairs(
        self, pairs: list[Pair], *, deadline: float, lines: list[str], on_line: Callable[[], None]
    ) -> list[Pair]:
        """Check pairs one after the other until too little time is left; a line per pair checked.
        Returns the pairs not checked."""
        hdeps = health_deps_for(self.deps)
        # One report per pair per 15 minutes: a repeated `/health check` (or one that found the report still
        # pending) picks up the same report instead of spending another createReport (1/min per seller).
        run_id = f"ondemand-{int(self.deps.clock() // ON_DEMAND_WINDOW_SECONDS)}"
        for i, (account, marketplace) in enumerate(pairs):
            if deadline - self.deps.clock() < MIN_SECONDS_PER_CHECK:
                return pairs[i:]
            lines.append(self._check_one(hdeps, account.account_id, marketplace.code, run_id, deadline))
            on_line()
        return []

    @staticmethod
    def _check_one(hdeps: HealthDeps, account: str, code: str, run_id: str, deadline: float) -> str:
        try:
            run = run_check(hdeps, account, code, run_id=run_id, deadline=deadline)
        except ReportPending:
            return check_pending_line(account, code)
        except Exception as exc:
            return check_failed_line(account, code, explain(exc))
        return check_line(account, code, run.outcome, run.delivery.posted)

    # -- alert buttons ------------------------------------------------------------------------------
    def refusal(self, body: dict) -> str | None:
        """Why the presser may not act on the alert (the ephemeral text naming who can); None when they may
        (or the value is not an alert's, which the lazy listener explains).

        Only the pair's responders act (issue 18): its `responders`, the members of its `owner_group`, and the
        agency's admins (a lead must be able to take over). Being in the channel is not enough: an
        acknowledgement stops the escalation."""
        try:
            account_id, marketplace_id, _ = split_flag_id(ButtonValue.decode(button_value(body)).flag_id)
        except ValueError:
            return None
        account = self.deps.accounts.get(account_id)
        if account is None or not account.marketplaces:
            return None
        code = MARKETPLACE_CODES.get(marketplace_id, marketplace_id)
        marketplace = account.marketplace(code) or account.marketplaces[0]
        user = str((body.get("user") or {}).get("id") or "")
        admins = list(self.deps.accounts.admins)
        if user and (user in marketplace.responders or user in admins):
            return None
        group = marketplace.owner_group
        if user and group and user in self.deps.access.rule.group_members(group):
            return None
        return responders_only_text(
            account.account_id, marketplace.code, marketplace.responders, [group] if group else [], admins
        )

    def ack_button(self, ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        refused = self.refusal(body)
        if refused is not None:
            respond(**kit.error(refused), replace_original=False)

    @user_facing
    def run_alert_action(self, body: dict, respond: Respond) -> None:
        action = (body.get("actions") or [{}])[0]
        user = (body.get("user") or {}).get("id", "?")
        hdeps = health_deps_for(self.deps)
        if self.refusal(body) is not None:
            # The ack told the presser who can; the press is audited and changes nothing.
            value = ButtonValue.decode(button_value(body))
            hdeps.book().record_press(value.flag_id, user, _ACTION_NAMES.get(action.get("action_id"), "?"), "refused")
            return
        try:
            value = ButtonValue.decode(button_value(body))
        except ValueError:
            respond(**kit.error("This button does not belong to a health alert."))
            return
        book = hdeps.book()
        result = self._apply_click(book, action.get("action_id"), value, user)
        if not result.applied and result.outcome != "not_found":
            book.record_press(value.flag_id, user, result.action, result.outcome)
        record = result.alert
        if record is not None and result.outcome in ("applied", "unchanged", "resolved"):
            # The state line names who acknowledged, snoozed (until when) and took it.
            update = alert_state_message(record, now=hdeps.now())
            for channel, ts in click_targets(body, record.channel, record.message_ts):
                try:
                    hdeps.slack.chat_update(channel=channel, ts=ts, **update)
                except Exception as exc:
                    log.warning("alert message update failed: %s", type(exc).__name__)
        if not result.applied:
            respond(**kit.message(action_text(result)), replace_original=False)

    @staticmethod
    def _apply_click(book: AlertBook, action_id: str | None, value: ButtonValue, user: str) -> ActionResult:
        if action_id == ACK:
            return book.acknowledge(value.flag_id, user, episode=value.episode)
        if action_id == SNOOZE:
            return book.snooze(value.flag_id, user, hours=SNOOZE_HOURS, episode=value.episode)
        return book.assign(value.flag_id, user, episode=value.episode)


def button_value(body: dict) -> str:
    return str(((body.get("actions") or [{}])[0]).get("value", ""))


def post_hint(request: HealthRequest) -> dict:
    where = f"{request.account} {request.marketplace}" if request.marketplace else request.account
    return kit.context(f"Only you see this. `/health {where} --post` shares it in this channel with the 90-day chart.")
