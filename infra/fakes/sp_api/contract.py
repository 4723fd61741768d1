"""Amazon's published SP-API models as the contract every fake request and response must meet.

The models are unmodified copies of amzn/selling-partner-api-models (Apache-2.0) vendored in
`amazon_models/` beside this file. Checks are done with `jsonschema` on the models' own
definitions; this module only finds the operation, turns query strings into the typed values
Swagger 2.0 declares (arrays are comma-separated, integers are digits) and names the field the
way the model names it.

    models = amazon_models()
    op = models.operation("GET", "/orders/v0/orders/902-1845936-5435065")
    op.request_violations(path_params, query, body)     # [] when the request is what Amazon takes
    op.response_violations(200, payload, strict=True)   # [] when the answer is what Amazon says

`strict=True` also refuses properties the model does not define: a fake may only say what the
real service says. Amazon's live answers may carry more (see amazon_models/README.md), so the
bot's parsers are never strict.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from jsonschema import Draft4Validator, FormatChecker

MODELS_DIR = Path(__file__).resolve().parent / "amazon_models"
MODEL_FILES = (
    "models/orders-api-model/ordersV0.json",
    "models/solicitations-api-model/solicitations.json",
    "models/messaging-api-model/messaging.json",
    "models/reports-api-model/reports_2021-06-30.json",
    "models/notifications-api-model/notifications.json",
    "models/catalog-items-api-model/catalogItems_2022-04-01.json",
    "models/listings-items-api-model/listingsItems_2021-08-01.json",
    "models/sellers-api-model/sellers.json",
    "models/application-management-api-model/application_2023-11-30.json",
)
# Report documents and notification payloads: JSON schemas, not Swagger models.
DOCUMENT_SCHEMAS = {
    "GET_V2_SELLER_PERFORMANCE_REPORT": "schemas/reports/accountHealthReport-2020-11-18.json",
    "GET_PROMOTION_PERFORMANCE_REPORT": "schemas/reports/promotionReport.json",
}
_FORMATS = FormatChecker(["date-time"])
# GET_V2_SELLER_PERFORMANCE_REPORT: Amazon's own example spells these keys differently from its
# schema (sp-api.md §2.2), so a document in either spelling is Amazon's; it is checked in the
# schema's.
V2_EXAMPLE_SPELLINGS = {
    "prefulfillmentCancelRate": "preFulfillmentCancellationRate",
    "warningState": "warningStates",
    "documentRequest": "documentRequests",
}


@dataclass(frozen=True)
class Violation:
    """One way a request or response differs from Amazon's model, named as the model names it."""

    operation: str
    model: str
    where: str  # "query parameter MarketplaceIds", "response 200 payload.Orders[0].OrderStatus"
    problem: str

    def __str__(self) -> str:
        return f"{self.operation} ({self.model}): {self.where}: {self.problem}"


@dataclass(frozen=True)
class SandboxCase:
    """One `x-amzn-api-sandbox` static pair: the request parameters and Amazon's response."""

    status: int
    parameters: Mapping[str, Any]
    response: Any


class SchemaError(Protocol):
    """What this module reads of a jsonschema ValidationError (jsonschema ships no type hints)."""

    @property
    def message(self) -> str: ...

    @property
    def validator(self) -> str: ...

    @property
    def validator_value(self) -> object: ...

    @property
    def instance(self) -> object: ...

    @property
    def absolute_path(self) -> Sequence[str | int]: ...


def _path_of(error: SchemaError) -> str:
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problem(error: SchemaError) -> str:
    """jsonschema's complaint in the model's terms, without echoing a long value back."""
    if error.validator in ("maxLength", "minLength") and isinstance(error.instance, str):
        return f"fails {error.validator} {error.validator_value} (got {len(error.instance)} characters)"
    if error.validator in ("maxItems", "minItems") and isinstance(error.instance, list):
        return f"fails {error.validator} {error.validator_value} (got {len(error.instance)} items)"
    message = error.message
    return message if len(message) <= 300 else message[:300] + "…"


def _strict(schema: Any) -> Any:
    """A copy where every object schema with declared properties refuses undeclared ones."""
    if isinstance(schema, dict):
        out = {k: _strict(v) for k, v in schema.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


@dataclass
class Operation:
    model: str  # file name, e.g. "ordersV0.json"
    operation_id: str
    method: str
    template: str
    parameters: list[dict[str, Any]]
    responses: dict[str, Any]
    definitions: dict[str, Any] = field(repr=False)
    strict_definitions: dict[str, Any] = field(repr=False)
    _pattern: re.Pattern[str] = field(init=False, repr=False)
    _validators: dict[tuple[str, bool], Draft4Validator] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.template))
        self._pattern = re.compile(f"^{regex}$")

    def match(self, path: str) -> dict[str, str] | None:
        found = self._pattern.match(path)
        return found.groupdict() if found else None

    # -- requests ---------------------------------------------------------------------------

    def request_violations(
        self, path_params: Mapping[str, str], query: Mapping[str, list[str]], body: Any
    ) -> list[Violation]:
        out: list[Violation] = []
        for param in self.parameters:
            name, where = param["name"], param["in"]
            if where == "body":
                out += self._body_violations(param, body)
                continue
            raw: list[str] | None
            if where == "path":
                raw = [path_params[name]] if name in path_params else None
            elif where == "query":
                raw = list(query[name]) if name in query else None
            else:  # header / formData: python-amazon-sp-api sends none the models require
                continue
            label = f"{where} parameter {name}"
            if raw is None:
                if param.get("required"):
                    out.append(self._violation(label, "is required by the model"))
                continue
            value = self._typed(param, raw)
            schema = {
                k: v for k, v in param.items() if k not in ("name", "in", "description", "required", "collectionFormat")
            }
            for error in Draft4Validator(schema, format_checker=_FORMATS).iter_errors(value):
                out.append(self._violation(label, f"{_problem(error)} (sent {str(raw)[:120]})"))
        return out

    @staticmethod
    def _typed(param: Mapping[str, Any], raw: list[str]) -> Any:
        def scalar(text: str, kind: str | None) -> Any:
            if kind == "integer" and re.fullmatch(r"-?\d+", text):
                return int(text)
            if kind == "number":
                try:
                    return float(text)
                except ValueError:
                    return text
            if kind == "boolean" and text in ("true", "false"):
                return text == "true"
            return text

        if param.get("type") == "array":
            separator = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"}.get(param.get("collectionFormat", "csv"))
            items = [v for text in raw for v in (text.split(separator) if separator else [text])]
            return [scalar(v, (param.get("items") or {}).get("type")) for v in items]
        return scalar(raw[-1], param.get("type"))

    def _body_violations(self, param: Mapping[str, Any], body: Any) -> list[Violation]:
        if body is None:
            return [self._violation("body", "is required by the model")] if param.get("required") else []
        return [
            self._violation(f"body {_path_of(e) or '(root)'}", _problem(e))
            for e in self._validator(param["schema"], strict=False).iter_errors(body)
        ]

    # -- responses --------------------------------------------------------------------------

    def response_schema(self, status: int) -> Any:
        spec = self.responses.get(str(status))
        return None if spec is None else spec.get("schema")

    def response_violations(self, status: int, payload: Any, *, strict: bool = True) -> list[Violation]:
        if str(status) not in self.responses:
            declared = ", ".join(sorted(self.responses))
            return [self._violation(f"response {status}", f"is not a status the model declares ({declared})")]
        schema = self.response_schema(status)
        if schema is None:
            return []
        return [
            self._violation(f"response {status} {_path_of(e) or '(root)'}", _problem(e))
            for e in self._validator(schema, strict=strict).iter_errors(payload)
        ]

    def _validator(self, schema: Any, *, strict: bool) -> Draft4Validator:
        key = (json.dumps(schema, sort_keys=True), strict)
        validator = self._validators.get(key)
        if validator is None:
            root = dict(
                _strict(schema) if strict else schema,
                definitions=self.strict_definitions if strict else self.definitions,
            )
            validator = self._validators[key] = Draft4Validator(root, format_checker=_FORMATS)
        return validator

    def sandbox_cases(self) -> list[SandboxCase]:
        out = []
        for status, spec in self.responses.items():
            for case in (spec.get("x-amzn-api-sandbox") or {}).get("static", []):
                params = {k: v.get("value") for k, v in (case.get("request") or {}).get("parameters", {}).items()}
                out.append(SandboxCase(int(status), params, case.get("response")))
        return out

    def _violation(self, where: str, problem: str) -> Violation:
        return Violation(self.operation_id, self.model, where, problem)


class AmazonModels:
    """Every operation of the vendored models, found by method and concrete path."""

    def __init__(self, directory: Path = MODELS_DIR, files: Iterable[str] = MODEL_FILES) -> None:
        self.directory = directory
        self.operations: list[Operation] = []
        for rel in files:
            spec = json.loads((directory / rel).read_text(encoding="utf-8"))
            definitions = spec.get("definitions", {})
            strict_definitions = _strict(definitions)
            for template, item in spec["paths"].items():
                shared = item.get("parameters", [])
                for method, op in item.items():
                    if method.startswith("x-") or method == "parameters" or not isinstance(op, dict):
                        continue
                    self.operations.append(
                        Operation(
                            Path(rel).name,
                            op["operationId"],
                            method.upper(),
                            template,
                            [*shared, *op.get("parameters", [])],
                            op.get("responses", {}),
                            definitions,
                            strict_definitions,
                        )
                    )
        # Literal segments win over templates ("/reports" before "/reports/{reportId}").
        self.operations.sort(key=lambda o: o.template.count("{"))

    def operation(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        for op in self.operations:
            if op.method == method.upper():
                params = op.match(path)
                if params is not None:
                    return op, params
        return None

    def by_id(self, operation_id: str) -> Operation:
        for op in self.operations:
            if op.operation_id == operation_id:
                return op
        raise KeyError(f"{operation_id} is in none of the vendored models")

    def document_schema(self, report_type: str) -> dict[str, Any] | None:
        rel = DOCUMENT_SCHEMAS.get(report_type)
        return None if rel is None else json.loads((self.directory / rel).read_text(encoding="utf-8"))

    def document_violations(self, report_type: str, document: Any) -> list[Violation]:
        schema = self.document_schema(report_type)
        if schema is None:
            return []
        schema = {k: v for k, v in schema.items() if k not in ("examples", "$schema", "$id")}
        if report_type == "GET_V2_SELLER_PERFORMANCE_REPORT":
            document = _v2_in_schema_spelling(document)
        name = Path(DOCUMENT_SCHEMAS[report_type]).name
        return [
            Violation(report_type, name, f"document {_path_of(e) or '(root)'}", _problem(e))
            for e in Draft4Validator(schema, format_checker=_FORMATS).iter_errors(document)
            if not _us_only_metric_elsewhere(e)
        ]


def _us_only_metric_elsewhere(error: SchemaError) -> bool:
    """unitOnTimeDeliveryRate is required by the V2 schema though "only available in the US marketplace"."""
    return (
        error.validator == "required"
        and "'unitOnTimeDeliveryRate'" in error.message
        and isinstance(error.instance, dict)
        and error.instance.get("marketplaceId") != "ATVPDKIKX0DER"
    )


def _v2_in_schema_spelling(document: Any) -> Any:
    """The V2 report with its example's spellings read as the schema's. One more place where the
    schema contradicts itself: `accountHealthRating` defines `accountHealthRatingStatus` but requires
    `ahrStatus` (one field, two names)."""
    if not isinstance(document, dict) or not isinstance(document.get("performanceMetrics"), list):
        return document
    metrics = []
    for entry in document["performanceMetrics"]:
        if not isinstance(entry, dict):
            metrics.append(entry)
            continue
        entry = {V2_EXAMPLE_SPELLINGS.get(k, k): v for k, v in entry.items()}
        rating = entry.get("accountHealthRating")
        if isinstance(rating, dict) and "accountHealthRatingStatus" in rating:
            entry["accountHealthRating"] = {"ahrStatus": rating["accountHealthRatingStatus"], **rating}
        metrics.append(entry)
    return {**document, "performanceMetrics": metrics}


@functools.lru_cache(maxsize=1)
def amazon_models() -> AmazonModels:
    """The vendored models, parsed once per process (about 0.8 MB of JSON)."""
    return AmazonModels()
