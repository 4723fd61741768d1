"""The affiliate view: Amazon Attribution publishers, tags and the Brand Referral Bonus (issue 22).

Domain only (no Slack, no boto3): models.py is the shared interface the Slack side builds on,
period.py reads what a person types for a period, service.py answers reports, tags and the weekly
digest from the Attribution API (infra/ads).
"""
