"""What the fake Attribution server knows: Ads apps, sellers' refresh tokens, profiles, advertisers,
publishers and daily per-tag (creative) figures, generated deterministically.

Rows are stored at the finest level Amazon reports (CREATIVE: one tag) with the day as an offset from
"today" (0 = today), so a seed file written once stays "the last 90 days" on any later day. Amounts
are integer cents; the server sums them into ad groups and campaigns as floats, the way Amazon's
captured rows carry float noise (amazon-attribution.md §3.1).
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

DEMO_CLIENT_ID = "amzn1.application-oa2-client.fakeadsdemo"
DEMO_CLIENT_SECRET = "fake-ads-client-secret"

# Publisher names as Amazon's rows carry them (amazon-attribution.md §3 shows Google Ads, Display - Other,
# Blogpost - Other); the rest follow Amazon's "<channel> - Other" naming and are illustrative.
DEMO_PUBLISHERS: tuple[tuple[str, str, bool], ...] = (
    ("1", "Google Ads", True),
    ("2", "Facebook", True),
    ("3", "Microsoft Advertising", True),
    ("4", "Pinterest", True),
    ("5", "TikTok", True),
    ("9", "Display - Other", False),
    ("10", "Blogpost - Other", False),
    ("11", "Email - Other", False),
    ("12", "Social - Other", False),
    ("13", "Video - Other", False),
)


@dataclass
class TagDay:
    """One tag (creative) on one day. `day` is days before today (0 = today)."""

    day: int
    campaign_id: str
    ad_group_id: str
    creative_id: str | None
    publisher: str
    clicks: int = 0
    dpv: int = 0
    atc: int = 0
    purchases: int = 0
    units: int = 0
    sales_cents: int = 0
    total_dpv: int = 0
    total_atc: int = 0
    total_purchases: int = 0
    total_units: int = 0
    total_sales_cents: int = 0
    brb_cents: int = 0


@dataclass
class FakeProfile:
    profile_id: int
    country_code: str  # Amazon's countryCode: GB for the UK store
    currency: str
    timezone: str
    marketplace_id: str
    region: str  # na | eu | fe: the only host that lists and accepts it
    account: str  # the seller (refresh token owner) it belongs to
    seller_id: str
    name: str
    eligible: bool = True  # False: Attribution answers 403 ("profile may not be eligible")
    sub_type: str | None = None  # "AMAZON_ATTRIBUTION" for a legacy Attribution-only profile
    advertiser_id: str = ""
    advertiser_name: str = ""
    brb_enrolled: bool = True  # False: brb_bonus_amount is silently omitted
    rows: list[TagDay] = field(default_factory=list)

    def as_amazon(self) -> dict[str, Any]:
        """The /v2/profiles item (Profiles spec fields)."""
        info: dict[str, Any] = {
            "marketplaceStringId": self.marketplace_id,
            "id": self.seller_id,
            "type": "seller",
            "name": self.name,
            "validPaymentMethod": True,
        }
        if self.sub_type:
            info["subType"] = self.sub_type
        return {
            "profileId": self.profile_id,
            "countryCode": self.country_code,
            "currencyCode": self.currency,
            "dailyBudget": 9.99999999e8,
            "timezone": self.timezone,
            "accountInfo": info,
        }


@dataclass
class AttributionData:
    apps: dict[str, str] = field(default_factory=lambda: {DEMO_CLIENT_ID: DEMO_CLIENT_SECRET})  # client id -> secret
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # refresh token -> account
    profiles: list[FakeProfile] = field(default_factory=list)
    publishers: list[tuple[str, str, bool]] = field(default_factory=lambda: list(DEMO_PUBLISHERS))

    def profile(self, profile_id: int) -> FakeProfile | None:
        return next((p for p in self.profiles if p.profile_id == profile_id), None)

    def to_json(self) -> str:
        return json.dumps(
            {
                "apps": self.apps,
                "refresh_tokens": self.refresh_tokens,
                "publishers": self.publishers,
                "profiles": [asdict(p) for p in self.profiles],
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> AttributionData:
        raw = json.loads(text)
        profiles = []
        for p in raw["profiles"]:
            rows = [TagDay(**r) for r in p.pop("rows")]
            profiles.append(FakeProfile(**p, rows=rows))
        return cls(
            apps=raw["apps"],
            refresh_tokens=raw["refresh_tokens"],
            publishers=[tuple(x) for x in raw["publishers"]],
            profiles=profiles,
        )

    @classmethod
    def load(cls, path: str | Path) -> AttributionData:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))

    @classmethod
    def demo(cls, days: int = 90, seed: int = 22, publishers: int = 10, tags_per_publisher: int = 2) -> AttributionData:
        """The demo accounts (infra/data/accounts.demo.json) with `days` of generated rows."""
        data = cls(refresh_tokens={demo_refresh_token("acme"): "acme", demo_refresh_token("globex"): "globex"})
        data.publishers = list(_publishers(publishers))
        specs = [
            # acme: US and CA (NA host), BRB enrolled; a legacy Attribution-only US profile to filter out.
            ("acme", 3312910465837761, "US", "USD", "America/Los_Angeles", "ATVPDKIKX0DER", "na", True, True),
            ("acme", 3312910465837762, "CA", "CAD", "America/Los_Angeles", "A2EUQ1WTGCTBG2", "na", True, True),
            # globex: UK and DE (EU host), not in the BRB programme; DE not eligible for Attribution.
            ("globex", 4412910465837761, "UK", "GBP", "Europe/London", "A1F83G8C2ARO7P", "eu", True, False),
            ("globex", 4412910465837762, "DE", "EUR", "Europe/Paris", "A1PA6795UKMFR9", "eu", False, False),
        ]
        rng = random.Random(seed)
        for n, (account, pid, country, cur, tz, mp, region, eligible, brb) in enumerate(specs):
            profile = FakeProfile(
                profile_id=pid,
                country_code=country,
                currency=cur,
                timezone=tz,
                marketplace_id=mp,
                region=region,
                account=account,
                seller_id=f"A{account.upper()}SELLER",
                name=account.title(),
                eligible=eligible,
                advertiser_id=str(123456780 + n),
                advertiser_name=f"{account.title()} Brand",
                brb_enrolled=brb,
            )
            profile.rows = generate_rows(
                rng,
                data.publishers,
                days=days,
                tags_per_publisher=tags_per_publisher,
                campaign_base=16719043400 + n * 1000,
            )
            data.profiles.append(profile)
        data.profiles.append(
            FakeProfile(
                profile_id=3312910465830000,
                country_code="US",
                currency="USD",
                timezone="America/Los_Angeles",
                marketplace_id="ATVPDKIKX0DER",
                region="na",
                account="acme",
                seller_id="AACMESELLER",
                name="Acme",
                sub_type="AMAZON_ATTRIBUTION",
                advertiser_id="99",
                advertiser_name="Legacy",
            )
        )
        return data


def demo_refresh_token(account: str) -> str:
    return f"Atzr|fake-ads.{account}"


def _publishers(count: int) -> list[tuple[str, str, bool]]:
    base = list(DEMO_PUBLISHERS)
    for i in range(len(base), count):
        base.append((str(100 + i), f"Creator {i:02d} - Other", i % 3 == 0))
    return base[:count]


def generate_rows(
    rng: random.Random,
    publishers: list[tuple[str, str, bool]],
    *,
    days: int,
    tags_per_publisher: int,
    campaign_base: int,
) -> list[TagDay]:
    """Daily rows per tag: clicks none today (< 24 h), conversions partial yesterday (< 48 h).

    Each publisher gets its own campaign with `tags_per_publisher` ad groups of one creative each;
    the last publisher's last tag stays under 10 lifetime clicks (masked), and one publisher gets two
    creatives in an ad group.
    """
    rows: list[TagDay] = []
    for p_index, (_pid, name, _macro) in enumerate(publishers):
        campaign = str(campaign_base + p_index)
        popularity = rng.uniform(0.3, 3.0) / (1 + p_index * 0.15)
        for t in range(tags_per_publisher):
            ad_group = f"{campaign}{t:02d}"
            tiny = p_index == len(publishers) - 1 and t == tags_per_publisher - 1
            creatives = [f"{ad_group}1", f"{ad_group}2"] if (p_index == 1 and t == 0) else [f"{ad_group}1"]
            for creative in creatives:
                for day in range(days):
                    # The tiny tag gets 3 lifetime clicks: under the 10-click threshold, so masked.
                    busy = max(0, int(rng.gauss(20 * popularity, 6)))
                    clicks = (1 if day in (5, 40, 70) else 0) if tiny else busy
                    if day == 0:
                        clicks = 0  # clicks appear within about 24 h
                    if clicks == 0:
                        continue
                    dpv = int(clicks * rng.uniform(0.7, 0.95))
                    atc = int(dpv * rng.uniform(0.1, 0.3))
                    purchases = int(atc * rng.uniform(0.3, 0.7))
                    if day == 1:
                        purchases //= 2  # conversions arrive within 48 h
                    units = purchases + (rng.randint(0, 1) if purchases else 0)
                    sales = sum(rng.randint(1299, 5999) for _ in range(units))
                    halo_purchases = rng.randint(0, 1) if purchases else 0
                    halo_sales = sum(rng.randint(899, 2999) for _ in range(halo_purchases))
                    rows.append(
                        TagDay(
                            day=day,
                            campaign_id=campaign,
                            ad_group_id=ad_group,
                            creative_id=creative,
                            publisher=name,
                            clicks=clicks,
                            dpv=dpv,
                            atc=atc,
                            purchases=purchases,
                            units=units,
                            sales_cents=sales,
                            total_dpv=dpv + halo_purchases * 2,
                            total_atc=atc + halo_purchases,
                            total_purchases=purchases + halo_purchases,
                            total_units=units + halo_purchases,
                            total_sales_cents=sales + halo_sales,
                            brb_cents=(sales + halo_sales) // 10,
                        )
                    )
    return rows
