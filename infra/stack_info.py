"""What the deployed stack says about itself (CloudFormation): its outputs, its queues' URLs, its String parameters.

Read by `sellerbot doctor` and `sellerbot secrets put` on the deployer's machine (the Lambda roles have no
cloudformation:Describe*). boto3 is imported on first use; a failure raises infra.ops_status.Unreadable with
AWS's error code, never the exception's text.
"""

from __future__ import annotations

from typing import Any

from infra.ops_status import Unreadable, refusal

SERVICE = "sellerbot"


def stack_name(stage: str) -> str:
    return f"{SERVICE}-{stage}"


class StackInfo:
    def __init__(
        self, stage: str, *, region: str | None = None, endpoint_url: str | None = None, session: Any = None
    ) -> None:
        self.stage, self.region, self.endpoint_url = stage, region, endpoint_url
        self._session = session

    def _client(self, service: str) -> Any:
        if self._session is None:
            import boto3  # the deployer's machine only

            self._session = boto3.Session(region_name=self.region)
        return self._session.client(service, endpoint_url=self.endpoint_url)

    def outputs(self) -> dict[str, str]:
        try:
            stacks = self._client("cloudformation").describe_stacks(StackName=stack_name(self.stage))
        except Exception as exc:
            raise refusal("CloudFormation", exc) from None
        found = stacks.get("Stacks") or []
        if not found:
            raise Unreadable(f"no stack {stack_name(self.stage)}")
        return {o["OutputKey"]: o["OutputValue"] for o in found[0].get("Outputs", [])}

    def queue_urls(self, logical_ids: set[str]) -> dict[str, str]:
        """Logical id -> queue URL for the stack's SQS queues among `logical_ids`."""
        try:
            pages = self._client("cloudformation").get_paginator("list_stack_resources")
            found: dict[str, str] = {}
            for page in pages.paginate(StackName=stack_name(self.stage)):
                for r in page.get("StackResourceSummaries", []):
                    if r.get("ResourceType") == "AWS::SQS::Queue" and r.get("LogicalResourceId") in logical_ids:
                        found[r["LogicalResourceId"]] = r["PhysicalResourceId"]
            return found
        except Exception as exc:
            raise refusal("CloudFormation", exc) from None

    def string_parameter(self, name: str) -> str | None:
        """The String parameter /sellerbot/<stage>/<name>, or None when it does not exist."""
        client = self._client("ssm")
        try:
            value = client.get_parameter(Name=f"/{SERVICE}/{self.stage}/{name}")["Parameter"]["Value"]
        except client.exceptions.ParameterNotFound:
            return None
        except Exception as exc:
            raise refusal("SSM", exc) from None
        return str(value)

    def put_string_parameter(self, name: str, value: str) -> None:
        try:
            self._client("ssm").put_parameter(
                Name=f"/{SERVICE}/{self.stage}/{name}", Value=value, Type="String", Overwrite=True
            )
        except Exception as exc:
            raise refusal("SSM", exc) from None
