"""A fake Amazon Attribution API (with the LWA token route and /v2/profiles) over real HTTP on 127.0.0.1.

Provenance: every route, field, error and behaviour follows /work/shared/reference/amazon-attribution.md:
  POST /auth/o2/token ............. §1 (form body, response fields) and §9 (bad grant: 400 error/error_description);
       grant_type=authorization_code and GET/POST /ap/oa (LWA's consent page): consent.py
  GET  /{region}/v2/profiles ...... §2 (fields, [] for a region with none, subType AMAZON_ATTRIBUTION)
  GET  /{region}/attribution/advertisers, /publishers ... §3 (shapes, Scope header required)
  GET  /{region}/attribution/tags/macroTag, /nonMacroTemplateTag ... §3 Tags (publisherIds required, tag
       formats, wrapped and unwrapped maps)
  POST /{region}/attribution/report ... §3.1 (body fields, row fields per level, metric names, count 1-5000,
       comma-delimited strings) and §5 (masking under 10 lifetime clicks, < 24 h no clicks, < 48 h partial)
  errors ............................ §4 (MaaSError {"code", "details"}, 401 variants, 403 not eligible, 429
       Retry-After, 500, the Airbyte-observed {"message"} 400) and §9's list
Amazon has one host per region; here the region is the first path segment, so the client's endpoint is
`<base_url>/{region}` (SELLERBOT_ADS_ENDPOINT) and a profile sent to another region's "host" gets 401.

§11's unconfirmed behaviours are settings (FakeSettings), each offered both (or every) way:
  tag_shape "unwrapped" | "wrapped"; last_page "absent" | "empty" | "null" | "empty_reports";
  comma_publisher_ids (accept "1,2" or not); array_bodies (accept array advertiserIds/metrics or 400);
  max_span_days (None: any span; N: 400 beyond N days); default_count; date_zone "profile" | "UTC";
  brb_outside_us; metric_type "string" | "number"; placeholder spelling "insert" | "plain".
PRODUCTS rows' `productConversionType` "Promoted" is [unconfirmed] (only "Brand Halo" was seen).

    with FakeAttribution(AttributionData.demo()) as fake:
        fake.endpoint   # http://127.0.0.1:PORT/{region}
        fake.faults.append(Fault("/attribution/report", "429", times=2))
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from infra.fakes.attribution.consent import FakeLwaConsent
from infra.fakes.attribution.data import AttributionData, FakeProfile, TagDay
from infra.fakes.sp_api.http import LoopbackServer, Response, json_response

ACCESS_TOKEN_PREFIX = "Atza|fake-ads."
REGIONS = ("na", "eu", "fe")
MAX_COUNT = 5000
PRODUCTS_MAX_AGE_DAYS = 90
MASK_THRESHOLD = 10  # lifetime clicks under which every metric of a row shows 0

# metric -> (TagDay field, money?) for PERFORMANCE (§3.1's table; PRODUCTS keys separately).
PERFORMANCE_METRICS: dict[str, tuple[str | None, bool]] = {
    "Click-throughs": ("clicks", False),
    "attributedDetailPageViewsClicks14d": ("dpv", False),
    "attributedAddToCartClicks14d": ("atc", False),
    "attributedPurchases14d": ("purchases", False),
    "unitsSold14d": ("units", False),
    "attributedSales14d": ("sales_cents", True),
    "attributedTotalDetailPageViewsClicks14d": ("total_dpv", False),
    "attributedTotalAddToCartClicks14d": ("total_atc", False),
    "attributedTotalPurchases14d": ("total_purchases", False),
    "totalUnitsSold14d": ("total_units", False),
    "totalAttributedSales14d": ("total_sales_cents", True),
    "brb_bonus_amount": ("brb_cents", True),
    "kindleEditionNormalizedPagesRead14d": (None, False),
    "kindleEditionNormalizedPagesRoyalties14d": (None, True),
}
PRODUCTS_METRICS = (
    "attributedDetailPageViewsClicks14d",
    "attributedAddToCartClicks14d",
    "attributedPurchases14d",
    "unitsSold14d",
    "attributedSales14d",
    "brandHaloDetailPageViewsClicks14d",
    "brandHaloAttributedAddToCartClicks14d",
    "brandHaloAttributedPurchases14d",
    "brandHaloUnitsSold14d",
    "brandHaloAttributedSales14d",
    "attributedNewToBrandPurchases14d",
    "attributedNewToBrandUnitsSold14d",
    "attributedNewToBrandSales14d",
    "brandHaloNewToBrandPurchases14d",
    "brandHaloNewToBrandUnitsSold14d",
    "brandHaloNewToBrandSales14d",
    "kindleEditionNormalizedPagesRead14d",
    "kindleEditionNormalizedPagesRoyalties14d",
)
GROUP_KEYS = {
    "CAMPAIGN": ("campaignId",),
    "ADGROUP": ("campaignId", "adGroupId", "publisher"),
    "CREATIVE": ("campaignId", "adGroupId", "creativeId", "publisher"),
}


@dataclass
class FakeSettings:
    tag_shape: Literal["unwrapped", "wrapped"] = "unwrapped"
    last_page: Literal["absent", "empty", "null", "empty_reports"] = "absent"
    comma_publisher_ids: bool = True
    array_bodies: bool = False
    max_span_days: int | None = None
    default_count: int = MAX_COUNT
    date_zone: Literal["profile", "UTC"] = "profile"
    brb_outside_us: bool = True
    metric_type: Literal["string", "number"] = "string"
    placeholders: Literal["insert", "plain"] = "insert"
    retry_after: str = "1"
    null_creative_row: bool = False  # issue #222: a CREATIVE row with creativeId null and empty metrics


@dataclass
class Fault:
    """Answer the next `times` requests whose path (after the region) starts with `route` with `kind`:
    "429", "500", "502", "504", "401_expired" or "400_message" (the Airbyte-observed {"message"} body)."""

    route: str
    kind: str
    times: int = 1


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class _Token:
    account: str
    client_id: str


def maas_error(status: int, details: str) -> Response:
    return json_response(status, {"code": str(status), "details": details})


class FakeAttribution(LoopbackServer):
    def __init__(
        self,
        data: AttributionData | None = None,
        settings: FakeSettings | None = None,
        *,
        now: Callable[[], datetime] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.data = data or AttributionData.demo()
        self.settings = settings or FakeSettings()
        self.now = now or (lambda: datetime.now(UTC))
        self.faults: list[Fault] = []
        self.requests: list[Seen] = []
        self.tags_requested: set[int] = set()  # profiles whose tags were fetched (that enables measurement)
        self.pulls = 0
        self._tokens: dict[str, _Token] = {}
        self._state_lock = threading.Lock()
        self.consent = FakeLwaConsent(self.data)  # /ap/oa and the authorization_code grant
        LoopbackServer.__init__(self, host, port, name="fake-attribution")

    @property
    def endpoint(self) -> str:
        """The API base with a `{region}` placeholder (SELLERBOT_ADS_ENDPOINT)."""
        return self.base_url + "/{region}"

    def credentials_env(self) -> dict[str, str]:
        """SELLERBOT_ADS_* for infra.secrets.EnvCredentials and the client, pointing at this fake."""
        env = {"SELLERBOT_ADS_ENDPOINT": self.endpoint, "SELLERBOT_ADS_LWA_ENDPOINT": self.base_url}
        client_id, secret = next(iter(self.data.apps.items()))
        for token, account in self.data.refresh_tokens.items():
            suffix = account.upper().replace("-", "_")
            env[f"SELLERBOT_ADS_{suffix}_CLIENT_ID"] = client_id
            env[f"SELLERBOT_ADS_{suffix}_CLIENT_SECRET"] = secret
            env[f"SELLERBOT_ADS_{suffix}_REFRESH_TOKEN"] = token
        return env

    def restate(self, *, within_days: int = 28) -> None:
        """Amazon restates the last 28 days (returns): drop one unit of every converted row in that window."""
        with self._state_lock:
            for profile in self.data.profiles:
                for row in profile.rows:
                    if row.day <= within_days and row.units > 1:
                        share = row.sales_cents // row.units
                        row.units -= 1
                        row.total_units -= 1
                        row.sales_cents -= share
                        row.total_sales_cents -= share
                        row.brb_cents = row.total_sales_cents // 10

    # -- HTTP ------------------------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers: Mapping[str, str], body: bytes) -> Response:
        split = urlsplit(raw_path)
        query = parse_qs(split.query, keep_blank_values=True)
        payload: Any = body.decode("utf-8", "replace")
        with self._lock:
            self.requests.append(Seen(method, split.path, query, dict(headers), payload))
        if method == "POST" and split.path == "/auth/o2/token":
            return self._token(parse_qs(payload))
        if split.path == "/ap/oa" and method in ("GET", "POST"):
            if method == "GET":
                return self.consent.page(query)
            return self.consent.decide({k: v[0] for k, v in parse_qs(payload).items()})
        parts = split.path.split("/", 2)
        if len(parts) < 3 or parts[1] not in REGIONS:
            return maas_error(404, "Not found")
        region, path = parts[1], "/" + parts[2]
        fault = self._take_fault(path)
        if fault is not None:
            return fault
        token = self._bearer(headers)
        if isinstance(token, Response):
            return token
        if method == "GET" and path == "/v2/profiles":
            return self._profiles(region, token, query)
        routes = {
            ("GET", "/attribution/advertisers"): self._advertisers,
            ("GET", "/attribution/publishers"): self._publishers,
            ("GET", "/attribution/tags/macroTag"): lambda p, q, b: self._tags(p, q, macro=True),
            ("GET", "/attribution/tags/nonMacroTemplateTag"): lambda p, q, b: self._tags(p, q, macro=False),
            ("POST", "/attribution/report"): self._report,
        }
        route = routes.get((method, path))
        if route is None:
            return maas_error(404, "Not found")
        profile = self._scope(region, token, headers)
        if isinstance(profile, Response):
            return profile
        return route(profile, query, payload)

    def _take_fault(self, path: str) -> Response | None:
        with self._lock:
            fault = next((f for f in self.faults if path.startswith(f.route) and f.times > 0), None)
            if fault is None:
                return None
            fault.times -= 1
        if fault.kind == "429":
            response = maas_error(429, "Too Many Requests")
            response.headers["Retry-After"] = self.settings.retry_after
            return response
        if fault.kind in ("500", "502", "504"):
            return maas_error(int(fault.kind), "Internal Server Error")
        if fault.kind == "401_expired":
            return maas_error(401, "Not authorized to access scope")
        if fault.kind == "400_message":
            return json_response(400, {"message": "This profileID is not authorized to use Amazon Attribution"})
        raise ValueError(f"unknown fault kind {fault.kind!r}")

    # -- auth ------------------------------------------------------------------------------------

    def _token(self, form: Mapping[str, list[str]]) -> Response:
        def one(name: str) -> str:
            values = form.get(name) or [""]
            return values[0]

        if one("grant_type") == "authorization_code":
            return self.consent.grant_code({k: v[0] for k, v in form.items() if v})
        if one("grant_type") != "refresh_token":
            return json_response(400, {"error": "unsupported_grant_type", "error_description": "grant_type"})
        client_id = one("client_id")
        if self.data.apps.get(client_id) is None or self.data.apps[client_id] != one("client_secret"):
            return json_response(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
        account = self.data.refresh_tokens.get(one("refresh_token"))
        if account is None:
            return json_response(
                400, {"error": "invalid_grant", "error_description": "The request has an invalid grant parameter"}
            )
        access = ACCESS_TOKEN_PREFIX + secrets.token_hex(8)
        with self._lock:
            self._tokens[access] = _Token(account, client_id)
        return json_response(
            200,
            {"access_token": access, "token_type": "bearer", "expires_in": 3600, "refresh_token": one("refresh_token")},
        )

    def _bearer(self, headers: Mapping[str, str]) -> _Token | Response:
        auth = headers.get("authorization", "")
        token = self._tokens.get(auth.removeprefix("Bearer ").strip()) if auth.startswith("Bearer ") else None
        if token is None:
            return maas_error(401, "Not authorized: missing or invalid bearer token")
        if headers.get("amazon-advertising-api-clientid") != token.client_id:
            return maas_error(401, "Not authorized: Amazon-Advertising-API-ClientId does not match the token")
        return token

    def _scope(self, region: str, token: _Token, headers: Mapping[str, str]) -> FakeProfile | Response:
        scope = headers.get("amazon-advertising-api-scope", "")
        if not scope:
            return maas_error(401, "Scope header is missing")
        profile = self.data.profile(int(scope)) if scope.isdigit() else None
        if profile is None or profile.account != token.account or profile.region != region:
            return maas_error(401, "Not authorized to access scope")
        if not profile.eligible:
            return maas_error(403, "Forbidden: this profile may not be eligible for Amazon Attribution")
        return profile

    # -- profiles, advertisers, publishers, tags ---------------------------------------------------

    def _profiles(self, region: str, token: _Token, query: Mapping[str, list[str]]) -> Response:
        wanted = {t for v in query.get("profileTypeFilter", []) for t in v.split(",") if t}
        items = [
            p.as_amazon()
            for p in self.data.profiles
            if p.account == token.account and p.region == region and (not wanted or "seller" in wanted)
        ]
        return json_response(200, items)

    def _advertisers(self, profile: FakeProfile, query: Any, body: Any) -> Response:
        return json_response(
            200, {"advertisers": [{"advertiserId": profile.advertiser_id, "advertiserName": profile.advertiser_name}]}
        )

    def _publishers(self, profile: FakeProfile, query: Any, body: Any) -> Response:
        return json_response(
            200, {"publisher": [{"id": i, "name": n, "macroEnabled": m} for i, n, m in self.data.publishers]}
        )

    def _tags(self, profile: FakeProfile, query: Mapping[str, list[str]], *, macro: bool) -> Response:
        raw = query.get("publisherIds", [])
        if not raw or not any(raw):
            return maas_error(400, "publisherIds is required")
        if any("," in v for v in raw) and not self.settings.comma_publisher_ids:
            return maas_error(400, "publisherIds: invalid value")
        publisher_ids = [p for v in raw for p in v.split(",") if p]
        advertisers = [a for v in query.get("advertiserIds", []) for a in v.split(",") if a] or [profile.advertiser_id]
        known = {i for i, _n, _m in self.data.publishers}
        tags: dict[str, dict[str, str]] = {}
        for adv in advertisers:
            if adv != profile.advertiser_id:
                continue
            tags[adv] = {pid: self._tag(adv, pid, macro) for pid in publisher_ids if pid in known}
        with self._lock:
            self.tags_requested.add(profile.profile_id)
        wrapped = self.settings.tag_shape == "wrapped"
        return json_response(200, {"advertiserAttributionTagMap": tags} if wrapped else tags)

    def _tag(self, advertiser: str, publisher: str, macro: bool) -> str:
        if macro:
            return (
                f"?maas=maas_adg_api_{advertiser}_macro_{publisher}_99&ref_=aa_maas&tag=maas"
                "&aa_campaignid={campaignid}&aa_adgroupid={adgroupid}"
                "&aa_creativeid=ad-{creative}_{targetid}_dev-{device}_ext-{feeditemid}"
            )
        names = (
            ("{insertCampaignId}", "{insertAdGroupId}", "{insertAdiD}")
            if self.settings.placeholders == "insert"
            else ("{campaignId}", "{adGroupId}", "{creativeId}")
        )
        return (
            f"?maas=maas_adg_api_{advertiser}_static_{publisher}_99&ref_=aa_maas&tag=maas"
            f"&aa_campaignid={names[0]}&aa_adgroupid={names[1]}&aa_creativeid={names[2]}"
        )

    # -- report ----------------------------------------------------------------------------------

    def _report(self, profile: FakeProfile, query: Any, payload: Any) -> Response:
        try:
            body = json.loads(payload) if payload else {}
        except ValueError:
            return maas_error(400, "Request body is not valid JSON")
        if not isinstance(body, dict):
            return maas_error(400, "Request body must be an object")
        checked = self._check_report(profile, body)
        if isinstance(checked, Response):
            return checked
        report_type, group_by, start, end, metrics, advertisers, count = checked
        cursor = body.get("cursorId")
        fingerprint = hashlib.sha256(
            json.dumps({k: v for k, v in body.items() if k not in ("cursorId", "count")}, sort_keys=True).encode()
        ).hexdigest()[:16]
        offset = 0
        if cursor:
            offset_or_error = _read_cursor(cursor, fingerprint)
            if isinstance(offset_or_error, Response):
                return offset_or_error
            offset = offset_or_error
        if offset == 0:
            with self._lock:
                self.pulls += 1
        if profile.advertiser_id not in advertisers:
            rows: list[dict[str, Any]] = []
        elif report_type == "PRODUCTS":
            rows = self._product_rows(profile, start, end, metrics)
        else:
            rows = self._performance_rows(profile, group_by, start, end, metrics)
        page = rows[offset : offset + count]
        response: dict[str, Any] = {"reports": page, "size": len(page)}
        more = offset + count < len(rows)
        variant = self.settings.last_page
        if more or (variant == "empty_reports" and page):
            response["cursorId"] = _cursor(fingerprint, offset + len(page))
        elif variant == "empty_reports":
            response["cursorId"] = _cursor(fingerprint, offset)  # an empty page that still names a cursor
        elif variant == "empty":
            response["cursorId"] = ""
        elif variant == "null":
            response["cursorId"] = None
        return json_response(200, response)

    def _check_report(self, profile: FakeProfile, body: dict[str, Any]) -> Response | tuple[Any, ...]:
        report_type = body.get("reportType") or "PERFORMANCE"
        if report_type not in ("PERFORMANCE", "PRODUCTS"):
            return maas_error(400, f"Invalid reportType: {report_type}")
        group_by = body.get("groupBy")
        if report_type == "PRODUCTS" and group_by is not None:
            return maas_error(400, "groupBy is not supported for PRODUCTS reports")
        group_by = group_by or ("CREATIVE" if report_type == "PERFORMANCE" else None)
        if report_type == "PERFORMANCE" and group_by not in GROUP_KEYS:
            return maas_error(400, f"Invalid groupBy: {group_by}. Allowed: CAMPAIGN, ADGROUP, CREATIVE")
        for key in ("advertiserIds", "metrics"):
            value = body.get(key)
            if isinstance(value, list) and self.settings.array_bodies:
                body[key] = ",".join(str(v) for v in value)
            elif value is not None and not isinstance(value, str):
                return maas_error(400, f"{key} must be a comma-delimited string")
        advertisers = {a.strip() for a in (body.get("advertiserIds") or "").split(",") if a.strip()}
        if not advertisers:
            return maas_error(400, "advertiserIds is required")
        dates = []
        for key in ("startDate", "endDate"):
            value = body.get(key)
            try:
                if not isinstance(value, str) or len(value) != 8 or not value.isdigit():
                    raise ValueError
                dates.append(datetime.strptime(value, "%Y%m%d").date())
            except ValueError:
                return maas_error(400, f"Invalid {key}: expected YYYYMMDD")
        start, end = dates
        if start > end:
            return maas_error(400, "startDate must not be after endDate")
        today = self._today(profile)
        span = self.settings.max_span_days
        if span is not None and (end - start).days + 1 > span:
            return maas_error(400, f"The date range may span at most {span} days")
        if report_type == "PRODUCTS" and (today - start).days > PRODUCTS_MAX_AGE_DAYS:
            return maas_error(400, "startDate must be within the last 90 days for PRODUCTS reports")
        known = PERFORMANCE_METRICS if report_type == "PERFORMANCE" else dict.fromkeys(PRODUCTS_METRICS)
        raw_metrics = body.get("metrics")
        if raw_metrics:
            metrics = [m.strip() for m in raw_metrics.split(",") if m.strip()]
            unknown = [m for m in metrics if m not in known]
            if unknown:
                return maas_error(400, f"Invalid metrics: {', '.join(unknown)}")
        else:
            metrics = [m for m in known if m != "brb_bonus_amount"]
        if "brb_bonus_amount" in metrics and group_by not in ("CAMPAIGN", "ADGROUP"):
            return maas_error(400, "brb_bonus_amount is only supported with groupBy CAMPAIGN or ADGROUP")
        count = body.get("count", self.settings.default_count)
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_COUNT:
            return maas_error(400, f"count must be between 1 and {MAX_COUNT}")
        return report_type, group_by, start, end, metrics, advertisers, count

    def _today(self, profile: FakeProfile) -> date:
        zone = ZoneInfo(profile.timezone) if self.settings.date_zone == "profile" else UTC
        return self.now().astimezone(zone).date()

    def _brb(self, profile: FakeProfile) -> bool:
        return profile.brb_enrolled and (self.settings.brb_outside_us or profile.country_code == "US")

    def _performance_rows(
        self, profile: FakeProfile, group_by: str, start: date, end: date, metrics: list[str]
    ) -> list[dict[str, Any]]:
        today = self._today(profile)
        keys = GROUP_KEYS[group_by]
        lifetime: dict[tuple[str | None, ...], int] = defaultdict(int)
        daily: dict[tuple[Any, ...], list[TagDay]] = defaultdict(list)
        with self._state_lock:
            for row in profile.rows:
                ident = _ident(row, keys)
                lifetime[ident] += row.clicks
                day = today - timedelta(days=row.day)
                if start <= day <= end:
                    daily[(day, *ident)].append(row)
        wanted = [m for m in metrics if m != "brb_bonus_amount" or self._brb(profile)]
        out = []
        for key in sorted(daily, key=lambda k: (k[0], *(str(x) for x in k[1:])), reverse=True):
            day, ident = key[0], key[1:]
            item: dict[str, Any] = {"date": day.strftime("%Y%m%d"), "advertiserName": profile.advertiser_name}
            item.update({name: value for name, value in zip(keys, ident, strict=True)})
            masked = lifetime[ident] < MASK_THRESHOLD
            for metric in wanted:
                item[metric] = self._metric(daily[key], metric, masked)
            out.append(item)
        if self.settings.null_creative_row and group_by == "CREATIVE" and out:
            out.append(
                {
                    **{k: out[0][k] for k in ("date", "advertiserName", "campaignId", "adGroupId", "publisher")},
                    "creativeId": None,
                }
            )
        return out

    def _metric(self, rows: list[TagDay], metric: str, masked: bool) -> Any:
        field_name, money = PERFORMANCE_METRICS[metric]
        if masked or field_name is None:
            return "0" if self.settings.metric_type == "string" else 0
        if money:
            # Amazon's rows carry float noise (§3.1: "191.95999999999998"): sum the tags as floats.
            # One ulp up, so even a single tag's amount shows the noise a parser must round away.
            total = sum((getattr(r, field_name) / 100 for r in rows), 0.0) * (1 + 2**-52)
            return repr(total) if self.settings.metric_type == "string" else total
        count = sum(getattr(r, field_name) for r in rows)
        return str(count) if self.settings.metric_type == "string" else count

    def _product_rows(self, profile: FakeProfile, start: date, end: date, metrics: list[str]) -> list[dict[str, Any]]:
        today = self._today(profile)
        out: list[dict[str, Any]] = []
        with self._state_lock:
            rows = [r for r in profile.rows if start <= today - timedelta(days=r.day) <= end]
        for r in rows:
            day = (today - timedelta(days=r.day)).strftime("%Y%m%d")
            for conversion in ("Promoted", "Brand Halo"):
                item: dict[str, Any] = {
                    "date": day,
                    "advertiserName": profile.advertiser_name,
                    "campaignId": r.campaign_id,
                    "adGroupId": r.ad_group_id,
                    "publisher": r.publisher,
                    "brandName": profile.advertiser_name,
                    "marketplace": "AMAZON.COM",
                    "productAsin": "B0" + r.ad_group_id[-8:].rjust(8, "0"),
                    "productName": "Demo product",
                    "productGroup": "Home",
                    "productCategory": "Home",
                    "productSubcategory": "Home",
                    "productConversionType": conversion,
                }
                for metric in metrics:
                    item[metric] = "0" if self.settings.metric_type == "string" else 0
                out.append(item)
        return out


def _ident(row: TagDay, keys: tuple[str, ...]) -> tuple[str | None, ...]:
    values = {
        "campaignId": row.campaign_id,
        "adGroupId": row.ad_group_id,
        "creativeId": row.creative_id,
        "publisher": row.publisher,
    }
    return tuple(values[k] for k in keys)


def _cursor(fingerprint: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{fingerprint}:{offset}".encode()).decode()


def _read_cursor(cursor: Any, fingerprint: str) -> int | Response:
    try:
        got, offset = base64.urlsafe_b64decode(str(cursor).encode()).decode().split(":")
        if got != fingerprint:
            raise ValueError
        return int(offset)
    except ValueError:
        return maas_error(400, "Invalid cursorId")
