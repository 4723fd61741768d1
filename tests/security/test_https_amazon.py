"""SP-API and LWA endpoint overrides are https only, except http to a loopback host (issue 14 leftovers).

The fakes and the outside checks run on 127.0.0.1; anything else over plain http would send the
LWA refresh token and access tokens in clear, so settings refuse it and name the variable.
"""

from __future__ import annotations

import pytest

from bot.settings import Settings

VARIABLES = ["SELLERBOT_SPAPI_ENDPOINT", "SELLERBOT_LWA_ENDPOINT"]


@pytest.mark.parametrize("variable", VARIABLES)
@pytest.mark.parametrize(
    "url",
    [
        "http://sellingpartnerapi-na.amazon.com",
        "http://api.amazon.com",
        "ftp://127.0.0.1:9",
        "https://",
        "api.amazon.com:80",
    ],
)
def test_plain_http_to_a_remote_host_is_refused(variable: str, url: str) -> None:
    with pytest.raises(ValueError) as err:
        Settings.from_env({variable: url})
    assert variable in str(err.value) and "https://" in str(err.value)


@pytest.mark.parametrize("variable", VARIABLES)
@pytest.mark.parametrize(
    "url",
    [
        "https://sellingpartnerapi-eu.amazon.com",
        "http://127.0.0.1:8080",
        "http://localhost:9000/",
        "http://[::1]:9000",
        "127.0.0.1:8123",
    ],
)
def test_https_or_loopback_http_is_accepted(variable: str, url: str) -> None:
    if variable == "SELLERBOT_SPAPI_ENDPOINT" and "://" not in url:
        pytest.skip("the SP-API endpoint is always a URL")
    settings = Settings.from_env({variable: url})
    assert url in (settings.spapi_endpoint, settings.lwa_endpoint)


def test_unset_means_amazon() -> None:
    settings = Settings.from_env({})
    assert settings.spapi_endpoint is None and settings.lwa_endpoint is None
