"""Red flags / account health: parse Amazon's V2 performance report, evaluate, alert, trend.

Modules: report (parser), metrics (targets, meanings, severities), evaluate
(flags, trends, diff), alerts (lifecycle in the Store), snapshots, notifications
(push path), service (check_account, apply_notification), chart (PNG), fetch
(Reports API flow against an injected caller). See FANOUT.md for the schedule.
"""
