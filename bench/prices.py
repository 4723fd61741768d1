"""The one table of AWS list prices (us-east-1) that bench/cost.py reads.

Every price carries the date it was read and its source, copied from the project's reference
`../shared/reference/ops-and-cost.md` §4 (checked 2026-12-05). List prices, no free tier: the
permanent free tiers are noted in `free_tier` and left out of the sums, so a bill at 1 account
is not hidden behind them. Change a price here and nowhere else.

  .venv/bin/python bench/prices.py      # prints the table
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Price:
    usd: float
    unit: str
    date: str  # when the figure was read (ISO date or year-month)
    source: str
    free_tier: str = ""
    note: str = ""


PRICES: dict[str, Price] = {
    "lambda_gb_s_x86": Price(
        0.0000166667,
        "GB-second, x86_64",
        "2026-12-05",
        "aws.amazon.com/lambda/pricing/ via cloudchipr.com (2024), price-list code (2026)",
        "400,000 GB-s a month",
    ),
    "lambda_gb_s_arm64": Price(
        0.0000133334,
        "GB-second, arm64",
        "2026-12-05",
        "aws.amazon.com/lambda/pricing/ via cloudchipr.com (2024), price-list code (2026)",
        "400,000 GB-s a month (shared with x86)",
    ),
    "lambda_request": Price(
        0.20 / 1e6,
        "request (invocation)",
        "2026-12-05",
        "aws.amazon.com/lambda/pricing/ via cloudchipr.com (2024), price-list code (2026)",
        "1 M requests a month",
        "INIT is billed like invocation time since 2025-08-01 (aws.amazon.com/blogs/compute, 2025-04-29)",
    ),
    "snapstart_cache_gb_s": Price(
        0.0000015046,
        "GB-second of snapshot cache (per published version, at least 3 h)",
        "2026-05",
        "lambda-packaging.md §3 (awsnegotiations.com, 2026-05)",
    ),
    "snapstart_restore_gb": Price(
        0.0001397998,
        "GB restored (per SnapStart cold start)",
        "2026-05",
        "lambda-packaging.md §3 (awsnegotiations.com, 2026-05)",
    ),
    "http_api_request": Price(
        1.00 / 1e6,
        "HTTP API request (first 300 M)",
        "2026",
        "apigatewaycost.com, amnic.com (2026)",
        "1 M a month for 12 months",
    ),
    "dynamodb_wru": Price(
        0.625 / 1e6,
        "write request unit, on-demand (-50 % from 2024-11-01)",
        "2025-08",
        "airbyte.com (2025-07), jusdb.com (2025-08), price-list code (2026)",
    ),
    "dynamodb_rru": Price(
        0.125 / 1e6,
        "read request unit, on-demand",
        "2025-08",
        "airbyte.com (2025-07), jusdb.com (2025-08), price-list code (2026)",
    ),
    "dynamodb_storage_gb_month": Price(
        0.25,
        "GB-month stored",
        "2025-08",
        "airbyte.com (2025-07), jusdb.com (2025-08)",
        "25 GB",
    ),
    "dynamodb_pitr_gb_month": Price(
        0.20,
        "GB-month of point-in-time recovery (unconfirmed)",
        "2025-08",
        "airbyte.com (2025-07), jusdb.com (2025-08); unconfirmed",
    ),
    "sqs_request": Price(
        0.40 / 1e6,
        "standard-queue request (one per 64 KB chunk)",
        "2026-03",
        "cloudburn.io (2026-03), factualminds.com (2026-06)",
        "1 M requests a month",
    ),
    "eventbridge_invocation": Price(
        1.00 / 1e6,
        "EventBridge Scheduler invocation",
        "2026-03",
        "cloudburn.io (2026-03)",
        "14 M a month",
        "osls `schedule:` makes (legacy) scheduled rules, for which no price was found; priced as Scheduler (upper bound)",
    ),
    "ssm_standard_parameter_month": Price(
        0.0,
        "standard parameter-month (4 KB, 10,000 a region), standard throughput calls",
        "2026",
        "stevekinney.com, techoral.com (2025-26)",
    ),
    "secrets_manager_secret_month": Price(
        0.40,
        "secret-month (not used: SSM SecureString holds the tokens; shown for comparison)",
        "2026",
        "stevekinney.com, techoral.com (2025-26)",
    ),
    "logs_ingest_gb": Price(
        0.50,
        "GB ingested (Lambda logs, first 10 TB tier from 2025-05-01)",
        "2025-05",
        "duckbillgroup.com (2025-05), hykell.com (2026)",
        "5 GB",
    ),
    "logs_storage_gb_month": Price(
        0.03,
        "GB-month stored",
        "2025-05",
        "duckbillgroup.com (2025-05), hykell.com (2026)",
    ),
    "custom_metric_month": Price(
        0.30,
        "custom metric-month (first 10,000; prorated hourly)",
        "2022-04",
        "github:nishinoshake/aws-rough #37 (2022-04, quoting the AWS JP page)",
        "10 metrics",
    ),
    "alarm_month": Price(
        0.10,
        "standard-resolution alarm metric-month",
        "2026-09",
        "price-list-derived table (2026-09)",
        "10 alarms",
    ),
}


def price(key: str) -> float:
    return PRICES[key].usd


def main() -> None:
    for key, p in PRICES.items():
        print(f"{key:30} ${p.usd:.10g} per {p.unit}  [{p.date}; {p.source}]")


if __name__ == "__main__":
    main()
