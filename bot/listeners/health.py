"""`/health [account] [marketplace]`, `/health check …` and the alert buttons (issue 6).

- `/health` — every configured account × marketplace, worst first (from the store).
- `/health ACCOUNT [MARKETPLACE]` — current state: account status, last snapshot's
  rate metrics vs targets, open red flags; plus the 90-day trend chart (PNG upload).
- `/health check [ACCOUNT] [MARKETPLACE]` — runs the worker's check path now
  (createReport → getReport → document → evaluate → alerts in the account's channel),
  with a progress message that keeps updating.
- Buttons Acknowledge / Snooze 24 h / Assign to me on every alert: one conditional
  write through `AlertBook` (first click wins, a double click changes nothing), the
  alert message is updated in place, the change is audited.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from pydantic import BaseModel
from slack_bolt import Ack, App, Respond

from bot.commands import CommandSpec, UsageError, declare
from bot.deps import Deps
from bot.listeners.common import parsed_again, parsed_or_refused, slack_error, user_facing
from bot.progress import ProgressMessage
from bot.views import kit
from bot.views.health import (
    ACK,
    ACTION_IDS,
    SNOOZE,
    SNOOZE_HOURS,
    ButtonValue,
    alert_state_message,
    state_blocks,
    summary_blocks,
    summary_text,
)
from handlers.health.fetch import ReportPending
from infra.accounts import MARKETPLACE_IDS, AccountConfig, AccountsConfig, MarketplaceConfig

log = logging.getLogger("sellerbot.health")

SHOW = declare(
    CommandSpec(
        "/health",
        "/health [ACCOUNT] [MARKETPLACE]",
        "Account health: red flags, metrics vs targets and a 90-day trend chart (no args: all accounts, worst first)",
    )
)
CHECK = declare(
    CommandSpec(
        "/health",
        "/health check [ACCOUNT] [MARKETPLACE]",
        "Fetch Amazon's performance report now and post new red flags to the account's channel",
    )
)
USAGE = f"{SHOW.usage}\n{CHECK.usage}"
LAZY_BUDGET_SECONDS = float(os.environ.get("SELLERBOT_LAZY_TIMEOUT_SECONDS", "29"))
# A check needs createReport + a few getReport polls + the document; do not start one with less left.
MIN_SECONDS_PER_CHECK = 8.0
ON_DEMAND_WINDOW_SECONDS = 900


class HealthRequest(BaseModel):
    check: bool = False
    account: str | None = None
    marketplace: str | None = None

    def label(self) -> str:
        if self.account:
            return f"{self.account} {self.marketplace}" if self.marketplace else self.account
        return f"every account in {self.marketplace}" if self.marketplace else "every account"


def _known(accounts: AccountsConfig, limit: int = 12) -> str:
    names = [a.account_id for a in accounts.accounts]
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(f"`{n}`" for n in names[:limit]) + more


def parse_health(text: str, accounts: AccountsConfig) -> HealthRequest:
    """Validated request or UsageError naming what is wrong; runs in the ack (config only, no I/O)."""
    words = (text or "").split()
    check = bool(words) and words[0].lower() == "check"
    if check:
        words = words[1:]
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
        raise UsageError(f"Unknown account `{kit.escape(first[:40])}`. Configured accounts: {_known(accounts)}.", USAGE)
    if len(words) == 1:
        return HealthRequest(check=check, account=account.account_id)
    code = words[1].upper()
    if account.marketplace(code) is None:
        have = ", ".join(m.code for m in account.marketplaces)
        hint = "" if code in MARKETPLACE_IDS else f" (`{kit.escape(words[1][:10])}` is not a marketplace code)"
        raise UsageError(
            f"Account `{account.account_id}` has no marketplace `{kit.escape(code[:10])}`{hint}; it has {have}.",
            USAGE,
        )
    return HealthRequest(check=check, account=account.account_id, marketplace=code)


def selected_pairs(request: HealthRequest, accounts: AccountsConfig) -> list[tuple[AccountConfig, MarketplaceConfig]]:
    pairs = accounts.pairs()
    if request.account:
        pairs = [(a, m) for a, m in pairs if a.account_id == request.account]
    if request.marketplace:
        pairs = [(a, m) for a, m in pairs if m.code == request.marketplace]
    return pairs


def is_check(body: dict) -> bool:
    words = (body.get("text") or "").split()
    return bool(words) and words[0].lower() == "check"


def _check_line(account: str, code: str, run: Any) -> str:
    outcome = run.outcome
    if outcome.status == "unreadable":
        return f":warning: {account} {code}: report unreadable — {kit.escape(outcome.error or '')[:300]}"
    icon = (
        ":red_circle:"
        if any(f.severity == "critical" for f in outcome.flags)
        else (":large_orange_circle:" if outcome.flags else ":white_check_mark:")
    )
    posted = run.delivery.posted
    return (
        f"{icon} {account} {code}: {outcome.account_status or 'status unknown'}, {len(outcome.flags)} red flag(s), "
        f"{len(outcome.warnings)} trend warning(s); {posted} new post(s)"
    )


def register(app: App, deps: Deps) -> None:
    from bot.workers.health_core import health_deps_for

    def parse(text: str) -> HealthRequest:
        return parse_health(text, deps.accounts)

    def ack_health(ack: Ack, command: dict) -> None:
        request = parsed_or_refused(ack, parse, command)
        if request is not None:
            ack(**kit.message(f"Checking account health for {request.label()}…"))

    def ack_check(ack: Ack, command: dict) -> None:
        request = parsed_or_refused(ack, parse, command)
        if request is None:
            return
        n = len(selected_pairs(request, deps.accounts))
        ack(
            **kit.message(
                f"Starting a health check for {request.label()} ({n} account × marketplace "
                f"pair{'s' if n != 1 else ''}); progress follows in this channel, red flags go to "
                f"each account's alert channel."
            )
        )

    @user_facing
    def show_health(respond: Respond, command: dict) -> None:
        from bot.workers.health_core import all_states, pair_state

        request = parsed_again(parse, command)
        if request is None:
            return  # the ack showed the usage error; Bolt runs lazy listeners regardless
        hdeps = health_deps_for(deps)
        pairs = selected_pairs(request, deps.accounts)
        if not request.account:
            states = all_states(hdeps, pairs)
            respond(**kit.message(summary_text(states), summary_blocks(states)))
            return
        channel = command.get("channel_id", "")
        for account, marketplace in pairs:
            state = pair_state(hdeps, account, marketplace)
            respond(**kit.message(f"{state.headline()}", state_blocks(state, now=hdeps.now()), ephemeral=False))
            _upload_chart(hdeps, channel, account.account_id, marketplace.code, respond)

    def _upload_chart(hdeps: Any, channel: str, account: str, code: str, respond: Respond) -> None:
        from handlers.health.service import trend_chart

        png = trend_chart(hdeps.store, account, code, now=hdeps.now())
        try:
            hdeps.slack.files_upload_v2(
                channel=channel,
                content=png,
                filename=f"health-{account}-{code}.png",
                title=f"{account} {code}: account health, last 90 days",
            )
        except Exception as exc:
            error = slack_error(exc)
            log.warning("trend chart upload failed: %s", error)
            respond(
                **kit.error(
                    f"Could not upload the trend chart to this channel ({error}); invite the bot "
                    f"to the channel or use a channel it is in."
                )
            )

    @user_facing
    def run_health_check(respond: Respond, command: dict) -> None:
        from bot.workers.health_core import run_check

        started = deps.clock()
        request = parsed_again(parse, command)
        if request is None:
            return
        hdeps = health_deps_for(deps)
        pairs = selected_pairs(request, deps.accounts)
        deadline = started + LAZY_BUDGET_SECONDS - 2
        progress = ProgressMessage(deps.slack, command.get("channel_id", ""), what="health check progress")
        lines: list[str] = []
        progress.show(f":hourglass_flowing_sand: Health check for {request.label()}: 0 of {len(pairs)} done…")
        # One report per pair per 15 minutes: a repeated `/health check` (or one that found the report still
        # pending) picks up the same report instead of spending another createReport (1/min per seller).
        run_id = f"ondemand-{int(deps.clock() // ON_DEMAND_WINDOW_SECONDS)}"
        left: list[tuple[AccountConfig, MarketplaceConfig]] = []
        for i, (account, marketplace) in enumerate(pairs):
            if deadline - deps.clock() < MIN_SECONDS_PER_CHECK:
                left = pairs[i:]
                break
            try:
                run = run_check(hdeps, account.account_id, marketplace.code, run_id=run_id, deadline=deadline)
                lines.append(_check_line(account.account_id, marketplace.code, run))
            except ReportPending:
                lines.append(
                    f":hourglass: {account.account_id} {marketplace.code}: Amazon is still building the "
                    f"report; run `/health check {account.account_id} {marketplace.code}` again in a minute "
                    f"(the same report is picked up, not requested again)."
                )
            except Exception as exc:
                from infra.spapi.errors import explain

                lines.append(f":x: {account.account_id} {marketplace.code}: {kit.escape(explain(exc))[:300]}")
            progress.show(
                f":hourglass_flowing_sand: Health check for {request.label()}: {i + 1} of {len(pairs)} "
                f"done…\n" + "\n".join(lines)
            )
        note = ""
        if left:
            from bot.workers.health_schedule import enqueue_pairs

            queued = enqueue_pairs(left, reason="slack")
            note = (
                f"\n{len(left)} more pair(s) queued for the background worker; their alerts will follow."
                if queued
                else f"\nOut of time; {len(left)} pair(s) not checked: run `/health check ACCOUNT` for them."
            )
        progress.show(
            f"Health check for {request.label()} finished: {len(pairs) - len(left)} of {len(pairs)} "
            f"checked.\n" + "\n".join(lines) + note
        )

    def ack_button(ack: Ack) -> None:
        ack()

    @user_facing
    def run_alert_action(body: dict, respond: Respond) -> None:
        action = (body.get("actions") or [{}])[0]
        user = (body.get("user") or {}).get("id", "?")
        try:
            value = ButtonValue.decode(action.get("value", ""))
        except ValueError:
            respond(**kit.error("This button does not belong to a health alert."))
            return
        hdeps = health_deps_for(deps)
        book = hdeps.book()
        action_id = action.get("action_id")
        if action_id == ACK:
            result = book.acknowledge(value.flag_id, user, episode=value.episode)
        elif action_id == SNOOZE:
            result = book.snooze(value.flag_id, user, hours=SNOOZE_HOURS, episode=value.episode)
        else:
            result = book.assign(value.flag_id, user, episode=value.episode)
        record = result.alert
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
        ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
        if record is not None and result.outcome in ("applied", "unchanged", "resolved"):
            # The state line names who acknowledged, snoozed (until when) and took it.
            update = alert_state_message(record, now=hdeps.now())
            targets = {(channel, ts)}
            if record.channel and record.message_ts:
                targets.add((record.channel, record.message_ts))  # the original, when the click came from a re-post
            for target_channel, target_ts in targets:
                if target_channel and target_ts:
                    try:
                        hdeps.slack.chat_update(channel=target_channel, ts=target_ts, **update)
                    except Exception as exc:
                        log.warning("alert message update failed: %s", type(exc).__name__)
        if not result.applied:
            respond(**kit.message(result.message), replace_original=False)

    app.command("/health", matchers=[is_check])(ack=ack_check, lazy=[run_health_check])
    app.command("/health")(ack=ack_health, lazy=[show_health])
    for action_id in ACTION_IDS:
        app.action(action_id)(ack=ack_button, lazy=[run_alert_action])
