"""DynamoDB store: the production backend, one single table with TTL.

Table shape (keep in sync with serverless.yml):
  pk          S  partition key
  sk          S  sort key
  data        S  JSON text of Item.data (a string keeps floats exact, no Decimal)
  version     N  compare-and-swap counter
  expires_at  N  epoch seconds, the table's TTL attribute (absent = never expires)

Semantics mirror SQLiteStore: an item past `expires_at` is absent for every
read and condition, because DynamoDB's TTL sweeper may lag by up to 48 hours.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import boto3
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from infra.store.base import ConditionFailed, Item, Put, StoreUnavailable, Update

TTL_ATTRIBUTE = "expires_at"
MAX_TRANSACT_STEPS = 100  # DynamoDB's TransactWriteItems limit

# Codes botocore's standard retry mode retries; if they survive its attempts the
# backend is overloaded, which callers treat as "try again later".
_THROTTLE_CODES = frozenset({"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"})
_UNAVAILABLE_CODES = _THROTTLE_CODES | {"InternalServerError", "ServiceUnavailable"}
_RETRYABLE_CANCEL_CODES = frozenset({"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"})

# Live = no expiry, or expiry still in the future. Item absent => both false.
_LIVE = "(attribute_not_exists(expires_at) OR expires_at > :now)"
_ABSENT_OR_EXPIRED = "attribute_not_exists(pk) OR expires_at <= :now"


def table_definition(table_name: str) -> dict[str, Any]:
    """Keyword arguments for `create_table`: on-demand single table keyed by (pk, sk)."""
    return {
        "TableName": table_name,
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }


def ensure_table(client: BaseClient, table_name: str) -> None:
    """Create the table if missing, wait until active, and enable TTL on `expires_at`."""
    try:
        client.create_table(**table_definition(table_name))
    except client.exceptions.ResourceInUseException:
        pass  # already there: creating is idempotent for local runs
    client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    ttl = client.describe_time_to_live(TableName=table_name)["TimeToLiveDescription"]
    if ttl.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
        client.update_time_to_live(
            TableName=table_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
        )


def make_client(*, endpoint_url: str | None = None, region_name: str | None = None, max_retries: int = 5) -> BaseClient:
    """A DynamoDB client whose throttling retries are botocore's standard mode.

    botocore's `max_attempts` counts retries after the first call, so the
    default makes at most 6 calls with jittered exponential backoff.
    """
    config = Config(retries={"mode": "standard", "max_attempts": max_retries})
    return boto3.client("dynamodb", endpoint_url=endpoint_url, region_name=region_name, config=config)


def _unavailable(table_name: str, operation: str, exc: Exception) -> StoreUnavailable:
    return StoreUnavailable(
        f"DynamoDB table {table_name!r} unavailable during {operation} after retries ({exc}); safe to retry later"
    )


class DynamoDBStore:
    """Store protocol on a DynamoDB single table (see module docstring for the shape)."""

    def __init__(
        self,
        table_name: str,
        client: BaseClient | None = None,
        clock: Callable[[], float] = time.time,
        *,
        endpoint_url: str | None = None,
        region_name: str | None = None,
        page_size: int | None = None,
    ) -> None:
        """`page_size` caps items per Query page (tests use it to force pagination)."""
        if page_size is not None and page_size < 1:
            raise ValueError(f"page_size must be a positive integer, got {page_size}")
        self.table_name = table_name
        self._client = client
        self._clock = clock
        self._endpoint_url = endpoint_url
        self._region_name = region_name
        self._page_size = page_size
        self._client_lock = threading.Lock()

    # -- plumbing ---------------------------------------------------------

    @property
    def client(self) -> BaseClient:
        if self._client is None:
            # boto3's default session is not thread-safe while building clients.
            with self._client_lock:
                if self._client is None:
                    self._client = make_client(endpoint_url=self._endpoint_url, region_name=self._region_name)
        return self._client

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        """Run one API call, turning exhausted throttling/outages into StoreUnavailable."""
        try:
            response: dict[str, Any] = getattr(self.client, operation)(**kwargs)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _UNAVAILABLE_CODES:
                raise _unavailable(self.table_name, operation, exc) from exc
            raise
        except (BotoConnectionError, HTTPClientError) as exc:
            raise _unavailable(self.table_name, operation, exc) from exc
        return response

    @staticmethod
    def _response_of(exc: Exception) -> dict[str, Any]:
        """botocore's parsed error response on a ClientError; {} on any other exception."""
        response = getattr(exc, "response", None)
        return response if isinstance(response, dict) else {}

    @classmethod
    def _error_code(cls, exc: Exception) -> str | None:
        code = cls._response_of(exc).get("Error", {}).get("Code")
        return code if isinstance(code, str) else None

    def _now(self) -> int:
        # Integer seconds: the same resolution as expires_at.
        return int(self._clock())

    @staticmethod
    def _key(pk: str, sk: str) -> dict[str, Any]:
        return {"pk": {"S": pk}, "sk": {"S": sk}}

    @staticmethod
    def _to_attributes(item: Item) -> dict[str, Any]:
        attrs: dict[str, Any] = {
            "pk": {"S": item.pk},
            "sk": {"S": item.sk},
            "data": {"S": json.dumps(item.data, sort_keys=True, separators=(",", ":"))},
            "version": {"N": str(item.version)},
        }
        if item.expires_at is not None:
            attrs[TTL_ATTRIBUTE] = {"N": str(item.expires_at)}
        return attrs

    @staticmethod
    def _from_attributes(attrs: dict[str, Any]) -> Item:
        expires = attrs.get(TTL_ATTRIBUTE)
        return Item(
            pk=attrs["pk"]["S"],
            sk=attrs["sk"]["S"],
            data=json.loads(attrs["data"]["S"]),
            version=int(attrs["version"]["N"]),
            expires_at=int(expires["N"]) if expires else None,
        )

    def _live_or_none(self, attrs: dict[str, Any] | None) -> Item | None:
        if not attrs:
            return None
        item = self._from_attributes(attrs)
        return None if item.is_expired(self._now()) else item

    def _failure_reason(self, old: dict[str, Any] | None) -> str:
        return "version mismatch" if self._live_or_none(old) is not None else "item absent"

    def _put_request(self, item: Item) -> dict[str, Any]:
        return {
            "TableName": self.table_name,
            "Item": self._to_attributes(item),
            "ConditionExpression": _ABSENT_OR_EXPIRED,
            "ExpressionAttributeValues": {":now": {"N": str(self._now())}},
        }

    def _update_request(self, step: Update) -> dict[str, Any]:
        values: dict[str, Any] = {
            ":data": {"S": json.dumps(step.data, sort_keys=True, separators=(",", ":"))},
            ":expected": {"N": str(step.expected_version)},
            ":next": {"N": str(step.expected_version + 1)},
            ":now": {"N": str(self._now())},
        }
        expression = "SET #data = :data, #version = :next"
        if step.expires_at is None:
            expression += " REMOVE expires_at"
        else:
            expression += ", expires_at = :expires"
            values[":expires"] = {"N": str(step.expires_at)}
        return {
            "TableName": self.table_name,
            "Key": self._key(step.pk, step.sk),
            "UpdateExpression": expression,
            # `data` is a DynamoDB reserved word, hence the placeholders.
            "ConditionExpression": f"#version = :expected AND {_LIVE}",
            "ExpressionAttributeNames": {"#data": "data", "#version": "version"},
            "ExpressionAttributeValues": values,
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }

    # -- Store protocol ---------------------------------------------------

    def get(self, pk: str, sk: str) -> Item | None:
        response = self._call("get_item", TableName=self.table_name, Key=self._key(pk, sk), ConsistentRead=True)
        return self._live_or_none(response.get("Item"))

    def put_if_absent(self, item: Item) -> bool:
        try:
            self._call("put_item", **self._put_request(item))
        except Exception as exc:
            if self._error_code(exc) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def update(
        self, pk: str, sk: str, data: dict[str, Any], *, expected_version: int, expires_at: int | None = None
    ) -> Item:
        step = Update(pk=pk, sk=sk, data=data, expected_version=expected_version, expires_at=expires_at)
        try:
            self._call("update_item", **self._update_request(step))
        except Exception as exc:
            if self._error_code(exc) == "ConditionalCheckFailedException":
                raise ConditionFailed(pk, sk, self._failure_reason(self._response_of(exc).get("Item"))) from exc
            raise
        return Item(pk=pk, sk=sk, data=data, version=expected_version + 1, expires_at=expires_at)

    def delete(self, pk: str, sk: str, *, expected_version: int | None = None) -> bool:
        request: dict[str, Any] = {"TableName": self.table_name, "Key": self._key(pk, sk), "ReturnValues": "ALL_OLD"}
        if expected_version is not None:
            request |= {
                "ConditionExpression": f"#version = :expected AND {_LIVE}",
                "ExpressionAttributeNames": {"#version": "version"},
                "ExpressionAttributeValues": {
                    ":expected": {"N": str(expected_version)},
                    ":now": {"N": str(self._now())},
                },
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        try:
            response = self._call("delete_item", **request)
        except Exception as exc:
            if self._error_code(exc) == "ConditionalCheckFailedException":
                raise ConditionFailed(pk, sk, self._failure_reason(self._response_of(exc).get("Item"))) from exc
            raise
        # Deleting an expired leftover is housekeeping, not a deletion of a live item.
        return self._live_or_none(response.get("Attributes")) is not None

    def query(self, pk: str, *, prefix: str = "", limit: int | None = None, descending: bool = False) -> list[Item]:
        if limit is not None and limit <= 0:
            return []
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": pk}},
            "ScanIndexForward": not descending,
            "ConsistentRead": True,
        }
        if prefix:  # begins_with rejects an empty key value
            request["KeyConditionExpression"] += " AND begins_with(sk, :prefix)"
            request["ExpressionAttributeValues"][":prefix"] = {"S": prefix}
        if self._page_size is not None:
            request["Limit"] = self._page_size
        now = self._now()
        items: list[Item] = []
        while True:
            response = self._call("query", **request)
            # Expiry is filtered here, not by FilterExpression, so `limit`
            # counts live items across however many pages that takes.
            for attrs in response.get("Items", []):
                item = self._from_attributes(attrs)
                if not item.is_expired(now):
                    items.append(item)
                    if limit is not None and len(items) >= limit:
                        return items
            last_key = response.get("LastEvaluatedKey")
            if not last_key:
                return items
            request["ExclusiveStartKey"] = last_key

    def transact(self, steps: Sequence[Put | Update]) -> None:
        if not steps:
            return
        if len(steps) > MAX_TRANSACT_STEPS:
            raise ValueError(f"transact takes at most {MAX_TRANSACT_STEPS} steps, got {len(steps)}; split the work")
        keys = [(s.item.pk, s.item.sk) if isinstance(s, Put) else (s.pk, s.sk) for s in steps]
        seen: set[tuple[str, str]] = set()
        for key in keys:
            if key in seen:
                raise ValueError(f"transact touches {key[0]}/{key[1]} twice; DynamoDB allows one step per item")
            seen.add(key)
        transact_items = []
        for step in steps:
            if isinstance(step, Put):
                transact_items.append({"Put": self._put_request(step.item)})
            else:
                transact_items.append({"Update": self._update_request(step)})
        try:
            self._call("transact_write_items", TransactItems=transact_items)
        except Exception as exc:
            if self._error_code(exc) != "TransactionCanceledException":
                raise
            reasons = self._response_of(exc).get("CancellationReasons", [])
            for key, step, reason in zip(keys, steps, reasons, strict=False):
                if reason.get("Code") == "ConditionalCheckFailed":
                    why = "item exists" if isinstance(step, Put) else self._failure_reason(reason.get("Item"))
                    raise ConditionFailed(key[0], key[1], why) from exc
            if any(reason.get("Code") in _RETRYABLE_CANCEL_CODES for reason in reasons):
                # A concurrent transaction or throttling: nothing was written.
                raise _unavailable(self.table_name, "transact_write_items", exc) from exc
            raise
