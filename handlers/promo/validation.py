"""Turn a raw promo request into a `PromoDraft`, or say exactly what to fix.

Errors and warnings share one shape, `{"field", "message"}`, so a Slack modal
can pin either to its input block and the CLI prints them as-is. Warnings never
block: the approver sees them on the request card. Nothing here raises for bad
input; every problem becomes an `Issue`. Messages are for people: what is wrong
and what to do, with dates in the marketplace's local time (Seller Central's),
and no field names (those stay in `Issue.field`, the CLI's JSON contract).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta
from typing import Any

from pydantic import BaseModel, Field

from handlers.promo import dates
from handlers.promo.lifecycle import holds_code
from handlers.promo.models import ASIN_PATTERN, STATUS_TEXT, PromoDraft, PromoStatus, Promotion
from handlers.promo.rules import DEFAULT_RULES, PromoRules, canonical_code, lookalikes
from infra.accounts import MARKETPLACE_IDS, AccountConfig
from infra.clock import as_utc
from infra.marketplaces import format_local, local, local_today

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
# What each field is called where a person reads about it (Slack text never shows the field names).
FIELD_LABELS = {
    "code": "Promo code",
    "percent_off": "Percent off",
    "asins": "Products",
    "start": "Start",
    "end": "End",
    "marketplace": "Marketplace",
    "share_with_influencers": "Sharing with Influencers and Associates",
    "one_per_customer": "One redemption per customer",
    "note": "Note",
    "account_id": "Account",
}
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
    PromoStatus.CREATED,
    PromoStatus.ACTIVE,
}
_SHOWN = 40  # characters of a person's input quoted back in a message


class Issue(BaseModel):
    field: str
    message: str

    @property
    def label(self) -> str:
        """The field as a person calls it (for Slack); the field itself for names outside the form."""
        return FIELD_LABELS.get(self.field, self.field.replace("_", " ").capitalize())


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


def sharing_offered(marketplace: str, account: AccountConfig | None, rules: PromoRules = DEFAULT_RULES) -> bool:
    """Whether Amazon offers "Share with Amazon Influencers and Associates" for a code in `marketplace`:
    only in `rules.sharing_marketplaces` (US) and only to sellers in Brand Registry (unknown without an account)."""
    if marketplace not in rules.sharing_marketplaces:
        return False
    return not (rules.sharing_requires_brand_registry and account is not None and not account.brand_registry)


def marketplace_needed(raw: Mapping[str, object], account: AccountConfig) -> Issue | None:
    """The question a request without a marketplace gets when the account sells in several (the inline
    `/promo new`; `validate` itself assumes the first, with a warning, so CLI probes keep working)."""
    if raw.get("marketplace") or len(account.marketplaces) < 2:
        return None
    codes = [m.code for m in account.marketplaces]
    options = _either([f"--marketplace {c}" for c in codes], "or")
    return Issue(field="marketplace", message=f"{account.name} sells in {_either(codes, 'and')}: add {options}")


def _either(items: Sequence[str], last: str) -> str:
    """`A`, `A and B`, `A, B and C`."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def _shown(value: object) -> str:
    """A person's input quoted back: as typed, clipped, never a Python repr."""
    text = " ".join(str(value).split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _days(n: float) -> str:
    return f"{n:g} day{'s' if n != 1 else ''}" if n == int(n) else f"{n:.1f} days"


class _Checker:
    def __init__(self, rules: PromoRules, now: datetime) -> None:
        self.rules, self.now = rules, now
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []

    def error(self, field: str, message: str) -> None:
        self.errors.append(Issue(field=field, message=message))

    def warn(self, field: str, message: str) -> None:
        self.warnings.append(Issue(field=field, message=message))

    def code(self, raw: object) -> str | None:
        r = self.rules
        size = f"{r.code_min_len}–{r.code_max_len} letters and digits"
        if not isinstance(raw, str) or not raw.strip():
            self.error("code", f"A promo code is required: {size}, e.g. SUMMERSALE.")
            return None
        code = raw.strip().upper()
        if not code.isascii() or not code.isalnum():
            bad = sorted({c for c in code if not (c.isascii() and c.isalnum())})
            named = " ".join("spaces" if c.isspace() else c for c in bad)
            self.error("code", f"Code {_shown(raw)} may contain only letters A–Z and digits 0–9: remove {named}.")
            return None
        if not r.code_min_len <= len(code) <= r.code_max_len:
            self.error("code", f"Code {_shown(code)} has {len(code)} characters: use {size}.")
            return None
        folded = lookalikes(code)
        if folded:
            chars = " and ".join(f"{digit} as {letter}" for digit, letter in folded.items())
            self.warn(
                "code",
                f"Amazon stores {chars}, so code {code} is saved as {canonical_code(code)} and customers may type "
                "either form. Use letters only if that could confuse them.",
            )
        return code

    def percent(self, raw: object) -> float | None:
        r = self.rules
        fix = f"give a number between {r.percent_min:g} and {r.percent_max:g}, e.g. 20 or 20%."
        if isinstance(raw, bool) or raw is None or raw == "":
            self.error("percent_off", f"The percentage off is required: {fix}")
            return None
        if isinstance(raw, (int, float)):
            value = float(raw)
        elif isinstance(raw, str) and (m := _PERCENT.match(raw)):
            value = float(m.group(1).replace(",", "."))
        else:
            self.error("percent_off", f"Percent off {_shown(raw)} is not a number: {fix}")
            return None
        if not r.percent_min <= value <= r.percent_max:
            self.error("percent_off", f"{value:g}% off is outside Amazon's range: {fix}")
            return None
        return value

    def asins(self, raw: object) -> list[str] | None:
        if isinstance(raw, str):
            items = [p for p in re.split(r"[\s,;]+", raw) if p]
        elif isinstance(raw, (list, tuple)) and all(isinstance(p, str) for p in raw):
            items = [p.strip() for p in raw if p.strip()]
        else:
            self.error("asins", "Give the products as a list of ASINs (B0 and 8 letters or digits) or SKUs.")
            return None
        if not items:
            self.error("asins", "No products given: add at least one ASIN (e.g. B0ABCDEFGH) or SKU.")
            return None
        result: list[str] = []
        for item in items:
            up = item.upper()
            if _ASIN.match(up):
                item = up
            elif not _SKU.match(item):
                self.error(
                    "asins",
                    f"{_shown(item)} is neither an ASIN (B0 and 8 letters or digits) nor a SKU (letters, digits "
                    "and . _ - /, up to 40): correct or remove it.",
                )
                continue
            if item in result:
                self.warn("asins", f"{item} is listed twice; it is kept once.")
                continue
            result.append(item)
        if len(result) > self.rules.max_asins:
            self.error(
                "asins",
                f"{len(result)} products given; Amazon takes at most {self.rules.max_asins} in one promotion: "
                "split them into several.",
            )
        return result if result and not any(e.field == "asins" for e in self.errors) else None

    def flag(self, field: str, raw: object, default: bool) -> bool | None:
        if raw is None or raw == "":
            return default
        value = parse_bool(raw)
        if value is None:
            self.error(field, f"{FIELD_LABELS[field]}: answer yes or no (not {_shown(raw)}).")
        return value

    def marketplace(self, raw: object, account: AccountConfig | None) -> str | None:
        own = [m.code for m in account.marketplaces] if account else []
        if raw is None or raw == "":
            # The account's own marketplace; with several, the first, and say so (the inline form asks instead).
            assumed = own[0] if own else "US"
            if len(own) != 1:
                whose = f"{account.name} sells in {_either(own, 'and')}" if account and own else "none was given"
                self.warn("marketplace", f"No marketplace given: assumed {assumed} ({whose}).")
            return assumed
        code = raw.strip().upper() if isinstance(raw, str) else None
        if code not in MARKETPLACE_IDS:
            choices = ", ".join(own or MARKETPLACE_IDS)
            self.error("marketplace", f"Marketplace {_shown(raw)} is unknown: use one of {choices}.")
            return None
        if account is not None and account.marketplace(code) is None:
            have = _either(own, "or") if own else "none: ask an admin to add one to the account"
            self.error("marketplace", f"{account.name} does not sell in {code}: use {have}.")
            return None
        return code

    def when(self, field: str, raw: object, marketplace: str) -> datetime | None:
        value = dates.resolve(raw, marketplace=marketplace, now=self.now, end=field == "end")
        if value is None:
            what = "date" if field == "start" else "end date"
            given = (
                f"{FIELD_LABELS[field]} {_shown(raw)} is not a date"
                if raw not in (None, "")
                else f"A {what} is required"
            )
            self.error(field, f"{given}: use {dates.DATE_FORMS}, in {marketplace} local time.")
        return value

    # -- checks across fields

    def window(self, start: datetime, end: datetime, marketplace: str) -> None:
        rules = self.rules

        def at(dt: datetime) -> str:
            return format_local(dt, marketplace)

        earliest = self.now + timedelta(hours=rules.min_lead_hours)
        if start < earliest:
            # The first whole local day that starts late enough, also as the relative form people type.
            first = local_today(earliest, marketplace)
            if local(earliest, marketplace).time() != time.min:
                first += timedelta(days=1)
            ahead = (first - local_today(self.now, marketplace)).days
            self.error(
                "start",
                f"Start {at(start)} is too soon: Amazon activates a code about {rules.min_lead_hours:g} hours after "
                f"it is created. Start on {first.isoformat()} (+{ahead}d) or at {at(earliest)} or later.",
            )
        if end <= start:
            self.error("end", f"End {at(end)} is not after the start ({at(start)}): pick a later end date.")
            return
        days = dates.local_days(start, end, marketplace)
        if days > rules.max_duration_days + 1e-6:
            # A start on local day D may end on D + N - 1 at the latest (its whole last day counted).
            last_day = local_today(start, marketplace) + timedelta(days=rules.max_duration_days - 1)
            self.error(
                "end",
                f"The promotion runs {_days(days)}; Amazon allows at most {rules.max_duration_days}: end on "
                f"{last_day.isoformat()} at the latest.",
            )
        elif days < rules.recommended_min_days:
            self.warn(
                "end",
                f"The promotion runs only {_days(days)}; Amazon recommends at least {rules.recommended_min_days} "
                "days so influencers can pick it up.",
            )

    def sharing(self, raw: object, marketplace: str | None, account: AccountConfig | None) -> bool | None:
        """The sharing choice: Amazon's default (on) where it is offered, off where it is not; a yes where it
        is not offered is an error saying why."""
        rules = self.rules
        offered = marketplace is not None and sharing_offered(marketplace, account, rules)
        share = self.flag("share_with_influencers", raw, offered)
        if share is None or marketplace is None:
            return share
        if offered:
            state = "on (Amazon's default)" if share and raw in (None, "") else ("on" if share else "off")
            self.warn(
                "share_with_influencers",
                f"Sharing with Amazon Influencers and Associates is {state}. This choice is final: it cannot be "
                "changed after the code is created in Seller Central.",
            )
            return share
        if not share:
            return share
        if marketplace not in rules.sharing_marketplaces:
            self.error(
                "share_with_influencers",
                f"Amazon offers sharing with Influencers and Associates only in {_either(rules.sharing_marketplaces, 'and')}, "
                f"not in {marketplace}: leave sharing out (it is off there) or set it to no.",
            )
        else:
            name = account.name if account else "This account"
            self.error(
                "share_with_influencers",
                f"Sharing with Influencers and Associates needs Brand Registry, and {name} is not in Brand Registry: "
                "leave sharing out or set it to no, or ask an admin to mark the account once the brand is enrolled.",
            )
        return None

    def code_is_free(self, code: str, account: AccountConfig | None, existing: Sequence[Promotion]) -> None:
        canon = canonical_code(code)
        for other in existing:
            if (
                other.account_id == (account.account_id if account else other.account_id)
                and canonical_code(other.code) == canon
                and holds_code(other)  # a request rejected or cancelled before its hand-off gave it back
            ):
                same = "" if other.code == code else f" as {other.code}, which Amazon treats as the same code"
                self.error(
                    "code",
                    f"Code {code} already exists in this account{same} ({STATUS_TEXT[other.status]}): "
                    "choose another code.",
                )
                return

    def overlaps(
        self, asins: list[str], start: datetime, end: datetime, marketplace: str, existing: Sequence[Promotion]
    ) -> None:
        for other in existing:
            if other.status not in _LIVE or other.marketplace != marketplace:
                continue
            shared = sorted(set(asins) & set(other.asins))
            if shared and other.start <= end and start <= other.end:
                window = f"{format_local(other.start, marketplace)} to {format_local(other.end, marketplace)}"
                self.warn(
                    "asins",
                    f"{', '.join(shared)} also in {other.code} ({STATUS_TEXT[other.status]}, {window}): discounts "
                    "may stack; check Claim Code Combinability in Seller Central.",
                )


def validate(
    raw: Mapping[str, object] | PromoDraft,
    *,
    account: AccountConfig | None,
    existing: Sequence[Promotion] = (),
    now: datetime,
    rules: PromoRules = DEFAULT_RULES,
) -> ValidationResult:
    """Check a promo request against the rules, the account and its existing promotions.

    Dates are read in the marketplace's local time (handlers/promo/dates.py); the draft holds UTC.
    """
    if isinstance(raw, PromoDraft):
        raw = raw.model_dump()
    if not isinstance(raw, Mapping):
        return ValidationResult(
            ok=False, errors=[Issue(field="request", message="expected a JSON object with keys " + ", ".join(FIELDS))]
        )
    now = as_utc(now)
    c = _Checker(rules, now)
    for key in raw:
        if key not in FIELDS:
            c.error(str(key), f"unknown field {_shown(key)}: accepted fields are {', '.join(FIELDS)}")

    code = c.code(raw.get("code"))
    percent = c.percent(raw.get("percent_off"))
    asins = c.asins(raw.get("asins"))
    marketplace = c.marketplace(raw.get("marketplace"), account)
    # An unknown marketplace was already reported; its dates are still read (in the account's zone) so
    # every other mistake shows in one round.
    zone = marketplace or (account.marketplaces[0].code if account and account.marketplaces else "US")
    start = c.when("start", raw.get("start"), zone)
    end = c.when("end", raw.get("end"), zone)
    share = c.sharing(raw.get("share_with_influencers"), marketplace, account)
    once = c.flag("one_per_customer", raw.get("one_per_customer"), False)
    note = raw.get("note") or ""
    if not isinstance(note, str) or len(note) > 500:
        c.error("note", "The note may be at most 500 characters: shorten it.")
        note = ""

    if start and end:
        c.window(start, end, zone)
    if code:
        c.code_is_free(code, account, existing)
    if asins and start and end and marketplace:
        c.overlaps(asins, start, end, marketplace, existing)

    if c.errors or marketplace is None or share is None:
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
