"""What each account-health metric means, its fallback target and what to do about it.

Targets come from the report itself (`targetValue`/`targetCondition`); the
numbers here are Amazon's published thresholds, used only when the report
leaves them out (sp-api.md §2.3).

Severity policy:
  critical — Amazon can deactivate the account or a category for it soon:
             account status other than NORMAL, Account Health Rating under 200
             or AT_RISK/CRITICAL/WARNED, order defect rate, IP complaints
             (received or suspected), product authenticity, product safety,
             food/product safety, restricted products, product review abuse.
  warning  — needs attention but is not a direct deactivation trigger on its own:
             cancellation, late shipment, valid tracking, on-time delivery,
             invoice defects, listing/condition/other policy violations,
             document requests, policy violation warnings, Amazon's
             `warningStates`, notifications about
             single listings or prices, and an unreadable report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Severity = Literal["critical", "warning"]
Condition = Literal["LESS_THAN", "LESS_THAN_OR_EQUAL", "GREATER_THAN", "GREATER_THAN_OR_EQUAL", "EQUALS"]
CONDITIONS: frozenset[str] = frozenset(get_args(Condition))
CONDITION_SYMBOL = {
    "LESS_THAN": "<",
    "LESS_THAN_OR_EQUAL": "≤",
    "GREATER_THAN": ">",
    "GREATER_THAN_OR_EQUAL": "≥",
    "EQUALS": "=",
}


@dataclass(frozen=True)
class MetricSpec:
    name: str
    label: str
    target: float
    condition: Condition
    severity: Severity
    meaning: str
    next_step: str


def meets(value: float, target: float, condition: str) -> bool:
    """True when `value` satisfies `condition target` (the report's own comparison)."""
    if condition == "LESS_THAN":
        return value < target
    if condition == "LESS_THAN_OR_EQUAL":
        return value <= target
    if condition == "GREATER_THAN":
        return value > target
    if condition == "GREATER_THAN_OR_EQUAL":
        return value >= target
    return abs(value - target) < 1e-12


_ODR_MEANING = (
    "Share of orders with a negative feedback, an A-to-z claim or a chargeback over 60 days. "
    "Above 1 % Amazon can deactivate the account."
)
_ODR_NEXT = (
    "Open Account Health > Order Defect Rate, answer open A-to-z claims and chargebacks today, "
    "ask Amazon (not the buyer) to remove feedback that is about FBA fulfilment or is a product review, "
    "fix the root cause (late/damaged shipments, listing accuracy)."
)

RATE_METRICS: dict[str, MetricSpec] = {
    s.name: s
    for s in [
        MetricSpec("orderDefectRate", "Order defect rate", 0.01, "LESS_THAN", "critical", _ODR_MEANING, _ODR_NEXT),
        MetricSpec(
            "preFulfillmentCancellationRate",
            "Pre-fulfilment cancel rate",
            0.025,
            "LESS_THAN",
            "warning",
            "Seller-fulfilled orders you cancelled before shipment over 7 days. Above 2.5 % Amazon can deactivate.",
            "Check inventory sync between channels, set handling time and stock buffers; avoid cancelling for "
            "stock-outs — mark listings inactive instead.",
        ),
        MetricSpec(
            "lateShipmentRate",
            "Late shipment rate",
            0.04,
            "LESS_THAN",
            "warning",
            "Seller-fulfilled orders confirmed after the expected ship date (10 or 30 days). Above 4 % risks deactivation.",
            "Confirm shipments on time (buy labels through Amazon or upload tracking daily), lengthen handling "
            "time for slow SKUs, check the carrier pickups.",
        ),
        MetricSpec(
            "validTrackingRate",
            "Valid tracking rate",
            0.95,
            "GREATER_THAN_OR_EQUAL",
            "warning",
            "Share of seller-fulfilled shipments with a valid tracking number. Below 95 % Amazon can remove "
            "selling privileges in the category.",
            "Upload tracking for every shipment with the exact carrier name; audit the last 30 days' shipments "
            "without valid tracking in Seller Central.",
        ),
        MetricSpec(
            "onTimeDeliveryRate",
            "On-time delivery rate",
            0.90,
            "GREATER_THAN",
            "warning",
            "Share of tracked shipments delivered by the promised date. Amazon targets more than 90 %.",
            "Review transit-time settings and shipping templates, switch slow services, tighten handling time.",
        ),
        MetricSpec(
            "unitOnTimeDeliveryRate",
            "Unit on-time delivery rate (US)",
            0.90,
            "GREATER_THAN",
            "warning",
            "Share of units delivered by the promised date (US only).",
            "Review shipping templates and carriers for late units; tighten handling time.",
        ),
        MetricSpec(
            "invoiceDefectRate",
            "Invoice defect rate",
            0.05,
            "LESS_THAN",
            "warning",
            "Business orders with a missing or late invoice (Amazon Business). Target below 5 %.",
            "Upload invoices within one business day of shipment, or enable VAT/Invoice calculation services.",
        ),
    ]
}

VIOLATION_METRICS: dict[str, MetricSpec] = {
    s.name: s
    for s in [
        MetricSpec(
            "receivedIntellectualPropertyComplaints",
            "Received IP complaints",
            0,
            "EQUALS",
            "critical",
            "Rights owners reported your listings for trademark, copyright or patent infringement.",
            "Open Account Health > Received Intellectual Property Complaints, remove or fix the listings, contact "
            "the rights owner for a retraction or appeal with evidence (invoices, authorisation).",
        ),
        MetricSpec(
            "suspectedIntellectualPropertyViolations",
            "Suspected IP violations",
            0,
            "EQUALS",
            "critical",
            "Amazon suspects listings infringe intellectual property.",
            "Review the flagged listings, fix or remove them, and appeal with proof of authenticity.",
        ),
        MetricSpec(
            "productAuthenticityCustomerComplaints",
            "Product authenticity complaints",
            0,
            "EQUALS",
            "critical",
            "Buyers said items were counterfeit or not authentic.",
            "Check supply-chain invoices for the ASINs, pull suspect stock, respond with invoices in Account Health.",
        ),
        MetricSpec(
            "productSafetyCustomerComplaints",
            "Product safety complaints",
            0,
            "EQUALS",
            "critical",
            "Buyers reported safety problems (injury, hazard) with items.",
            "Review the complaints, pause affected ASINs, gather compliance documents and respond in Account Health.",
        ),
        MetricSpec(
            "foodAndProductSafetyIssues",
            "Food and product safety issues",
            0,
            "EQUALS",
            "critical",
            "Amazon found food or product safety issues with listings.",
            "Open the issues in Account Health, remove affected listings and supply the requested certificates.",
        ),
        MetricSpec(
            "restrictedProductPolicyViolations",
            "Restricted product violations",
            0,
            "EQUALS",
            "critical",
            "Listings break Amazon's restricted products policy.",
            "Remove or fix the listings and check the category's restricted-products rules before relisting.",
        ),
        MetricSpec(
            "productConditionCustomerComplaints",
            "Product condition complaints",
            0,
            "EQUALS",
            "warning",
            "Buyers said items arrived used, damaged or not as described.",
            "Check packaging and condition grading for the ASINs; fix listing condition notes.",
        ),
        MetricSpec(
            "listingPolicyViolations",
            "Listing policy violations",
            0,
            "EQUALS",
            "warning",
            "Listings break Amazon's listing policies.",
            "Open Account Health > Listing Policy Violations and fix or remove each listing.",
        ),
        MetricSpec(
            "otherPolicyViolations",
            "Other policy violations",
            0,
            "EQUALS",
            "warning",
            "Amazon recorded other policy violations.",
            "Open Account Health, read each violation and respond or fix before the deadline shown.",
        ),
        MetricSpec(
            "documentRequests",
            "Document requests",
            0,
            "EQUALS",
            "warning",
            "Amazon asked for documents (invoices, certificates) about your account or listings.",
            "Open Account Health > Document Requests and upload the documents before the deadline.",
        ),
        # Not in Amazon's schema, but carried by live reports (amazon-models/README.md, sp-api.md §2.2).
        MetricSpec(
            "customerProductReviewsPolicyViolations",
            "Customer product reviews policy violations",
            0,
            "EQUALS",
            "critical",
            "Amazon found review manipulation (incentivised, paid or solicited positive reviews, review requests "
            "outside Amazon's rules). Amazon can remove selling privileges for it.",
            "Open Account Health > Customer Product Reviews Policy Violations, stop the practice (inserts, "
            "messages or services asking for positive reviews) and respond with a plan of action.",
        ),
        MetricSpec(
            "policyViolationWarnings",
            "Policy violation warnings",
            0,
            "EQUALS",
            "warning",
            "Amazon issued policy warnings on the account; repeated warnings lower the Account Health Rating.",
            "Open Account Health > Policy violation warnings, read each warning and fix the cause or appeal it.",
        ),
    ]
}

ACCOUNT_STATUS = MetricSpec(
    "accountStatus",
    "Account status",
    0,
    "EQUALS",
    "critical",
    "Amazon's selling status for this marketplace. AT_RISK precedes deactivation; DEACTIVATED/SUSPENDED means "
    "you cannot sell.",
    "Open Account Health now; for AT_RISK fix the listed metrics, for DEACTIVATED/SUSPENDED submit a plan of "
    "action (root cause, fixes, prevention) through the Reactivate button.",
)
ACCOUNT_HEALTH_RATING = MetricSpec(
    "accountHealthRating",
    "Account Health Rating",
    200,
    "GREATER_THAN_OR_EQUAL",
    "critical",
    "Amazon's overall policy-compliance rating (0–1,000, healthy from 200; 100–199 at risk, 0–99 critical). "
    "A score under 200, or the status AT_RISK, CRITICAL or WARNED, means the account is at risk of deactivation.",
    "Open Account Health, resolve the policy violations it lists (each one lowers the rating) and appeal wrongful ones.",
)
WARNING_STATE = MetricSpec(
    "warningState",
    "Amazon warning",
    0,
    "EQUALS",
    "warning",
    "Amazon flagged a behaviour on the account (e.g. spammingSellerMessaging).",
    "Open Account Health and read the warning; stop the behaviour (for messaging: only send permitted messages).",
)
REPORT_NOTICE = MetricSpec(
    "reportNotice",
    "Report field not read",
    0,
    "EQUALS",
    "warning",
    "The report carries a field or value this bot does not know (a new metric, an unknown status or a malformed "
    "value); it was not evaluated.",
    "Look the field up in Account Health in Seller Central; if it is a new Amazon metric, ask for it to be added.",
)
REPORT_UNREADABLE = MetricSpec(
    "reportUnreadable",
    "Report unreadable",
    0,
    "EQUALS",
    "warning",
    "The account-health report could not be read, so this account is NOT being monitored right now.",
    "Check the SP-API authorisation for this account and re-run the check; if it persists, open Account Health "
    "in Seller Central manually.",
)

# Lower is better for these: the trend chart draws them on one axis, the rest on another.
LOWER_IS_BETTER = ("orderDefectRate", "preFulfillmentCancellationRate", "lateShipmentRate", "invoiceDefectRate")
HIGHER_IS_BETTER = ("validTrackingRate", "onTimeDeliveryRate", "unitOnTimeDeliveryRate")


def spec_for(metric: str) -> MetricSpec | None:
    """Spec for a flag's metric name (`orderDefectRate.mfn` -> orderDefectRate, `warningState.x` -> warningState)."""
    base = metric.split(".", 1)[0]
    for table in (RATE_METRICS, VIOLATION_METRICS):
        if base in table:
            return table[base]
    return {
        s.name: s for s in (ACCOUNT_STATUS, ACCOUNT_HEALTH_RATING, WARNING_STATE, REPORT_NOTICE, REPORT_UNREADABLE)
    }.get(base)


def label_for(metric: str) -> str:
    spec = spec_for(metric)
    if spec is None:
        return metric
    suffix = metric.split(".", 1)[1] if "." in metric else ""
    return (
        f"{spec.label} ({suffix.upper() if suffix in ('mfn', 'afn') else suffix})"
        if suffix and suffix != "all"
        else spec.label
    )
