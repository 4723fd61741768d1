"""`/promo report` (the promo-code sales CSV a user uploaded) and `/promo deals` (SP-API's
promotion performance report): both answer in the ack at once and do the slow part lazily.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime

from slack_bolt import Ack, Respond

from bot.affiliates_service import beside_promo
from bot.commands import UsageError
from bot.jobs.charts import promo_chart_job, request_chart
from bot.listeners.common import parsed_again, parsed_or_refused, user_facing
from bot.listeners.promo.context import PromoWorkflow, user_of
from bot.listeners.promo.parsing import REPORT, Words, parse_deals, parse_report_command, resolve_account, scope
from bot.listeners.promo.report_file import ReportFileError, download_file, pick_report_file
from bot.views import kit
from bot.views.affiliates import promo_panel
from bot.views.promo import (
    deals_failed,
    deals_need_brand_registry,
    deals_pending,
    deals_summary,
    report_coverage,
    report_notes,
    report_summary,
)
from handlers.health.fetch import ReportPending, await_report, download_report
from handlers.health.report import GZIP_MAGIC, ReportUnreadable, gunzip_bounded
from handlers.promo import service
from handlers.promo.models import Promotion
from handlers.promo.performance import PerformanceReportInvalid, parse_performance_report
from handlers.promo.report import CodeNotFound, PromoReport, ReportRejected, coverage, parse_report
from infra.accounts import AccountConfig
from infra.marketplaces import local, local_today
from infra.spapi.errors import SpApiError, status_of

PERFORMANCE_REPORT = "GET_PROMOTION_PERFORMANCE_REPORT"
log = logging.getLogger("sellerbot.promo")


def _unreadable_kind(reason: str) -> str:
    """Amazon's processingStatus behind a ReportUnreadable (handlers/health/fetch.py names it in the reason)."""
    if "CANCELLED" in reason:  # Amazon's "no data" as well as a cancel (selling-partner-api-models#393)
        return "none"
    return "fatal" if "FATAL" in reason else "unreadable"


def _spapi_kind(exc: Exception) -> str | None:
    """The sentence key for an SP-API failure; None for anything that is not one (a bug: user_facing tells it)."""
    status = status_of(exc)
    if status is None and not isinstance(exc, SpApiError):
        return None
    if status in (401, 403):
        return "forbidden"
    return "throttled" if status == 429 else "unavailable"


class PromoReports:
    """Lazy methods keep Bolt-unique names: Bolt finds lazy listeners by name."""

    def __init__(self, workflow: PromoWorkflow) -> None:
        self.workflow, self.deps = workflow, workflow.deps

    def _parse_deals(self, command: dict) -> Callable[[str], tuple[AccountConfig, str, str | None]]:
        return lambda text: parse_deals(text, self.deps, command)

    def _parse_report(self, command: dict) -> Callable[[str], Words]:
        """`/promo report` words, once the caller may use the `--account` they name."""

        def parse(text: str) -> Words:
            w = parse_report_command(text)
            if w.options.get("--account"):
                resolve_account(self.deps, w.options["--account"], command)
            return w

        return parse

    # -- report -------------------------------------------------------------------------------------
    def ack_report(self, ack: Ack, command: dict) -> None:
        w = parsed_or_refused(ack, self._parse_report(command), command)
        if w is None:
            return
        source = f"file {w.positionals[1]}" if len(w.positionals) > 1 else "the latest CSV/TSV uploaded to this channel"
        ack(**kit.message(f"Reading the promo report for {w.positionals[0].upper()} from {source}…"))

    @user_facing
    def run_report(self, respond: Respond, command: dict) -> None:
        w = parsed_again(self._parse_report(command), command)
        if w is None:
            return
        user, channel = user_of(command), command.get("channel_id", "")
        code = w.positionals[0].upper()
        accounts = scope(self.deps, w.options.get("--account"), command)
        known = [(a, p) for a, p in self.workflow.find(accounts, code)]
        visible = [p for a, p in known if service.can_view(a, user, p)]
        if known and not visible:
            respond(
                **kit.error(f"Promo code {code} belongs to another requester; ask them or an approver for its report.")
            )
            return
        promo = visible[0] if visible else None
        # The marketplace the file is read for (its local days, its currency when the file names none): the
        # promotion's, else the first marketplace of the caller's (or the named) account.
        marketplace = promo.marketplace if promo else (accounts[0].marketplaces[0].code if accounts else None)
        read = self._read_report(
            respond, channel, code, w.positionals[1] if len(w.positionals) > 1 else None, marketplace
        )
        if read is None:
            return
        name, report = read
        # Amazon Attribution for the same marketplace and days, beside the referred share: a separate statistic,
        # never joined to the code.
        account = next((a for a, p in known if p is promo), accounts[0] if accounts else None)
        panel = beside_promo(lambda: self.deps.affiliates, account, marketplace, report.first_day, report.last_day)
        text, blocks = report_summary(report, name, beside_referred=promo_panel(*panel))
        if promo is not None:
            blocks += self._coverage(report, promo)
        blocks += report_notes(report, name, code, requested=bool(known))
        respond(**kit.message(text, blocks))
        if report.daily:
            self._upload_chart(respond, command, code, report, text)

    def _coverage(self, report: PromoReport, promo: Promotion) -> list[dict]:
        """The warning when the file misses days of the promotion's window so far (its marketplace's local days)."""
        mkt = promo.marketplace
        now = datetime.fromtimestamp(self.deps.clock(), UTC)
        start = local(promo.start, mkt).date()
        end = min(local(promo.end, mkt).date(), local_today(now, mkt))
        if end < start:  # not started yet: no day can be missing
            return []
        return report_coverage(coverage(report, start, end), promo.code, mkt)

    def _read_report(
        self, respond: Respond, channel: str, code: str, file_id: str | None, marketplace: str | None
    ) -> tuple[str, PromoReport] | None:
        """(file name, report) of the file uploaded to `channel`; None once the user was told why not."""
        try:
            info = pick_report_file(self.deps, channel, file_id)
            raw = download_file(self.deps, info)
        except ReportFileError as exc:
            respond(**kit.error(str(exc), REPORT.usage))
            return None
        name = str(info.get("name") or info.get("id"))
        try:
            return name, parse_report(raw, code=code, marketplace=marketplace)
        except CodeNotFound as exc:
            respond(
                **kit.error(
                    f"`{kit.escape(name)}` has no sales for promo code {code}: {kit.escape(exc.reason)} "
                    f"Then upload it here and run `/promo report {code}` again."
                )
            )
        except ReportRejected as exc:
            respond(**kit.error(f"`{kit.escape(name)}` cannot be used as a promo report: {kit.escape(exc.reason)}"))
        return None

    def _upload_chart(self, respond: Respond, command: dict, code: str, report: PromoReport, text: str) -> None:
        # Drawn and uploaded by the charts function (the chart stack is not in this function's artifact);
        # it tells the user itself when the chart cannot be made.
        request_chart(self.deps, promo_chart_job(command, code, report.model_dump(mode="json"), text), respond)

    # -- deals (SP-API GET_PROMOTION_PERFORMANCE_REPORT) --------------------------------------------
    def ack_deals(self, ack: Ack, command: dict) -> None:
        parsed = parsed_or_refused(ack, self._parse_deals(command), command)
        if parsed is None:
            return
        account, code, report_id = parsed
        if not account.brand_registry:  # Amazon's report needs Brand Registry: say so rather than "no deals"
            ack(**deals_need_brand_registry(account.account_id))
            return
        what = f"report {report_id}" if report_id else "a promotion performance report"
        ack(
            **kit.message(
                f"Asking Amazon for {what} for {account.account_id}/{code}; Amazon usually needs a minute or more…"
            )
        )

    @user_facing
    def run_deals(self, respond: Respond, command: dict) -> None:
        parsed = parsed_again(self._parse_deals(command), command)
        if parsed is None:
            return
        account, code, report_id = parsed
        if not account.brand_registry:  # the ack said why
            return
        target = f"{account.account_id}/{code}"
        try:
            raw, report_id = self._performance_report(account, code, report_id)
        except ReportPending as exc:
            respond(**deals_pending(account.account_id, code, exc.report_id, exc.status))
            return
        except ReportUnreadable as exc:
            log.warning("deals report unusable for %s: %s", target, exc)
            respond(**deals_failed(_unreadable_kind(str(exc)), target))
            return
        except Exception as exc:  # SP-API's own errors: told by their HTTP status, never their text
            kind = _spapi_kind(exc)
            if kind is None:
                raise
            log.warning("deals report refused for %s: %s", target, type(exc).__name__)
            respond(**deals_failed(kind, target))
            return
        try:
            report = parse_performance_report(raw)
        except PerformanceReportInvalid as exc:
            log.warning("deals report %s unreadable: %s", report_id, exc.reason)
            respond(**deals_failed("unreadable", target))
            return
        respond(**deals_summary(report, target, report_id))

    def _performance_report(self, account: AccountConfig, code: str, report_id: str | None) -> tuple[bytes, str]:
        """The performance report's document (requested now unless `report_id` names one) and its id, waiting
        for Amazon within the lazy listener's time. Raises ReportPending or ReportUnreadable."""
        # Lazy: the adapter imports httpx (~60 ms of cold start); only `/promo deals` needs it.
        from handlers.health.spapi_adapter import ReportsGateway

        marketplace = account.marketplace(code)
        if marketplace is None:  # parse_deals checked it; the accounts file cannot change in between
            raise UsageError(f"Account `{account.account_id}` has no marketplace `{code}`.")
        poll = float(os.environ.get("SELLERBOT_PROMO_REPORT_POLL_SECONDS", "3"))
        budget = float(os.environ.get("SELLERBOT_LAZY_TIMEOUT_SECONDS", "29")) - 6
        gateway = ReportsGateway(self.deps.spapi)
        call = gateway.caller(account, code, deadline=self.deps.clock() + budget + 3)
        if report_id is None:
            body = {"reportType": PERFORMANCE_REPORT, "marketplaceIds": [marketplace.marketplace_id]}
            report_id = str(call("createReport", body=body).get("reportId") or "")
            if not report_id:
                raise ReportUnreadable("createReport returned no reportId")
        polls = max(1, int(budget // max(poll, 0.05)))
        document_id = await_report(call, report_id, sleep=time.sleep, poll_interval=poll, max_polls=polls)
        raw = download_report(call, gateway.download, document_id)
        return (gunzip_bounded(raw) if raw[:2] == GZIP_MAGIC else raw), report_id
