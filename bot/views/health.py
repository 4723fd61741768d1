"""Block Kit for account-health alerts and `/health`: one renderer for the listener and the workers.

- `alert_text(flag)`: a red flag in one mrkdwn message (the fallback text of its post).
- `alert_message(post, thread_ts)`: a new (or worse) red flag, a reply in the digest's thread (severity,
  metric, value vs target, what it means, what to do next, Acknowledge / Snooze 24 h / Assign to me).
- `alert_state_message(record, note)`: the same alert after a click (chat.update),
  showing who did what; a resolved alert loses its buttons.
- `resolution_message(post)`: the resolution, threaded under the alert (`thread_ts`).
- `trend_message(post)`: a metric moving toward its target.
- `escalation_message(escalation, thread_ts, responders)`: the reminder in the digest's thread, with the
  owner group's `<!subteam^ID>` and the responders' `<@U…>`.
- `digest_message(channel, summary)`: the one top-level message per account × marketplace (Account Health
  Rating, counts, what changed since the last check, next check in local time), updated in place by
  every later check; `mention_message` the one broadcast reply that calls the responders;
  `snooze_ended_message` a flag back from its snooze; `responders_only_text` the refusal of a press.
- `action_text(result)`: what an Acknowledge / Snooze / Assign click did.
- `state_blocks(...)` / `summary_blocks(...)`: what `/health` shows.
- `check_*`: the acks and the one progress message of `/health check`.

Button values are `<episode>:<flag_id>` (flag ids contain `#` and may contain `:`
in a SKU, so the episode goes first and the split is on the first colon).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, get_args

from pydantic import BaseModel

from bot.views import kit
from bot.views.health_actions import ACK, ASSIGN, SNOOZE
from bot.views.health_actions import ACTION_IDS as ACTION_IDS  # re-exported for callers of this module
from handlers.health.alerts import ActionResult, AlertRecord, Escalation, Resolution
from handlers.health.digest import DigestSummary
from handlers.health.evaluate import STATUS_RANK, FlagValue, MetricValue, RedFlag, TrendWarning, pct
from handlers.health.metrics import CONDITION_SYMBOL, RATE_METRICS, label_for, meets
from handlers.health.service import AlertPost, CheckOutcome
from infra.clock import iso_sortable
from infra.marketplaces import format_local

LIST_BUDGET = kit.BLOCK_TEXT_BUDGET - 2000  # characters of list lines in one /health reply; the rest is headers
SNOOZE_HOURS = 24
SEVERITY_EMOJI = {"critical": ":red_circle:", "warning": ":large_orange_circle:"}
STATUS_EMOJI = {
    "NORMAL": ":large_green_circle:",
    "AT_RISK": ":large_orange_circle:",
    "DEACTIVATED": ":red_circle:",
    "SUSPENDED": ":red_circle:",
}


class ButtonValue(BaseModel):
    flag_id: str
    episode: int

    def encode(self) -> str:
        return f"{self.episode}:{self.flag_id}"

    @classmethod
    def decode(cls, value: str) -> ButtonValue:
        episode, sep, flag_id = (value or "").partition(":")
        if not sep or not episode.isdigit() or flag_id.count("#") < 2:
            raise ValueError(f"not a health alert button value: {value[:80]!r}")
        return cls(flag_id=flag_id, episode=int(episode))


def _channel(channel_id: str) -> str:
    """`<#C…>` for a Slack channel id; anything else as (escaped) plain text."""
    return f"<#{channel_id}>" if kit.is_slack_id(channel_id) else kit.escape(channel_id)


def _pair(account: str, code: str) -> str:
    return f"{kit.escape(account)} {kit.escape(code)}"


def _local_min(dt: datetime | None, marketplace: str) -> str:
    """`2026-12-05 20:47 PST`: the marketplace's local time, as everything shown to a seller team."""
    return "?" if dt is None else format_local(dt, marketplace)


def _minute_z(dt: datetime | None) -> str:
    """`2026-01-31T09:30Z`, as the click replies say it."""
    return f"{iso_sortable(dt)[:16]}Z" if dt is not None else "?"


def duration(delta: timedelta) -> str:
    """How long an alert was open or unacknowledged: `42 min`, `3 h 05 min`, `3 days`."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"
    return f"{hours // 24} days"


def fmt_value(metric: str, value: FlagValue) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    if metric.split(".", 1)[0] in RATE_METRICS:
        return pct(float(value))
    return f"{int(value)}" if float(value).is_integer() else f"{value:g}"


def fmt_target(metric: str, target: FlagValue, condition: str | None) -> str:
    if target is None:
        return "n/a"
    symbol = CONDITION_SYMBOL.get(condition or "", "")
    return f"{symbol} {fmt_value(metric, target)}".strip()


def _flag_blocks(flag: RedFlag, *, title_prefix: str = "") -> list[kit.Block]:
    emoji = SEVERITY_EMOJI.get(flag.severity, ":warning:")
    # The marketplace is Amazon's id when this bot does not know it (marketplace_key): notification text.
    where = f"{kit.escape(flag.account)} · {kit.escape(flag.marketplace)}"
    return [
        kit.section(
            f"{title_prefix}{emoji} *{flag.severity.upper()}* · *{kit.escape(flag.label)}* — {where}\n"
            f"{kit.escape(flag.message)}"
        ),
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*Value*\n{kit.escape(fmt_value(flag.metric, flag.value))}"},
                {
                    "type": "mrkdwn",
                    "text": f"*Target*\n{kit.escape(fmt_target(flag.metric, flag.target, flag.condition))}",
                },
            ],
        },
        kit.section(f"*What it means:* {kit.escape(flag.meaning)}"),
        kit.section(f"*What to do next:* {kit.escape(flag.next_step)}"),
    ]


def _buttons(flag_id: str, episode: int, *, acknowledged: bool = False) -> kit.Block:
    value = ButtonValue(flag_id=flag_id, episode=episode).encode()
    elements = [] if acknowledged else [kit.button("Acknowledge", ACK, value, style="primary")]
    elements += [kit.button(f"Snooze {SNOOZE_HOURS} h", SNOOZE, value), kit.button("Assign to me", ASSIGN, value)]
    return kit.actions(*elements, block_id=f"health:{episode}:{flag_id}"[:255])


def state_line(record: AlertRecord, now: datetime | None = None) -> str:
    parts = [f"Opened {_local_min(record.opened_at, record.marketplace)}"]
    if record.state == "resolved":
        parts.append(f"resolved {_local_min(record.resolved_at, record.marketplace)}")
    if record.acknowledged_by:
        parts.append(f"acknowledged by {kit.mention(record.acknowledged_by)}")
    if record.snoozed_until and record.is_snoozed(now or datetime.now(UTC)):
        until = format_local(record.snoozed_until, record.marketplace)
        parts.append(f"snoozed by {kit.mention(record.snoozed_by)} until {until}")
    if record.assignee:
        parts.append(f"assigned to {kit.mention(record.assignee)}")
    if record.escalated_at:
        parts.append(f"escalated {_local_min(record.escalated_at, record.marketplace)}")
    return " · ".join(parts)


def alert_text(flag: RedFlag) -> str:
    return (
        f"{SEVERITY_EMOJI[flag.severity]} *{flag.severity.upper()}* {kit.escape(flag.account)} "
        f"{kit.escape(flag.marketplace)} — {kit.escape(flag.message)}\n*What it means:* {kit.escape(flag.meaning)}\n"
        f"*What to do:* {kit.escape(flag.next_step)}"
    )


def resolution_text(resolution: Resolution) -> str:
    who = "" if resolution.by is None else f" by {kit.mention(resolution.by)}"
    return (
        f":white_check_mark: Resolved{who}: {kit.escape(resolution.label)} — {kit.escape(resolution.reason)} "
        f"(open {duration(resolution.open_for)})."
    )


def trend_text(trend: TrendWarning) -> str:
    where = f"{kit.escape(trend.account)} {kit.escape(trend.marketplace)}"
    return f":chart_with_upwards_trend: {where} — {kit.escape(trend.message)}"


def post_text(post: AlertPost) -> str:
    """The text of a post (the fallback of its blocks; a trend is the same trend while its text is)."""
    if post.kind == "resolution" and post.resolution is not None:
        return resolution_text(post.resolution)
    if post.kind == "trend" and post.trend is not None:
        return trend_text(post.trend)
    if post.flag is not None:
        return alert_text(post.flag)
    raise ValueError(f"a {post.kind} post of {post.flag_id} without what it is about")


def escalation_text(escalation: Escalation) -> str:
    alert = escalation.alert
    return (
        f"{kit.group_mention(alert.owner_group)} :rotating_light: still unacknowledged after "
        f"{duration(escalation.unacknowledged_for)}: {kit.escape(alert.flag.message)}"
    )


def action_text(result: ActionResult) -> str:
    """What a click on an alert's button did, or why it did nothing."""
    if result.outcome == "not_found":
        return "This alert no longer exists."
    if result.outcome == "stale":
        return "This button belongs to an older occurrence of the alert; use the latest message."
    if result.outcome == "resolved":
        return f"Already resolved at {_minute_z(result.at)}."
    if result.busy:
        return "Busy; please try again."
    already = result.outcome == "unchanged"
    who = kit.mention(result.by)
    if result.action == "acknowledged":
        return f"Already acknowledged by {who}." if already else f"Acknowledged by {who}."
    if result.action == "snoozed":
        until = (
            format_local(result.until, result.alert.marketplace)
            if result.until and result.alert
            else _minute_z(result.until)
        )
        return f"{'Already snoozed' if already else 'Snoozed'} by {who} until {until}."
    if result.action == "assigned":
        return f"Already assigned to {who}." if already else f"Assigned to {who}."
    return f"Already {result.action}." if already else f"{result.action.capitalize()}."


CHANGE_PREFIX = {
    "new": "New · ",
    "upgraded": "Now critical · ",
    "worsened": "Worse · ",
}


def alert_message(post: AlertPost, thread_ts: str | None = None) -> dict[str, Any]:
    """chat.postMessage kwargs for a new alert (or a severity upgrade, or a worse value), as a reply in the
    digest's thread `thread_ts`."""
    assert post.flag is not None and post.episode is not None
    prefix = CHANGE_PREFIX.get(post.change or "", "")
    blocks = _flag_blocks(post.flag, title_prefix=prefix)
    if post.unsnoozed:
        blocks.insert(0, kit.context(":alarm_clock: It got worse during its snooze: the snooze has ended."))
    if post.flag.severity == "critical" and post.owner_group:
        blocks.append(
            kit.context(
                f"Owner: {kit.group_mention(post.owner_group)} · unacknowledged critical alerts are "
                f"escalated to the owner group"
            )
        )
    blocks.append(_buttons(post.flag_id, post.episode))
    return kit.fit(
        _threaded(
            {
                "channel": post.channel,
                "text": prefix + alert_text(post.flag),
                "blocks": blocks,
                "unfurl_links": False,
                "unfurl_media": False,
            },
            thread_ts,
        )
    )


def _threaded(kwargs: dict[str, Any], thread_ts: str | None) -> dict[str, Any]:
    if thread_ts:
        kwargs["thread_ts"] = thread_ts
    return kwargs


def alert_state_message(record: AlertRecord, *, note: str = "", now: datetime | None = None) -> dict[str, Any]:
    """chat.update kwargs (minus channel/ts) for an alert after a click or a resolution."""
    blocks = _flag_blocks(record.flag)
    line = state_line(record, now)
    blocks.append(kit.context(f"{note} · {line}" if note else line))
    if record.state != "resolved":
        blocks.append(_buttons(record.flag_id, record.episode, acknowledged=record.state == "acknowledged"))
    text = f"{SEVERITY_EMOJI.get(record.severity, '')} {kit.escape(record.flag.message)} — {line}"
    return kit.fit({"text": text, "blocks": blocks})


def resolution_message(post: AlertPost, thread_ts: str | None = None) -> dict[str, Any]:
    """The resolution, in the digest's thread `thread_ts` (else the alert's own thread, `post.thread_ts`)."""
    text = post_text(post)
    kwargs: dict[str, Any] = {"channel": post.channel, "text": text, "blocks": [kit.section(text)]}
    return kit.fit(_threaded(kwargs, thread_ts or post.thread_ts))


def trend_message(post: AlertPost, thread_ts: str | None = None) -> dict[str, Any]:
    text = post_text(post)
    return kit.fit(_threaded({"channel": post.channel, "text": text, "blocks": [kit.section(text)]}, thread_ts))


def responder_mentions(owner_group: str | None, responders: Iterable[str]) -> str:
    """`<!subteam^S…>` for the owner group and `<@U…>` for each responder; `<!here>` when none is configured."""
    parts = [kit.group_mention(owner_group)] if owner_group else []
    parts += [kit.mention(u) for u in dict.fromkeys(responders) if u]
    return " ".join(parts) or "<!here>"


def escalation_message(
    escalation: Escalation, thread_ts: str | None = None, responders: Iterable[str] = ()
) -> dict[str, Any]:
    """The reminder, in the digest's thread, mentioning the owner group and the responders."""
    record = escalation.alert
    who = responder_mentions(record.owner_group, responders)
    text = (
        f"{who} :rotating_light: still unacknowledged after {duration(escalation.unacknowledged_for)}: "
        f"{kit.escape(record.flag.message)}"
    )
    blocks = [kit.section(text), *_flag_blocks(record.flag)]
    if record.message_ts:
        blocks.append(
            kit.context(f"First posted {_local_min(record.opened_at, record.marketplace)}; this is a reminder.")
        )
    blocks.append(_buttons(record.flag_id, record.episode))
    return kit.fit(_threaded({"channel": record.channel, "text": text, "blocks": blocks}, thread_ts))


def snooze_ended_message(record: AlertRecord, channel: str, thread_ts: str | None) -> dict[str, Any]:
    """A snooze ran out and the flag is still open: it is back, in the digest's thread, with its buttons."""
    text = (
        f":alarm_clock: Snooze by {kit.mention(record.snoozed_by)} ended "
        f"({format_local(record.snoozed_until or record.updated_at, record.marketplace)}); still open: "
        f"{kit.escape(record.flag.message)}"
    )
    blocks = [kit.section(text), *_flag_blocks(record.flag), _buttons(record.flag_id, record.episode)]
    return kit.fit(_threaded({"channel": channel, "text": text, "blocks": blocks}, thread_ts))


def message_for(post: AlertPost, thread_ts: str | None = None) -> dict[str, Any]:
    if post.kind == "alert":
        return alert_message(post, thread_ts)
    if post.kind == "resolution":
        return resolution_message(post, thread_ts)
    return trend_message(post, thread_ts)


# ---- the digest ----------------------------------------------------------------------------------------------


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def digest_headline(summary: DigestSummary) -> str:
    """The summary line: pair, Account Health Rating, counts (also the broadcast line of a mention)."""
    emoji = ":red_circle:" if summary.red else (":large_orange_circle:" if summary.warnings else ":large_green_circle:")
    if summary.check_failed:
        emoji = ":warning:"
    name = (
        f"{kit.escape(summary.account_name)} ({kit.escape(summary.account)})"
        if summary.account_name
        else (kit.escape(summary.account))
    )
    if summary.ahr_score is not None or summary.ahr_status:
        # Amazon's report always has the status; the score (ahrScore) only in some reports.
        status = kit.escape(summary.ahr_status or "")
        if summary.ahr_score is not None:
            status = f"{summary.ahr_score:g}" + (f" ({status})" if status else "")
        ahr = f"Account Health Rating {status}"
    else:
        ahr = "Account Health Rating not in the report"
    status = f" · account status {kit.escape(summary.account_status)}" if summary.account_status else ""
    return (
        f"{emoji} *{name} · {kit.escape(summary.marketplace)}* — {ahr}{status} · "
        f"{_count(summary.red, 'red flag')} · {_count(summary.warnings, 'warning')}"
    )


def _changes_line(summary: DigestSummary) -> str:
    if summary.checked_at is None:
        return "Not checked yet."
    if not summary.changes:
        return "Since the last check: no change."
    parts = []
    for kind, word in (("new", "new"), ("worsened", "worse"), ("returned", "back"), ("resolved", "resolved")):
        labels = [c.label for c in summary.changes if c.kind == kind]
        if labels:
            shown = ", ".join(kit.escape(label) for label in labels[:5])
            more = f" and {len(labels) - 5} more" if len(labels) > 5 else ""
            parts.append(f"{len(labels)} {word} ({shown}{more})")
    return "Since the last check: " + "; ".join(parts) + "."


def digest_text(summary: DigestSummary) -> str:
    return f"{digest_headline(summary)}\n{_changes_line(summary)}"


def digest_message(channel: str, summary: DigestSummary) -> dict[str, Any]:
    """chat.postMessage kwargs of a pair's digest (chat.update uses the same, with `ts`); each flag is a reply
    in its thread. Times are the marketplace's local time."""
    code = summary.marketplace
    blocks: list[kit.Block] = [kit.section(digest_headline(summary)), kit.section(_changes_line(summary))]
    if summary.check_failed:
        blocks.append(
            kit.section(f":warning: The last check could not read the report: {kit.escape(summary.check_failed)}")
        )
    when = []
    if summary.checked_at:
        when.append(f"Last check {format_local(summary.checked_at, code)}")
    if summary.event and summary.event_at:
        when.append(f"{kit.escape(summary.event)} at {format_local(summary.event_at, code)}")
    if summary.next_check_at:
        when.append(f"next check {format_local(summary.next_check_at, code)}")
    when.append("each red flag is a reply in this thread")
    blocks.append(kit.context(" · ".join(when)))
    return kit.fit(
        {
            "channel": channel,
            "text": digest_text(summary),
            "blocks": blocks,
            "unfurl_links": False,
            "unfurl_media": False,
        }
    )


def mention_message(
    channel: str,
    thread_ts: str,
    summary: DigestSummary,
    owner_group: str | None,
    responders: Iterable[str],
    flags: list[RedFlag],
) -> dict[str, Any]:
    """The one reply of a check that calls the responders (a new red flag, or one that got past a threshold),
    broadcast to the channel with the digest's summary line."""
    labels = ", ".join(kit.escape(f.label) for f in flags[:5]) + (
        f" and {len(flags) - 5} more" if len(flags) > 5 else ""
    )
    text = f"{responder_mentions(owner_group, responders)} {digest_headline(summary)}\nNeeds a responder: {labels}."
    return kit.fit(
        {
            "channel": channel,
            "thread_ts": thread_ts,
            "reply_broadcast": True,
            "text": text,
            "blocks": [kit.section(text)],
        }
    )


def responders_only_text(account: str, code: str, people: list[str], groups: list[str], admins: list[str]) -> str:
    """The ephemeral refusal of an alert button pressed by someone who is not a responder: who can act."""
    who = [kit.group_mention(g) for g in groups[:6]] + [kit.mention(u) for u in people[:6]]
    if admins:
        who.append("an admin (" + ", ".join(kit.mention(a) for a in admins[:6]) + ")")
    names = ", ".join(who) or "nobody is configured yet: an admin can add `responders` to the marketplace"
    return (
        f":no_entry: Only the responders of {kit.escape(account)} {kit.escape(code)} can acknowledge, snooze or "
        f"assign its alerts; nothing was changed. Who can: {names}."
    )


# ---- /health -----------------------------------------------------------------------------------------------------


class PairState(BaseModel):
    """What `/health` knows about one account × marketplace, from the store only.

    `checked_at` is the last snapshot's time; `last_success_at` the check bookkeeping's (handlers/health/
    check_state.py); the later of the two is when the metrics were last read successfully."""

    account: str
    account_name: str = ""
    marketplace: str
    channel: str = ""
    account_status: str | None = None
    checked_at: datetime | None = None
    metrics: dict[str, MetricValue] = {}
    alerts: list[AlertRecord] = []
    last_attempt_at: datetime | None = None
    last_success_at: datetime | None = None
    last_failure_at: datetime | None = None
    failure_reason: str | None = None
    checking: bool = False
    trends: list[str] = []  # trend warnings between the last two snapshots
    stale_after: timedelta = timedelta(hours=12)
    as_of: datetime | None = None  # when the state was read (None: now)

    @property
    def critical(self) -> int:
        return sum(a.severity == "critical" for a in self.alerts)

    @property
    def warning(self) -> int:
        return sum(a.severity == "warning" for a in self.alerts)

    @property
    def succeeded_at(self) -> datetime | None:
        """When the metrics were last read successfully (a snapshot exists only for a successful check)."""
        times = [_utc(t) for t in (self.last_success_at, self.checked_at) if t is not None]
        return max(times) if times else None

    @property
    def failed(self) -> bool:
        if self.last_failure_at is None:
            return False
        done = self.succeeded_at
        return done is None or _utc(self.last_failure_at) >= done

    @property
    def stale(self) -> bool:
        done = self.succeeded_at
        return done is not None and _utc(self.as_of or datetime.now(UTC)) - done > self.stale_after

    @property
    def condition(self) -> Condition:
        """One word for the pair; the freshness of what is known comes first, then what it says."""
        if self.checking:
            return "checking"
        if self.failed:
            return "failed"
        if self.succeeded_at is None:
            return "not_checked"
        if self.stale:
            return "stale"
        if self.critical or self.account_status not in (None, "NORMAL"):
            return "red_flags"
        if self.alerts or self.trends:
            return "at_risk"
        return "healthy"

    def rank(self) -> tuple:
        """Worst first: account status, critical then warning alerts, then by condition."""
        status = STATUS_RANK.get(self.account_status or "NORMAL", 1)
        order = CONDITION_ORDER.index(self.condition)
        return (-status, -self.critical, -self.warning, order, self.account, self.marketplace)

    def _flag_counts(self) -> str:
        counts = []
        if self.critical:
            counts.append(f"{self.critical} critical")
        if self.warning:
            counts.append(f"{self.warning} warning")
        return ", ".join(counts)

    def headline(self) -> str:
        condition = self.condition
        emoji = CONDITION_EMOJI[condition]
        if self.critical:
            emoji = ":red_circle:"
        parts = [CONDITION_LABEL[condition]]
        if self.account_status:
            parts.append(f"account {self.account_status}")
        counts = self._flag_counts()
        if counts:
            parts.append(f"{counts} open")
        elif condition == "healthy":
            parts.append("no open red flags")
        elif condition == "stale":
            parts.append("no open red flags at the last successful check")
        if self.trends:
            parts.append(f"{len(self.trends)} trend warning{'s' if len(self.trends) != 1 else ''}")
        done = self.succeeded_at
        if done is not None:
            parts.append(f"checked {format_local(done, self.marketplace)}")
        text = " · ".join(kit.escape(p) for p in parts)
        return f"{emoji} *{kit.escape(self.account)}* {kit.escape(self.marketplace)} — {text}"


Condition = Literal["red_flags", "failed", "at_risk", "stale", "not_checked", "checking", "healthy"]
CONDITION_ORDER: tuple[Condition, ...] = get_args(Condition)
CONDITION_LABEL: dict[Condition, str] = {
    "red_flags": "red flags open",
    "failed": "last check failed",
    "at_risk": "at risk",
    "stale": "stale",
    "not_checked": "not checked yet",
    "checking": "checking now",
    "healthy": "healthy",
}
CONDITION_EMOJI: dict[Condition, str] = {
    "red_flags": ":red_circle:",
    "failed": ":x:",
    "at_risk": ":large_orange_circle:",
    "stale": ":hourglass:",
    "not_checked": ":white_circle:",
    "checking": ":hourglass_flowing_sand:",
    "healthy": ":large_green_circle:",
}


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _ago(delta: timedelta) -> str:
    return duration(max(delta, timedelta(0))) + " ago"


def _metric_lines(metrics: dict[str, MetricValue]) -> list[str]:
    lines = []
    for metric in sorted(metrics):
        mv = metrics[metric]
        ok = meets(mv.value, mv.target, mv.condition) and mv.status != "BAD"
        lines.append(
            f"{':white_check_mark:' if ok else ':x:'} {kit.escape(label_for(metric))}: {pct(mv.value)} "
            f"(target {kit.escape(fmt_target(metric, mv.target, mv.condition))})"
        )
    return lines


def _freshness_lines(state: PairState, now: datetime) -> list[str]:
    """What is known about the checks themselves: running, failed (why), stale, never."""
    pair = f"{kit.escape(state.account)} {kit.escape(state.marketplace)}"
    done = state.succeeded_at
    lines = []
    if state.checking:
        since = f" (started {format_local(state.last_attempt_at, state.marketplace)})" if state.last_attempt_at else ""
        lines.append(f":hourglass_flowing_sand: A check is running now{since}; run `/health {pair}` again in a minute.")
    if state.failed and state.last_failure_at is not None:
        reason = kit.escape(kit.clip(state.failure_reason or "no reason recorded", 500))
        lines.append(
            f":x: *Last check failed* {format_local(state.last_failure_at, state.marketplace)}: {reason}"
            + ("" if done else "\nNo check has succeeded yet, so nothing is known about this pair's metrics.")
        )
    if done is None and not state.failed:
        lines.append(
            "Not checked yet: no report has been read for this pair, so nothing is known about its metrics."
            + ("" if state.checking else f" Run `/health check {pair}`.")
        )
    elif done is not None and state.stale:
        lines.append(
            f":hourglass: *Stale*: the last successful check was {_ago(now - done)} "
            f"({format_local(done, state.marketplace)}); scheduled checks run every "
            f"{duration(state.stale_after / 2)}. Run `/health check {pair}`."
        )
    return lines


def state_blocks(state: PairState, *, now: datetime | None = None) -> list[kit.Block]:
    now = _utc(now or state.as_of or datetime.now(UTC))
    blocks: list[kit.Block] = [
        kit.header(f"Account health: {state.account} {state.marketplace}"),
        kit.section(state.headline()),
    ]
    fresh = _freshness_lines(state, now)
    if fresh:
        blocks.append(kit.section("\n".join(fresh)))
    done = state.succeeded_at
    if done is not None:
        blocks.append(
            kit.context(
                f"Last successful check {format_local(done, state.marketplace)} · alerts go to {_channel(state.channel)}"
            )
        )
        lines = _metric_lines(state.metrics)
        if lines:
            blocks.append(kit.section("*Rate metrics (last successful check)*\n" + "\n".join(lines)))
    if state.trends:
        blocks.append(
            kit.section("*Trend*\n" + "\n".join(f":chart_with_upwards_trend: {kit.escape(t)}" for t in state.trends))
        )
    if state.alerts:
        lines = [f"*Open red flags ({len(state.alerts)})*"]
        for a in sorted(state.alerts, key=lambda r: (r.severity != "critical", r.metric)):
            lines.append(
                f"{SEVERITY_EMOJI.get(a.severity, '')} {kit.escape(kit.clip(a.flag.message, 500))}\n"
                f"      _{state_line(a, now)}_"
            )
        where = (
            f"each one is posted in {_channel(state.channel)}" if state.channel else "each one was posted as an alert"
        )
        blocks += kit.sections(lines, budget=LIST_BUDGET, more=where)
    return blocks


def _counts(states: list[PairState]) -> dict[Condition, int]:
    counts: dict[Condition, int] = dict.fromkeys(CONDITION_ORDER, 0)
    for s in states:
        counts[s.condition] += 1
    return counts


def _counts_line(counts: dict[Condition, int]) -> str:
    words = {**CONDITION_LABEL, "failed": "failed"}
    return " · ".join(f"{counts[c]} {words[c]}" for c in CONDITION_ORDER if counts[c]) or "no pairs"


def summary_blocks(states: Iterable[PairState], *, limit: int = 40) -> list[kit.Block]:
    ordered = sorted(states, key=lambda s: s.rank())
    counts = _counts(ordered)
    # Everything but a fresh, successful, clean check is listed: unknown is not the same as fine.
    listed = [s for s in ordered if s.condition != "healthy" or s.alerts]
    blocks: list[kit.Block] = [
        kit.header(f"Account health: {len(ordered)} account × marketplace pairs"),
        kit.context(f"{_counts_line(counts)} · worst first"),
    ]
    shown = listed[:limit]
    blocks += kit.sections(
        [s.headline() for s in shown], budget=LIST_BUDGET, more="use `/health ACCOUNT [MARKETPLACE]` for one."
    )
    if len(listed) > limit:
        blocks.append(
            kit.context(f"…and {len(listed) - limit} more not healthy; use `/health ACCOUNT [MARKETPLACE]` for one.")
        )
    if counts["not_checked"] or counts["stale"] or counts["failed"]:
        blocks.append(kit.context("`/health check [ACCOUNT] [MARKETPLACE]` runs a check now."))
    if ordered and counts["healthy"] == len(ordered):
        blocks.append(kit.section(":white_check_mark: No open red flags on any account; every pair checked recently."))
    return kit.fit_blocks(blocks, more="use `/health ACCOUNT [MARKETPLACE]` for one.")


def summary_text(states: list[PairState]) -> str:
    return f"Account health: {len(states)} account × marketplace pairs: {_counts_line(_counts(states))}."


# ---- /health check ---------------------------------------------------------------------------------------------


def check_started(label: str, pairs: int) -> dict[str, Any]:
    """The ack of `/health check`."""
    return kit.message(
        f"Starting a health check for {kit.escape(label)} ({pairs} account × marketplace "
        f"pair{'s' if pairs != 1 else ''}); progress follows in this channel, red flags go to "
        f"each account's alert channel."
    )


def check_line(account: str, code: str, outcome: CheckOutcome, posted: int) -> str:
    """One pair's result in the progress message."""
    if outcome.status == "unreadable":
        return f":warning: {_pair(account, code)}: report unreadable — {kit.escape(kit.clip(outcome.error or '', 300))}"
    icon = (
        ":red_circle:"
        if any(f.severity == "critical" for f in outcome.flags)
        else (":large_orange_circle:" if outcome.flags else ":white_check_mark:")
    )
    return (
        f"{icon} {_pair(account, code)}: {kit.escape(outcome.account_status or 'status unknown')}, "
        f"{len(outcome.flags)} red flag(s), "
        f"{len(outcome.warnings)} trend warning(s); {posted} new post(s)"
    )


def check_pending_line(account: str, code: str) -> str:
    return (
        f":hourglass: {_pair(account, code)}: Amazon is still building the "
        f"report; run `/health check {_pair(account, code)}` again in a minute "
        f"(the same report is picked up, not requested again)."
    )


def check_failed_line(account: str, code: str, reason: str) -> str:
    return f":x: {_pair(account, code)}: {kit.escape(kit.clip(reason, 300))}"


def check_progress(label: str, done: int, total: int, lines: list[str]) -> str:
    head = f":hourglass_flowing_sand: Health check for {kit.escape(label)}: {done} of {total} done…"
    return head + ("\n" + "\n".join(lines) if done else "")


def check_finished(label: str, total: int, lines: list[str], *, left: int, queued: bool) -> str:
    note = ""
    if left:
        note = (
            f"\n{left} more pair(s) queued for the background worker; their alerts will follow."
            if queued
            else f"\nOut of time; {left} pair(s) not checked: run `/health check ACCOUNT` for them."
        )
    return (
        f"Health check for {kit.escape(label)} finished: {total - left} of {total} checked.\n" + "\n".join(lines) + note
    )
