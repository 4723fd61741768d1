"""`/affiliates [ACCOUNT] [MARKETPLACE] [7d|30d|FROM..TO] [per-tag]` and `/affiliates tags …` (issue 22).

The ack parses (config only, no I/O), checks that the caller may use the account × marketplace
(`deps.access`, again in the lazy listener: Bolt runs it even when the ack refused) and answers at once;
the lazy listener asks Amazon Attribution through `deps.affiliates` and answers privately. When that
takes longer than SELLERBOT_AFFILIATES_PROGRESS_SECONDS (2 s), the caller gets one progress line
first (ephemeral, through the response_url: a report is private, so nothing is posted in the channel).

Defaults, like `/promo report`: the channel's account (else the caller's first), its first marketplace
where Attribution exists, the last 30 days in the marketplace's time zone.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from pydantic import BaseModel
from slack_bolt import Ack, Respond

from bot.affiliates_service import marketplace_zone
from bot.commands import UsageError
from bot.deps import Deps
from bot.listeners.affiliates_routes import TAGS, USAGE
from bot.listeners.common import parsed_again, parsed_or_refused, user_facing
from bot.views import kit
from bot.views.affiliates import progress_text, report_message, tags_message, unavailable
from handlers.affiliates.models import ATTRIBUTION_MARKETPLACES, AffiliatesUnavailable, Period
from handlers.affiliates.period import DEFAULT_PERIOD, PeriodError, parse_period
from infra.accounts import AccountConfig
from infra.marketplaces import MARKETPLACES

log = logging.getLogger("sellerbot.affiliates")

MAX_TEXT_CHARS = 300  # the longest useful command is ~120 characters
MAX_PUBLISHER_CHARS = 100
PER_TAG_WORDS = frozenset({"per-tag", "--per-tag", "by-tag", "--by-tag"})
_PERIOD_LIKE = re.compile(r"^(\d{1,4}d|\d{4}-\S*)$", re.IGNORECASE)
_ASIN = re.compile(r"^[A-Z0-9]{10}$")


def progress_after_seconds() -> float:
    return float(os.environ.get("SELLERBOT_AFFILIATES_PROGRESS_SECONDS", "2"))


class AffiliatesRequest(BaseModel):
    account: str
    marketplace: str
    period: Period | None = None  # reports only
    by_tag: bool = False
    tags: bool = False
    publisher: str | None = None
    asin: str | None = None

    def label(self) -> str:
        return f"{self.account} {self.marketplace}"


class _Words(BaseModel):
    account: AccountConfig | None = None
    marketplace: str | None = None
    period: str | None = None
    by_tag: bool = False
    asin: str | None = None
    rest: list[str] = []


def _is_marketplace(word: str) -> bool:
    code = word.upper()
    return len(code) == 2 and (code in MARKETPLACES or code in ATTRIBUTION_MARKETPLACES)


def _words(text: str, deps: Deps, command: dict, *, tags: bool) -> _Words:
    out = _Words()
    words = text.split()
    i = 0
    while i < len(words):
        word, low = words[i], words[i].lower()
        if tags and low == "--asin":
            asin = words[i + 1].upper() if i + 1 < len(words) else ""
            if not _ASIN.match(asin):
                raise UsageError("--asin takes a 10-character ASIN, e.g. `--asin B0EXAMPLE1`.", TAGS.usage)
            out.asin, i = asin, i + 2
            continue
        if not tags and low in PER_TAG_WORDS:
            out.by_tag = True
        elif out.account is None and out.marketplace is None and not out.rest and deps.accounts.get(low):
            out.account = deps.accounts.get(low)
        elif out.marketplace is None and not out.rest and _is_marketplace(word):
            out.marketplace = word.upper()
        elif not tags and out.period is None and _PERIOD_LIKE.match(word):
            out.period = word
        elif tags:
            out.rest.append(word)
        elif out.account is None and out.marketplace is None and out.period is None:
            deps.access.lookup(command, word[:40], USAGE)  # raises: its error names only the caller's accounts
        else:
            raise UsageError(f"I can't read `{kit.escape(word[:30])}` here.", USAGE)
        i += 1
    return out


def _marketplace(account: AccountConfig, named: str | None) -> str:
    have = [m.code for m in account.marketplaces]
    if named is not None:
        if named not in ATTRIBUTION_MARKETPLACES:
            raise UsageError(
                f"Amazon Attribution exists only for {', '.join(ATTRIBUTION_MARKETPLACES)}, not for `{named}`: "
                "name one of those marketplaces.",
                USAGE,
            )
        if named not in have:
            raise UsageError(
                f"Account `{account.account_id}` has no marketplace `{named}`; it has {', '.join(have)}.", USAGE
            )
        code = named
    else:
        code = next((c for c in have if c in ATTRIBUTION_MARKETPLACES), have[0] if have else "")
    if code not in ATTRIBUTION_MARKETPLACES:
        raise UsageError(
            f"Amazon Attribution exists only for {', '.join(ATTRIBUTION_MARKETPLACES)}; `{account.account_id}` "
            f"{code or 'has no marketplace'} is not one of them. Name one of those marketplaces if the account "
            "sells there."
        )
    return code


def parse_affiliates(text: str, deps: Deps, command: dict) -> AffiliatesRequest:
    """The validated request, or UsageError saying what to type; holds the access rule."""
    text = text or ""
    if len(text) > MAX_TEXT_CHARS:
        raise UsageError(f"That is longer than /affiliates reads ({MAX_TEXT_CHARS} characters).", USAGE)
    words = text.split()
    tags = bool(words) and words[0].lower() == "tags"
    if tags:
        text = text.strip()[4:]
    if words[tags:] and words[tags].lower() in ("help", "-h", "--help"):
        raise UsageError("How to use /affiliates:", USAGE)
    w = _words(text, deps, command, tags=tags)
    account = w.account or deps.access.default_account(command)
    marketplace = _marketplace(account, w.marketplace)
    deps.access.require(command, account, marketplace)
    if tags:
        publisher = " ".join(w.rest)[:MAX_PUBLISHER_CHARS] or None
        return AffiliatesRequest(
            account=account.account_id, marketplace=marketplace, tags=True, publisher=publisher, asin=w.asin
        )
    now = datetime.fromtimestamp(deps.clock(), UTC)
    try:
        period = parse_period(w.period or DEFAULT_PERIOD, marketplace_zone(marketplace), now)
    except PeriodError as exc:
        raise UsageError(str(exc), USAGE) from None
    return AffiliatesRequest(account=account.account_id, marketplace=marketplace, period=period, by_tag=w.by_tag)


class _Progress:
    """One progress line if the work outlasts `after` seconds; never after the answer."""

    def __init__(self, respond: Respond, text: str, after: float) -> None:
        self.respond, self.text = respond, text
        self.lock, self.done = threading.Lock(), False
        self.timer = threading.Timer(after, self._show)
        self.timer.daemon = True

    def _show(self) -> None:
        with self.lock:
            if self.done:
                return
            try:
                self.respond(**kit.message(self.text))
            except Exception as exc:  # a lost progress line must not fail the report
                log.warning("affiliates progress line failed: %s", type(exc).__name__)

    def finish(self) -> None:
        with self.lock:
            self.done = True
        self.timer.cancel()


@contextmanager
def progress(respond: Respond, text: str, after: float | None = None) -> Iterator[None]:
    shown = _Progress(respond, text, progress_after_seconds() if after is None else after)
    shown.timer.start()
    try:
        yield
    finally:
        shown.finish()


class AffiliatesListeners:
    """Lazy methods keep Bolt-unique names: Bolt finds lazy listeners by name."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def parser(self, command: dict) -> Callable[[str], AffiliatesRequest]:
        return lambda text: parse_affiliates(text, self.deps, command)

    def _account(self, request: AffiliatesRequest) -> AccountConfig:
        account = self.deps.accounts.get(request.account)
        if account is None:  # parsed from the same config a moment ago
            raise UsageError(f"Account `{request.account}` is no longer configured.", USAGE)
        return account

    # -- report -----------------------------------------------------------------------------------------
    def ack_affiliates(self, ack: Ack, command: dict) -> None:
        request = parsed_or_refused(ack, self.parser(command), command)
        if request is None or request.period is None:
            return
        per = " per tag" if request.by_tag else ""
        ack(
            **kit.message(
                f"Asking Amazon Attribution for {kit.escape(request.label())}{per}, "
                f"{request.period.start}..{request.period.end}…"
            )
        )

    @user_facing
    def run_affiliates(self, respond: Respond, command: dict) -> None:
        request = parsed_again(self.parser(command), command)
        if request is None or request.period is None:
            return
        account = self._account(request)
        with progress(respond, progress_text(request.account, request.marketplace)):
            result = self.deps.affiliates.report(account, request.marketplace, request.period, by_tag=request.by_tag)
        if isinstance(result, AffiliatesUnavailable):
            log.info("affiliates unavailable for %s: %s", request.label(), result.reason)
            respond(**unavailable(result))
            return
        respond(**report_message(result, by_tag=request.by_tag))

    # -- tags -------------------------------------------------------------------------------------------
    def ack_affiliate_tags(self, ack: Ack, command: dict) -> None:
        request = parsed_or_refused(ack, self.parser(command), command)
        if request is None:
            return
        whose = f" for {kit.escape(request.publisher)}" if request.publisher else ""
        ack(**kit.message(f"Asking Amazon Attribution for the tags of {kit.escape(request.label())}{whose}…"))

    @user_facing
    def run_affiliate_tags(self, respond: Respond, command: dict) -> None:
        request = parsed_again(self.parser(command), command)
        if request is None:
            return
        account = self._account(request)
        with progress(respond, progress_text(request.account, request.marketplace)):
            result = self.deps.affiliates.tags(account, request.marketplace, request.publisher, request.asin)
        if isinstance(result, AffiliatesUnavailable):
            respond(**unavailable(result))
            return
        respond(**tags_message(result, request.account, request.marketplace, request.publisher))
