"""A stand-in AffiliatesService returning hand-built models (the service's own tests cover Amazon)."""

from __future__ import annotations

import threading
from typing import Any

from handlers.affiliates.models import TagLink
from tests.unit.affiliates_slack.support import report


class StandIn:
    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.result: Any = report()
        self.release: threading.Event | None = None

    def report(self, account, marketplace, period, *, by_tag=False):
        self.calls.append(("report", account.account_id, marketplace, str(period.start), str(period.end), str(by_tag)))
        if self.release is not None:
            assert self.release.wait(30)
        if isinstance(self.result, Exception):
            raise self.result
        return self.result

    def tags(self, account, marketplace, publisher, asin):
        self.calls.append(("tags", account.account_id, marketplace, str(publisher), str(asin)))
        url = "https://www.amazon.com/dp/B0EXAMPLE1?maas=m&tag=maas&aa_campaignid={campaignid}"
        return [TagLink(publisher="Google Ads", publisher_id="1", asin=asin, url=url, macro=True)]
