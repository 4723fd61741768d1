"""Turn a raw promo request into a `PromoDraft`, or say exactly what to fix.

Errors and warnings share one shape, `{"field", "message"}`, so a Slack modal
can pin either to its input block and the CLI prints them as-is. Warnings never
block: the approver sees them on the request card. Nothing here raises for bad
input; every problem becomes an `Issue`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel, Field

from handlers.promo.lifecycle import holds_code
from handlers.promo.models import ASIN_PATTERN, PromoDraft, PromoStatus, Promotion
from handlers.promo.rules import DEFAULT_RULES, PromoRules, canonical_code
from infra.accounts import MARKETPLACE_IDS, AccountConfig
from infra.clock import as_utc

FIELDS = (
    "code",
    "percent_off",
    "asins",
    "start",
    "end",
    "marketplace",
    "share_with_influencers",
    "one_per_customer",
    "note",
    "account_id",
)
# The `Issue.field` of a request refused because its requester has too many open requests.
OPEN_REQUESTS_FIELD = "open_requests"
_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-/]{0,39}$")
_ASIN = re.compile(ASIN_PATTERN)
_PERCENT = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*%?\s*$")
_TRUE = {"yes", "y", "true", "1", "on"}
_FALSE = {"no", "n", "false", "0", "off"}
# Statuses whose dates still matter for overlap: the others never ran or are over.
_LIVE = {
    PromoStatus.DRAFT,
    PromoStatus.PENDING_APPROVAL,
    PromoStatus.APPROVED,
    PromoStatus.HANDED_OFF,
    PromoStatus.ACTIVE,
}


class Issue(BaseModel):
    field: str
    message: str


def open_requests_issue(open_count: int, account_id: str) -> Issue:
    """The refusal of a request whose requester is at the open-requests cap (not a field of the form)."""
    return Issue(
        field=OPEN_REQUESTS_FIELD,
        message=f"You already have {open_count} open promo requests in {account_id}; cancel one or wait for a decision",
    )


class ValidationResult(BaseModel):
    ok: bool
    errors: list[Issue] = Field(default_factory=list)
    warnings: list[Issue] = Field(default_factory=list)
    # Set only when ok; excluded from the CLI contract output.
    draft: PromoDraft | None = None

    def contract(self) -> dict[str, Any]:
        """The `sellerbot promo validate` JSON shape."""
        return self.model_dump(mode="json", include={"ok", "errors", "warnings"})


def parse_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    return None


def parse_when(value: object, *, end_of_day: bool) -> datetime | None:
    """ISO date or datetime → aware UTC datetime; None if unparseable.

    A bare date covers the whole day (start 00:00, end 23:59:59 UTC); naive
    datetimes are taken as UTC.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time.max.replace(microsecond=0) if end_of_day else time.min)
    elif isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                d = date.fromisoformat(text)
                parsed = datetime.combine(d, time.max.replace(microsecond=0) if end_of_day else time.min)
            else:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return as_utc(parsed)


def _fmt(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M UTC")


class _Checker:
    def __init__(self, rules: PromoRules) -> None:
        self.rules = rules
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []

    def error(self, field: str, message: str) -> None:
        self.errors.append(Issue(field=field, message=message))

    def warn(self, field: str, message: str) -> None:
        self.warnings.append(Issue(field=field, message=message))

    def code(self, raw: object) -> str | None:
        r = self.rules
        if not isinstance(raw, str) or not raw.strip():
            self.error(
                "code", f"code is required: {r.code_min_len}–{r.code_max_len} letters and digits, e.g. SUMMER2026"
            )
            return None
        code = raw.strip().upper()
        if not code.isascii() or not code.isalnum():
            bad = "".join(sorted({c for c in code if not (c.isascii() and c.isalnum())}))
            self.error("code", f"code {raw!r} may contain only letters A–Z and digits 0–9; remove {bad!r}")
            return None
        if not r.code_min_len <= len(code) <= r.code_max_len:
            self.error(
                "code",
                f"code {code} has {len(code)} characters; use {r.code_min_len}–{r.code_max_len} letters and digits",
            )
            return None
        confusable = sorted({c for c in code if c in "01OI"})
        if confusable:
            self.warn(
                "code",
                f"code {code} contains {'/'.join(confusable)}: Amazon converts 0→O and 1→I, so it is stored as "
                f"{canonical_code(code)}; customers typing either form get the same code. Avoid 0/O and 1/I to prevent confusion.",
            )
        return code

    def percent(self, raw: object) -> float | None:
        r = self.rules
        fix = f"give a whole or decimal percentage between {r.percent_min:g} and {r.percent_max:g}, e.g. 20 or 20%"
        if isinstance(raw, bool) or raw is None:
            self.error("percent_off", f"percent_off is required: {fix}")
            return None
        if isinstance(raw, (int, float)):
            value = float(raw)
        elif isinstance(raw, str) and (m := _PERCENT.match(raw)):
            value = float(m.group(1).replace(",", "."))
        else:
            self.error("percent_off", f"percent_off {raw!r} is not a number: {fix}")
            return None
        if not r.percent_min <= value <= r.percent_max:
            self.error("percent_off", f"percent_off {value:g}% is outside Amazon's range: {fix}")
            return None
        return value

    def asins(self, raw: object) -> list[str] | None:
        if isinstance(raw, str):
            items = [p for p in re.split(r"[\s,;]+", raw) if p]
        elif isinstance(raw, (list, tuple)) and all(isinstance(p, str) for p in raw):
            items = [p.strip() for p in raw if p.strip()]
        else:
            self.error(
                "asins", 'asins must be a list of ASINs (B0 followed by 8 letters/digits) or SKUs, e.g. ["B0ABCDEFGH"]'
            )
            return None
        if not items:
            self.error("asins", "asins is empty: add at least one ASIN (e.g. B0ABCDEFGH) or SKU")
            return None
        result: list[str] = []
        for item in items:
            up = item.upper()
            if _ASIN.match(up):
                item = up
            elif not _SKU.match(item):
                self.error(
                    "asins",
                    f"{item!r} is neither an ASIN (B0 + 8 letters/digits) nor a SKU (letters, digits, . _ - /, up to 40); correct or remove it",
                )
                continue
            if item in result:
                self.warn("asins", f"{item} is listed twice; it is kept once")
                continue
            result.append(item)
        if len(result) > self.rules.max_asins:
            self.error(
                "asins", f"{len(result)} products given; split into promotions of at most {self.rules.max_asins}"
            )
        return result if result and not any(e.field == "asins" for e in self.errors) else None

    def flag(self, field: str, raw: object, default: bool) -> bool | None:
        if raw is None:
            return default
        value = parse_bool(raw)
        if value is None:
            self.error(field, f"{field} {raw!r} is not yes/no: use yes or no (true/false)")
        return value

    def marketplace(self, raw: object, account: AccountConfig | None) -> str | None:
        if raw is None or raw == "":
            raw = "US"
        code = raw.strip().upper() if isinstance(raw, str) else None
        if code not in MARKETPLACE_IDS:
            self.error("marketplace", f"marketplace {raw!r} is unknown: use one of {', '.join(MARKETPLACE_IDS)}")
            return None
        if account is not None and account.marketplace(code) is None:
            have = ", ".join(m.code for m in account.marketplaces) or "none"
            self.error("marketplace", f"account {account.account_id} does not sell in {code}: use one of {have}")
            return None
        return code

    # -- checks across fields

    def dates(self, start: datetime, end: datetime, now: datetime) -> None:
        rules = self.rules
        earliest = now + timedelta(hours=rules.min_lead_hours)
        if start < earliest:
            self.error(
                "start",
                f"start {_fmt(start)} is too soon: Amazon activates a code about {rules.min_lead_hours:g} h after creation; start at {_fmt(earliest)} or later",
            )
        if end <= start:
            self.error("end", f"end {_fmt(end)} is not after start {_fmt(start)}: pick an end date after the start")
            return
        days = (end - start).total_seconds() / 86400
        if days > rules.max_duration_days + 1e-6:
            last = start + timedelta(days=rules.max_duration_days)
            # Date-only ends cover the whole day, so the last whole day is the one before `last` at midnight.
            last_day = (last - timedelta(seconds=1)).date()
            self.error(
                "end",
                f"promotion runs {days:.1f} days; Amazon allows at most {rules.max_duration_days}: end on {last_day} at the latest (or by {_fmt(last)})",
            )
        elif days < rules.recommended_min_days:
            self.warn(
                "end",
                f"promotion runs only {days:.1f} days; Amazon recommends at least {rules.recommended_min_days} days so influencers can pick it up",
            )

    def sharing(self, share: bool | None, marketplace: str | None, account: AccountConfig | None) -> None:
        rules = self.rules
        if share and marketplace:
            if marketplace not in rules.sharing_marketplaces:
                self.error(
                    "share_with_influencers",
                    f"sharing with Influencers and Associates is available only in {', '.join(rules.sharing_marketplaces)}; set it to no for {marketplace}",
                )
            if rules.sharing_requires_brand_registry and account is not None and not account.brand_registry:
                self.error(
                    "share_with_influencers",
                    f"sharing requires Brand Registry and account {account.account_id} is not marked brand_registry; set it to no or enable Brand Registry in the account config",
                )
        if share is not None:
            self.warn(
                "share_with_influencers",
                f"sharing with Influencers and Associates is {'ON' if share else 'OFF'} and cannot be changed after the code is created in Seller Central",
            )

    def code_is_free(self, code: str, account: AccountConfig | None, existing: Sequence[Promotion]) -> None:
        canon = canonical_code(code)
        for other in existing:
            if (
                other.account_id == (account.account_id if account else other.account_id)
                and canonical_code(other.code) == canon
                and holds_code(other)  # a request rejected or cancelled before its hand-off gave it back
            ):
                self.error(
                    "code",
                    f"code {code} already exists in this account (as {other.code}, {other.status.value}; Amazon treats 0/O and 1/I alike): choose another code",
                )
                return

    def overlaps(
        self, asins: list[str], start: datetime, end: datetime, marketplace: str | None, existing: Sequence[Promotion]
    ) -> None:
        for other in existing:
            if other.status not in _LIVE or other.marketplace != (marketplace or other.marketplace):
                continue
            shared = sorted(set(asins) & set(other.asins))
            if shared and other.start <= end and start <= other.end:
                self.warn(
                    "asins",
                    f"{', '.join(shared)} also in {other.code} ({other.status.value}, {_fmt(other.start)}–{_fmt(other.end)}): discounts may stack; check Claim Code Combinability",
                )


def validate(
    raw: Mapping[str, object] | PromoDraft,
    *,
    account: AccountConfig | None,
    existing: Sequence[Promotion] = (),
    now: datetime,
    rules: PromoRules = DEFAULT_RULES,
) -> ValidationResult:
    """Check a promo request against the rules, the account and its existing promotions."""
    if isinstance(raw, PromoDraft):
        raw = raw.model_dump()
    if not isinstance(raw, Mapping):
        return ValidationResult(
            ok=False, errors=[Issue(field="request", message="expected a JSON object with keys " + ", ".join(FIELDS))]
        )
    now = as_utc(now)
    c = _Checker(rules)
    for key in raw:
        if key not in FIELDS:
            c.error(str(key), f"unknown field {key!r}: accepted fields are {', '.join(FIELDS)}")

    code = c.code(raw.get("code"))
    percent = c.percent(raw.get("percent_off"))
    asins = c.asins(raw.get("asins"))
    start = parse_when(raw.get("start"), end_of_day=False)
    if start is None:
        c.error("start", f"start {raw.get('start')!r} is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)")
    end = parse_when(raw.get("end"), end_of_day=True)
    if end is None:
        c.error("end", f"end {raw.get('end')!r} is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)")
    marketplace = c.marketplace(raw.get("marketplace"), account)
    share = c.flag("share_with_influencers", raw.get("share_with_influencers"), True)
    once = c.flag("one_per_customer", raw.get("one_per_customer"), False)
    note = raw.get("note") or ""
    if not isinstance(note, str) or len(note) > 500:
        c.error("note", "note must be text of at most 500 characters; shorten it")
        note = ""

    if start and end:
        c.dates(start, end, now)
    c.sharing(share, marketplace, account)
    if code:
        c.code_is_free(code, account, existing)
    if asins and start and end:
        c.overlaps(asins, start, end, marketplace, existing)

    if c.errors:
        return ValidationResult(ok=False, errors=c.errors, warnings=c.warnings)
    draft = PromoDraft(
        code=code,
        percent_off=percent,
        asins=asins,
        start=start,
        end=end,
        marketplace=marketplace,
        share_with_influencers=share,
        one_per_customer=once,
        note=note,
        account_id=account.account_id if account else str(raw.get("account_id") or ""),
    )
    return ValidationResult(ok=True, errors=[], warnings=c.warnings, draft=draft)
