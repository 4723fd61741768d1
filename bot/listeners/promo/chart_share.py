"""The "Share in channel" button under a private `/promo report` chart (issue 17 item 6).

The charts function put the chart in the requester's DM with the bot and offered them this button, only
to them, in the channel the command ran in. Pressing it posts the same PNG there: only the requester may,
the share is claimed with a conditional write first (a double click shares once) and audited
(handlers/promo/chart_share.py). The PNG is copied from the DM (download, then upload to the channel), so
this function never draws and never imports the chart stack.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from slack_bolt import Ack, Respond

from bot.deps import Deps
from bot.listeners.common import user_facing
from bot.listeners.promo.report_file import ReportFileError, download_file
from bot.views import kit
from bot.views.promo import chart_share_comment, chart_shared
from handlers.promo.chart_share import ShareTicket, claim, release, shared_by

log = logging.getLogger("sellerbot.promo")
NOT_IN_CHANNEL = {"not_in_channel", "channel_not_found", "is_archived"}


class ShareFailed(Exception):
    """What the requester is told (words, never exception text)."""


class ChartShare:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def ack(self, ack: Ack) -> None:
        ack()

    @user_facing
    def run_share(self, respond: Respond, body: dict) -> None:
        action = (body.get("actions") or [{}])[0]
        user = str((body.get("user") or {}).get("id") or "")
        channel = str((body.get("channel") or {}).get("id") or "")
        ticket = ShareTicket.parse(str(action.get("value") or ""))
        if ticket is None or ticket.channel != channel:
            respond(**kit.error("This button no longer works; run `/promo report CODE` again to get a new chart."))
            return
        if user != ticket.requester:
            respond(
                **kit.error(
                    f"Only {kit.mention(ticket.requester)} can share this chart; "
                    f"run `/promo report {ticket.code}` to get your own."
                )
            )
            return
        now = datetime.fromtimestamp(self.deps.clock(), UTC)
        if not claim(self.deps.store, ticket, by=user, now=now):
            by = shared_by(self.deps.store, ticket)
            who = "you" if by == user else kit.mention(by)
            respond(**kit.message(f"This chart was already shared in this channel by {who}."))
            return
        try:
            self._post(ticket, user)
        except ShareFailed as exc:
            release(self.deps.store, ticket, by=user, now=now, reason=str(exc))
            respond(**kit.error(f"The chart was not shared: {exc}"))
            return
        respond(**chart_shared(ticket.code, user), replace_original=True)

    def _post(self, ticket: ShareTicket, user: str) -> None:
        """Copy the PNG from the requester's DM to the channel; ShareFailed saying why not."""
        slack = self.deps.slack
        try:
            dm = str(slack.conversations_open(users=ticket.requester)["channel"]["id"])
            info = slack.files_info(file=ticket.file_id)["file"]
        except Exception as exc:
            log.warning("chart to share not found: %s", type(exc).__name__)
            raise ShareFailed("Slack cannot find it any more; run the report again.") from None
        # Only the chart sellerbot put in this requester's DM: the value cannot point the bot at another file.
        if dm not in {*info.get("channels", []), *info.get("ims", []), *info.get("groups", [])}:
            raise ShareFailed("it is not the chart sellerbot sent you; run the report again.")
        try:
            png = download_file(self.deps, info)
        except ReportFileError:
            raise ShareFailed("Slack did not hand over the picture; try the button again in a minute.") from None
        try:
            slack.files_upload_v2(
                channel=ticket.channel,
                content=png,
                filename=str(info.get("name") or f"promo-{ticket.code.lower()}.png"),
                title=str(info.get("title") or f"{ticket.code} daily orders"),
                initial_comment=chart_share_comment(ticket.code, user),
            )
        except Exception as exc:
            error = str((getattr(getattr(exc, "response", None), "data", None) or {}).get("error", ""))
            log.warning("chart share upload refused: %s", error or type(exc).__name__)
            if error in NOT_IN_CHANNEL:
                raise ShareFailed("sellerbot is not in this channel; invite it and press the button again.") from None
            raise ShareFailed("Slack did not take the upload; press the button again in a minute.") from None
