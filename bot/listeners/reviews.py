"""`/review ORDER_ID` and `/review sweep`: Amazon's "Request a Review", once per order (issue 4).

Account and marketplace: `--account A --marketplace M`; by default the first configured
account and its first marketplace (`--marketplace M` alone picks the first account selling in M).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from slack_bolt import Ack, App, Respond

from bot.commands import CommandSpec, UsageError, declare
from bot.deps import Deps
from bot.jobs.review_sweeps import SweepProgress, enqueue_continuation
from bot.listeners.common import parsed_again, parsed_or_refused, user_facing
from bot.listeners.routing import only_if
from bot.views import kit
from bot.views.reviews import review_outcome, sweep_paused
from handlers.reviews.command_words import CommandWords, parse_words
from handlers.reviews.errors import TargetError
from handlers.reviews.orders import InvalidOrderId, parse_order_id
from handlers.reviews.requests import ReviewRequestService
from handlers.reviews.spapi_adapter import SpApiReviewsAdapter
from handlers.reviews.sweep import SweepRunner
from handlers.reviews.target import Target, resolve_target

log = logging.getLogger("sellerbot.reviews")

REVIEW = declare(
    CommandSpec(
        "/review",
        "/review ORDER_ID [--account A] [--marketplace M]",
        "Ask Amazon to request a review for one order (5-30 days after delivery, once)",
    )
)
SWEEP = declare(
    CommandSpec(
        "/review",
        "/review sweep [--marketplace M] [--account A] [--dry-run]",
        "Request reviews for every eligible order; progress in one message",
    )
)
USAGE = (
    f"{REVIEW.usage}\n{SWEEP.usage}\nDefault: this channel's account, else the first account you are on, "
    "and its first marketplace."
)
# Lazy work shares the Slack function's timeout (serverless.yml: 29 s); the sweep stops before it.
LAZY_BUDGET_SECONDS = float(os.environ.get("SELLERBOT_LAZY_TIMEOUT_SECONDS", "29"))


def parse_review(text: str, deps: Deps, command: dict) -> tuple[CommandWords, Target]:
    """Validated words and a target the caller may use, or UsageError (AccessRefused is one); runs in the
    ack, before any API call, and again in the lazy listener."""
    try:
        words = parse_words(text)
        if not words.positionals:
            raise UsageError("ORDER_ID is missing.", USAGE)
        if words.positionals[0].lower() == "sweep":
            if len(words.positionals) > 1:
                raise UsageError(f"`/review sweep` takes no ORDER_ID (got `{words.positionals[1][:30]}`).", USAGE)
        else:
            if len(words.positionals) > 1:
                raise UsageError("Give one ORDER_ID per `/review`; use `/review sweep` for many.", USAGE)
            if words.dry_run:
                raise UsageError("--dry-run applies to `/review sweep` only.", USAGE)
            parse_order_id(words.positionals[0])
        if words.account:
            deps.access.lookup(command, words.account, USAGE)  # unknown: name only the caller's accounts
        target = resolve_target(
            deps.accounts if words.account else deps.access.scoped(command), words.account, words.marketplace
        )
    except (InvalidOrderId, TargetError) as exc:
        raise UsageError(str(exc), USAGE) from exc
    deps.access.require(command, target.account, target.code)
    return words, target


def is_sweep(body: dict) -> bool:
    words = (body.get("text") or "").split()
    return bool(words) and words[0].lower() == "sweep"


class ReviewListeners:
    """`/review ORDER_ID` and `/review sweep`; lazy methods keep Bolt-unique names."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def parser(self, command: dict) -> Callable[[str], tuple[CommandWords, Target]]:
        return lambda text: parse_review(text, self.deps, command)

    def adapter(self) -> SpApiReviewsAdapter:
        return SpApiReviewsAdapter(self.deps.spapi)

    # -- /review ORDER_ID ---------------------------------------------------------------------------
    def ack_review(self, ack: Ack, command: dict) -> None:
        parsed = parsed_or_refused(ack, self.parser(command), command)
        if parsed is None:
            return
        words, target = parsed
        ack(**kit.message(f"Checking order {words.positionals[0]} ({target.label()})…"))

    @user_facing
    def run_review(self, respond: Respond, command: dict) -> None:
        parsed = parsed_again(self.parser(command), command)
        if parsed is None:
            return  # the ack already showed the usage error; Bolt runs lazy listeners regardless
        words, target = parsed
        service = ReviewRequestService(self.deps.store, self.adapter(), self.deps.clock)
        outcome = service.request(
            target,
            words.positionals[0],
            command.get("user_id", "?"),
            source="slack",
            deadline=self.deps.clock() + LAZY_BUDGET_SECONDS - 3,
        )
        respond(**review_outcome(outcome))

    # -- /review sweep ------------------------------------------------------------------------------
    def ack_review_sweep(self, ack: Ack, command: dict) -> None:
        parsed = parsed_or_refused(ack, self.parser(command), command)
        if parsed is None:
            return
        words, target = parsed
        mode = " (dry run)" if words.dry_run else ""
        ack(**kit.message(f"Starting the review sweep{mode} for {target.label()}; progress follows in this channel."))

    @user_facing
    def run_review_sweep(self, respond: Respond, command: dict) -> None:
        started = self.deps.clock()
        parsed = parsed_again(self.parser(command), command)
        if parsed is None:
            return  # the ack already showed the usage error; Bolt runs lazy listeners regardless
        words, target = parsed
        user = command.get("user_id", "?")
        progress = SweepProgress(self.deps.slack, command.get("channel_id", ""))
        runner = SweepRunner(self.deps.store, self.adapter(), self.deps.clock)
        report = runner.run(
            target, user, dry_run=words.dry_run, deadline=started + LAZY_BUDGET_SECONDS, progress=progress
        )
        if report.status == "paused" and report.stop_reason == "deadline" and not report.dry_run:
            queued = enqueue_continuation(target, user, progress.channel, progress.ts)
            progress(report.model_copy(update={"status": "running"}), False)
            respond(**sweep_paused(report, continued=queued))
        elif progress.ts is None:
            respond(**kit.message(report.summary_text()))


def register(app: App, deps: Deps) -> None:
    r = ReviewListeners(deps)
    app.command("/review", middleware=only_if(is_sweep))(ack=r.ack_review_sweep, lazy=[r.run_review_sweep])
    app.command("/review")(ack=r.ack_review, lazy=[r.run_review])
