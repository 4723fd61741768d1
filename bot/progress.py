"""One progress message for long work: posted once, then edited in place, so a channel sees a
single message that keeps changing instead of a stream of updates."""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot.views import kit

log = logging.getLogger("sellerbot.progress")


class ProgressMessage:
    def __init__(self, client: WebClient, channel: str, ts: str | None = None, *, what: str = "progress") -> None:
        self.client, self.channel, self.ts, self.what = client, channel, ts, what

    def show(self, text: str) -> None:
        text = kit.clip(text, kit.MESSAGE_TEXT_LIMIT)
        try:
            if self.ts is None:
                self.ts = self.client.chat_postMessage(channel=self.channel, text=text)["ts"]
            else:
                self.client.chat_update(channel=self.channel, ts=self.ts, text=text)
        except Exception as exc:
            log.warning("%s update failed: %s", self.what, type(exc).__name__)
