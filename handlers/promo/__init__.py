"""Promo codes: draft, validate, approve, hand off to Seller Central, track, report.

No public Amazon API creates promotions (sp-api.md §1.1), so the bot owns
everything around the creation step and the creation itself sits behind
`gateway.PromotionGateway`. Nothing here imports Slack or boto3.
"""
