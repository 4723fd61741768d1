"""The two Amazon calls of a connect: the LWA authorization_code exchange and Sellers getMarketplaceParticipations.

Both go over one httpx client. The code lives five minutes (Amazon's developer guide), so the exchange happens
inside the callback request. Nothing here puts a code, token or client secret in an exception message.
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, Field, SecretStr, ValidationError

from infra.secrets import LwaCredentials, register_secrets

LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"
SPAPI_ENDPOINTS = {
    "NA": "https://sellingpartnerapi-na.amazon.com",
    "EU": "https://sellingpartnerapi-eu.amazon.com",
    "FE": "https://sellingpartnerapi-fe.amazon.com",
}
PARTICIPATIONS_PATH = "/sellers/v1/marketplaceParticipations"
MAX_CODE_CHARS = 512
MAX_TOKEN_CHARS = 2048  # LWA: a refresh token is at most 2048 bytes


class AmazonRefused(Exception):
    """Amazon said no. `kind`: invalid_grant (the code), invalid_client (our app's credentials), or what it sent;
    the message is a short code, never Amazon's text or a credential."""

    def __init__(self, kind: str, status: int) -> None:
        super().__init__(f"{kind} (HTTP {status})")
        self.kind = kind
        self.status = status


class GrantedTokens(BaseModel):
    access_token: SecretStr
    refresh_token: SecretStr


class Participation(BaseModel):
    marketplace_id: str
    country_code: str
    name: str
    store_name: str
    participating: bool


def token_url(lwa_endpoint: str | None) -> str:
    """Amazon's LWA token URL, or the override's (a fake's `host:port` or URL)."""
    if not lwa_endpoint:
        return LWA_TOKEN_URL
    base = lwa_endpoint if "://" in lwa_endpoint else f"http://{lwa_endpoint}"
    return base.rstrip("/") + "/auth/o2/token"


def exchange_code(http: httpx.Client, *, url: str, lwa: LwaCredentials, code: str, redirect_uri: str) -> GrantedTokens:
    """LWA `authorization_code` grant: the seller's refresh token for the code Amazon sent to the callback."""
    body, status = lwa_grant(
        http, url=url, lwa=lwa, grant_type="authorization_code", code=code, redirect_uri=redirect_uri
    )
    access, refresh = body.get("access_token"), body.get("refresh_token")
    if not isinstance(access, str) or not isinstance(refresh, str) or not 0 < len(refresh) <= MAX_TOKEN_CHARS:
        raise AmazonRefused("malformed_token_response", status)
    register_secrets(access, refresh)  # from here on, neither can reach a log line
    return GrantedTokens(access_token=SecretStr(access), refresh_token=SecretStr(refresh))


def lwa_grant(http: httpx.Client, *, url: str, lwa: LwaCredentials, **fields: str) -> tuple[dict[str, Any], int]:
    """POST one LWA token grant (`fields` plus the app's client id and secret); the answer's body and status.
    A refusal raises AmazonRefused with LWA's `error` code (invalid_grant, invalid_client...), never its text."""
    response = http.post(
        url,
        data={
            **fields,
            "client_id": lwa.lwa_app_id,
            "client_secret": lwa.lwa_client_secret.get_secret_value(),
        },
        headers={"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"},
    )
    body = json_body(response)
    if response.status_code != 200:
        raise AmazonRefused(str(body.get("error") or "lwa_error")[:40], response.status_code)
    return body, response.status_code


class _Marketplace(BaseModel):
    id: str = Field(max_length=32)
    name: str = Field(default="", max_length=200)
    countryCode: str = Field(default="", max_length=2)


class _Participation(BaseModel):
    isParticipating: bool = False


class _Entry(BaseModel):
    marketplace: _Marketplace
    participation: _Participation
    storeName: str = Field(default="", max_length=200)


def marketplace_participations(http: httpx.Client, *, endpoint: str, access_token: SecretStr) -> list[Participation]:
    """GET /sellers/v1/marketplaceParticipations on the region's endpoint with the new access token."""
    response = http.get(
        endpoint.rstrip("/") + PARTICIPATIONS_PATH,
        headers={"x-amz-access-token": access_token.get_secret_value(), "accept": "application/json"},
    )
    body = json_body(response)
    if response.status_code != 200:
        errors = body.get("errors")
        code = errors[0].get("code") if isinstance(errors, list) and errors and isinstance(errors[0], dict) else None
        raise AmazonRefused(str(code or "sellers_error")[:40], response.status_code)
    payload = body.get("payload")
    if not isinstance(payload, list) or len(payload) > 200:
        raise AmazonRefused("malformed_participations", response.status_code)
    out = []
    for raw in payload:
        try:
            entry = _Entry.model_validate(raw)
        except ValidationError:
            continue  # one odd entry must not lose the others
        out.append(
            Participation(
                marketplace_id=entry.marketplace.id,
                country_code=entry.marketplace.countryCode,
                name=entry.marketplace.name,
                store_name=entry.storeName,
                participating=entry.participation.isParticipating,
            )
        )
    return out


def json_body(response: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object, or {} when it is none (Amazon's error pages are not always JSON)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
