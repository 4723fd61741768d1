"""Pick a Store backend from one URL setting, so deployment config stays a string."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from infra.store.base import Store
from infra.store.sqlite import SQLiteStore

_USAGE = (
    "use sqlite:///absolute/path.db, sqlite://:memory: or "
    "dynamodb://TABLE[?endpoint=http://127.0.0.1:PORT&region=us-east-1]"
)
# DynamoDB's own table-name rule.
_TABLE_NAME = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")
_DYNAMODB_PARAMS = {"endpoint", "region"}


def build_store(url: str) -> Store:
    """The store a URL names. Raises ValueError naming what is wrong and the accepted forms."""
    if url.startswith("sqlite://"):
        return _sqlite(url)
    if url.startswith("dynamodb://"):
        return _dynamodb(url)
    raise ValueError(f"unknown store URL {url!r}: {_USAGE}")


def _sqlite(url: str) -> Store:
    target = url.removeprefix("sqlite://")
    if target == ":memory:":
        return SQLiteStore(":memory:")
    # A relative path would depend on the working directory of whoever starts the process.
    if not target.startswith("/") or target == "/":
        raise ValueError(f"store URL {url!r} needs an absolute file path: {_USAGE}")
    return SQLiteStore(target)


def _dynamodb(url: str) -> Store:
    from infra.store.dynamodb import DynamoDBStore  # boto3 (~100 ms) only for a DynamoDB URL, never for SQLite

    parts = urlsplit(url)
    table = parts.netloc
    if not _TABLE_NAME.match(table) or parts.path not in ("", "/"):
        raise ValueError(f"store URL {url!r} has no valid table name (3-255 of A-Z a-z 0-9 _ . -): {_USAGE}")
    params = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(params) - _DYNAMODB_PARAMS)
    if unknown:
        raise ValueError(f"store URL {url!r} has unknown parameter(s) {', '.join(unknown)}: {_USAGE}")
    for name, values in params.items():
        if len(values) != 1 or not values[0]:
            raise ValueError(f"store URL {url!r} needs exactly one non-empty value for {name!r}: {_USAGE}")
    endpoint = params.get("endpoint", [None])[0]
    if endpoint is not None:
        endpoint_parts = urlsplit(endpoint)
        if endpoint_parts.scheme not in ("http", "https") or not endpoint_parts.netloc:
            raise ValueError(f"store URL {url!r} has endpoint {endpoint!r}; it must be an http(s) URL: {_USAGE}")
    region = params.get("region", [None])[0]
    return DynamoDBStore(table, endpoint_url=endpoint, region_name=region)
