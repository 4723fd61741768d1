"""Amazon Ads API access for Amazon Attribution (issue 22): regional hosts, a thin client on httpx and
tenacity, and the per-account client factory. No Slack; no boto3 outside the SSM secrets source."""
