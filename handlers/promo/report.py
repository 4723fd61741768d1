"""Ingest a promo-code sales report into totals, referred share and daily figures.

Two Amazon layouts are read:

* the per-code report (Advertising → Promotions → Manage Promotions → Download
  report), with a "Referred by Associate/Influencer" column; and
* the All Orders report (`GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL`,
  Reports → Fulfillment → All Orders): tab-separated, one row per order item,
  headers amazon-order-id, purchase-date, order-status, item-status, quantity,
  item-price, item-promotion-discount, promotion-ids, ... Its `promotion-ids`
  cell is a comma-separated list of every promotion applied to the item (e.g.
  "SUMMER26,US Core Free Shipping 2015/04/08 23-48-5-108"); a code matches an
  entry equal to it or containing it as a whole word, compared the way Amazon
  stores codes (uppercase, 0→O, 1→I). Cancelled rows (order-status or
  item-status "Cancelled") are not sales and are left out.

With a code, only that code's rows are counted. A code no row carries is
rejected with CodeNotFound (naming the code and the file's purchase-date range),
and so is a code asked of a file that cannot tell codes apart (no promo-code /
promotion-ids column and no referral column, i.e. not a per-code report):
never a silent report of every order in the file.

Tolerates: header case/spacing/order, the aliases in COLUMN_ALIASES, a UTF-8
BOM, UTF-16 (BOM), cp1252/latin-1, and `,` `;` tab `|` delimiters. Missing
required columns reject the whole file with the columns named. Unreadable rows
are left out of the totals: the first MAX_ROW_ERRORS are listed in `row_errors`,
the rest only counted (`row_errors_omitted`). The file is parsed in full before
anything is returned, so callers never store half a report.

Hostile input (issue 23): every cell is length-checked before a pattern or a
split sees it (MAX_DATE_CHARS, MAX_NUMBER_CHARS, MAX_CELL_CHARS), and every
pattern is linear in its input, so parsing is linear in the file; a field
longer than MAX_FIELD_CHARS rejects the file with the line named.
Buyer PII is never read: only the columns below are used.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from handlers.promo.rules import canonical_code
from infra.marketplaces import marketplace as marketplace_row
from infra.marketplaces import zone_of

# canonical → accepted header spellings (compared lowercased with spaces/punctuation collapsed).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "order_id": ("order id", "amazon order id", "order number", "order-id"),
    "purchase_date": ("purchase date", "order date", "purchase-date", "date"),
    "shipment_date": ("shipment date", "ship date", "shipped date", "shipment-date"),
    "product_name": ("product name", "title", "item name", "product-name"),
    "asin": ("asin",),
    "quantity": ("quantity", "qty", "units", "quantity shipped", "item quantity", "quantity-purchased"),
    "item_price": ("item price", "price", "revenue", "item-price", "sales", "product sales"),
    "discount": ("promotion discount", "discount", "promo discount", "item promotion discount", "promotion-discount"),
    "promo_code": ("promo code", "promotion code", "claim code", "promotion id", "promo-code", "promotion-ids"),
    "referred": (
        "referred by associate/influencer",
        "referred by associate / influencer",
        "referred by associate or influencer",
        "referred by influencer",
        "associate/influencer referral",
        "referred",
    ),
    "order_status": ("order-status", "order status"),
    "item_status": ("item-status", "item status"),
    "currency": ("currency", "currency code", "currency-code"),
}
REQUIRED = ("order_id", "quantity", "item_price")
DELIMITERS = ",;\t|"


class ReportRejected(Exception):
    """The file cannot be read as a promo report; `reason` says why and what to fix."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CodeNotFound(ReportRejected):
    """No countable row of the file carries `code`; `first`/`last` are the file's date range (None if unreadable)."""

    def __init__(self, reason: str, *, code: str, first: date | None, last: date | None) -> None:
        super().__init__(reason)
        self.code, self.first, self.last = code, first, last


# The csv module's field limit is process-global, so it is set once, here at import, to this documented bound
# (the csv module's own default, made explicit; nothing else in this project reads CSV). The largest legal field,
# an All Orders promotion-ids list or a product name, is a few hundred characters. parse_report also checks each
# row against the bound itself, so another module widening the process-wide limit cannot change what it accepts.
MAX_FIELD_CHARS = 131_072
csv.field_size_limit(MAX_FIELD_CHARS)
# Longest cell a pattern is applied to. Dates ("2026-12-01T10:00:00+00:00", "Dec 1, 2026 10:00:00 PM PST") and
# numbers ("-1.234,56 EUR") are far shorter; promotion-ids lists and header names get MAX_CELL_CHARS. A longer
# cell is a row error naming its column, never handed to a regular expression.
MAX_DATE_CHARS = 64
MAX_NUMBER_CHARS = 64
MAX_CELL_CHARS = 4_096
# Rows with errors listed in the result; the rest are only counted, so a file of bad rows costs no more memory
# than a file of good ones.
MAX_ROW_ERRORS = 50
_QUOTE_CHARS = 40  # how much of a bad cell a row error quotes


class RowError(BaseModel):
    line: int
    reason: str


class DailyTotal(BaseModel):
    date: date
    orders_referred: int
    orders_not_referred: int
    revenue: float


class PromoReport(BaseModel):
    code: str | None = None
    orders: int
    units: int
    revenue: float
    discount_cost: float
    referred_orders: int
    referred_revenue: float
    referred_units: int = 0
    # None when the file has no referral column (Amazon fills it only for shared codes).
    referred_share_orders: float | None
    referred_share_revenue: float | None
    referred_share_units: float | None = None
    daily: list[DailyTotal]
    rows: int
    row_errors: list[RowError] = Field(default_factory=list)  # the first MAX_ROW_ERRORS
    row_errors_omitted: int = 0  # rows with errors past the first MAX_ROW_ERRORS: counted, not listed
    encoding: str
    delimiter: str
    columns: dict[str, str]  # canonical → header found
    # ISO 4217 code of every money figure above: from the file (a currency column, or a symbol/code in the money
    # cells) when it says, else the marketplace's; None when neither is known (no marketplace was given).
    currency: str | None = None
    currency_source: Literal["report", "marketplace"] | None = None
    marketplace: str | None = None  # the marketplace the days and the currency were read for
    # The file's first and last day over every row with a readable date (not only the code's): what it covers.
    # A timestamp with an offset counts on its day in the marketplace's local time, as Seller Central shows it.
    first_day: date | None = None
    last_day: date | None = None

    @property
    def row_error_count(self) -> int:
        return len(self.row_errors) + self.row_errors_omitted


# Default 200,000: the most rows after the header parse_report reads; a longer file is refused with
# ReportRejected (nothing is totalled) rather than counted in part.
MAX_ROWS = 200_000


def _norm(header: str) -> str:
    if len(header) > MAX_CELL_CHARS:  # no alias is this long; keep the pattern off it
        return ""
    return re.sub(r"[\s_\-]+", " ", header.strip().strip('"').lower()).strip()


_ALIAS_LOOKUP = {_norm(a): canon for canon, aliases in COLUMN_ALIASES.items() for a in aliases}


def decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    # UTF-16 without a BOM: every other byte of ASCII text is NUL.
    if len(raw) >= 4 and raw[1:2] == b"\x00" and raw[3:4] == b"\x00":
        return raw.decode("utf-16-le"), "utf-16-le"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _quote(cell: str) -> str:
    """A bad cell as a row error shows it: its start only, so an error never copies a long cell."""
    return repr(cell[:_QUOTE_CHARS]) + ("…" if len(cell) > _QUOTE_CHARS else "")


def _bounded(cell: str, limit: int, column: str) -> str:
    """`cell`, or ValueError naming the column when it is too long to be a legal value (checked before any pattern)."""
    if len(cell) > limit:
        raise ValueError(f"{column} is longer than {limit} characters")
    return cell


def _money(text: str) -> Decimal:
    t = re.sub(r"[^\d,.\-()]", "", text.strip())
    negative = t.startswith(("(", "-"))
    t = t.strip("()-")
    if "," in t and "." in t:
        t = t.replace(",", "") if t.rfind(".") > t.rfind(",") else t.replace(".", "").replace(",", ".")
    elif "," in t:
        # "12,50" is a decimal comma; "1,250" a thousands separator.
        t = t.replace(",", ".") if len(t.split(",")[-1]) != 3 else t.replace(",", "")
    if not t:
        raise InvalidOperation
    value = Decimal(t)
    return -value if negative else value


_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%d/%m/%Y", "%b %d, %Y", "%d %b %Y", "%Y/%m/%d")


# What a cell must hold for each format to have a chance: its separators, and letters for a month name.
# Only those formats are tried, so a bad date costs at most three strptime calls (the three "/" formats).
_FORMAT_NEEDS = tuple((fmt, frozenset(re.sub(r"%[a-zA-Z]", "", fmt)) - {" "}, "%b" in fmt) for fmt in _DATE_FORMATS)
_ISO_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]")
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_LONGEST_DAY = 24  # twice the longest day _DATE_FORMATS reads


def _date(text: str) -> date:
    """The day of a date cell; the cell is at most MAX_DATE_CHARS (callers check) and every step is linear."""
    t = text.strip()
    m = _ISO_DAY.match(t)
    if m:
        return date.fromisoformat(m.group(1))
    # The date is what comes before the first whitespace-separated "H:MM" token ("Dec 1, 2026 10:00:00 PM PST").
    # Token by token rather than re.split(r"\s+\d{1,2}:\d{2}"), which backtracks over every run of spaces.
    words = t.split()
    clock = next((i for i, w in enumerate(words) if i and _CLOCK.match(w)), len(words))
    head = " ".join(words[:clock]).rstrip(",")
    # Every accepted day has digits and is at most 12 characters once spaces are single ("Dec 01, 2026"):
    # anything else is refused without trying a format.
    if len(head) <= _LONGEST_DAY and any(ch.isdigit() for ch in head):
        chars, letters = frozenset(head), any(ch.isalpha() for ch in head)
        for fmt, needs, month_name in _FORMAT_NEEDS:
            if not needs <= chars or (month_name and not letters):
                continue
            try:
                return datetime.strptime(head, fmt).date()
            except ValueError:
                continue
    raise ValueError(f"unreadable date {_quote(text)}")


# Money-cell symbols that name one currency. "$" does not (USD, CAD, MXN all write it): it is read as the
# marketplace's currency when that is a dollar one, else as USD.
_SYMBOLS = {"€": "EUR", "£": "GBP", "¥": "JPY", "￥": "JPY"}
_DOLLARS = ("USD", "CAD", "MXN")
_ISO_CURRENCY = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")


def _cell_currency(text: str, dollar: str) -> str | None:
    """The currency a money cell writes ("€25,00", "25.00 EUR", "$25"), else None; `text` is already bounded."""
    for symbol, code in _SYMBOLS.items():
        if symbol in text:
            return code
    if "$" in text:
        return dollar
    m = _ISO_CURRENCY.search(text)
    return m.group(1) if m else None


def _zoned_day(text: str, zone: ZoneInfo) -> date | None:
    """The local day of an ISO timestamp with an offset ("2026-12-01T05:00:00+00:00", "…Z"); None otherwise."""
    t = text.strip()
    if not _ISO_DAY.match(t):
        return None
    try:
        when = datetime.fromisoformat(t.replace("Z", "+00:00") if t.endswith("Z") else t)
    except ValueError:
        return None
    return when.astimezone(zone).date() if when.tzinfo else None


_WORD = r"[A-Z0-9]"


def _code_matcher(code: str) -> Callable[[str], bool]:
    """Does a promo-code cell (one code, or Amazon's comma-separated promotion-ids list) carry `code`?"""
    want = canonical_code(code)
    word = re.compile(rf"(?<!{_WORD}){re.escape(want)}(?!{_WORD})")

    def matches(cell: str) -> bool:
        return any(word.search(canonical_code(entry)) for entry in cell.split(",") if entry.strip())

    return matches


def _cancelled(row: list[str], columns: dict[str, int]) -> bool:
    return any(
        c in columns and row[columns[c]].strip().lower() in {"cancelled", "canceled"}
        for c in ("order_status", "item_status")
    )


def _yes(text: str) -> bool:
    return text.strip().lower() in {"y", "yes", "true", "1", "ja", "oui", "sí", "si"}


@dataclass
class _Table:
    """The file opened as a table: its rows after the header (with their line), and where each known column is."""

    rows: Iterator[tuple[int, list[str]]]
    header: list[str]
    columns: dict[str, int]  # canonical → index
    found: dict[str, str]  # canonical → header found
    encoding: str
    delimiter: str
    zone: ZoneInfo | None = None  # the marketplace's: timestamps with an offset count on their local day

    @property
    def date_col(self) -> int:
        return self.columns["purchase_date"] if "purchase_date" in self.columns else self.columns["shipment_date"]

    @property
    def date_kind(self) -> str:
        return "purchase" if "purchase_date" in self.columns else "shipment"

    def label(self, canon: str) -> str:
        """The column's header as the file spells it, short enough for a message."""
        return self.found[canon][:_QUOTE_CHARS]

    def day(self, row: list[str]) -> date:
        """The row's date; ValueError when too long or unreadable."""
        canon = "purchase_date" if "purchase_date" in self.columns else "shipment_date"
        cell = _bounded(row[self.date_col], MAX_DATE_CHARS, self.label(canon))
        zoned = _zoned_day(cell, self.zone) if self.zone is not None else None
        return zoned if zoned is not None else _date(cell)


def _field_too_long(line: int) -> ReportRejected:
    return ReportRejected(
        f'line {line} has a field longer than {MAX_FIELD_CHARS:,} characters, often a quote (") that is never '
        "closed; download the report from Seller Central again rather than editing it"
    )


def _records(reader: Iterator[list[str]], first_line: int) -> Iterator[tuple[int, list[str]]]:
    """(line, row) of each record; ReportRejected naming the line when a field is too long or the CSV unreadable."""
    line = first_line
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # raised by the reader; its text is for developers, so it becomes a sentence
            if "field limit" in str(exc):
                raise _field_too_long(line) from None
            raise ReportRejected(
                f"line {line} cannot be read as CSV/TSV (check its quotes); "
                "download the report from Seller Central again rather than editing it"
            ) from None
        # The same bound checked here too: csv.field_size_limit is process-wide, so another module may widen it.
        if row and max(map(len, row)) > MAX_FIELD_CHARS:
            raise _field_too_long(line)
        yield line, row
        line += 1


def _names(header: list[str]) -> str:
    """The header as a rejection lists it: the first 30 names, each cut short."""
    shown = ", ".join(h.strip()[:_QUOTE_CHARS] for h in header[:30])
    return shown + (f" and {len(header) - 30} more" if len(header) > 30 else "")


def _open_table(raw: bytes | str) -> _Table:
    """Decode, sniff the delimiter, map the header; ReportRejected when the file or a required column is missing."""
    try:
        text, encoding = (raw, "str") if isinstance(raw, str) else decode(raw)
    except UnicodeDecodeError as exc:  # a BOM (or NUL pattern) promised an encoding the bytes do not keep
        raise ReportRejected(
            f"the file is not valid {exc.encoding} text (byte {exc.start}); "
            "download the promotion report from Seller Central again"
        ) from None
    text = text.lstrip("\ufeff")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise ReportRejected("the file is empty; download the promotion report from Seller Central again")
    header_line = lines[0]
    delimiter = max(DELIMITERS, key=header_line.count)
    if header_line.count(delimiter) == 0:
        raise ReportRejected("the header has a single column; expected a CSV/TSV separated by , ; tab or |")
    records = _records(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter), first_line=1)
    _, header = next(records)
    columns: dict[str, int] = {}
    found: dict[str, str] = {}
    for idx, name in enumerate(header):
        canon = _ALIAS_LOOKUP.get(_norm(name))
        if canon and canon not in columns:
            columns[canon], found[canon] = idx, name.strip()
    if "purchase_date" not in columns and "shipment_date" not in columns:
        missing_date = ["Purchase Date (or Shipment Date)"]
    else:
        missing_date = []
    missing = [COLUMN_ALIASES[c][0].title() for c in REQUIRED if c not in columns] + missing_date
    if missing:
        raise ReportRejected(
            f"missing required column(s): {', '.join(missing)}. Found: {_names(header)}. "
            "Accepted spellings are listed in handlers/promo/report.py COLUMN_ALIASES."
        )
    return _Table(records, header, columns, found, encoding, delimiter)


def _order_row(row: list[str], table: _Table, day: date | ValueError) -> tuple[str, date, int, Decimal, Decimal]:
    """(order id, day, quantity, price, discount) of a row; ValueError saying what is unreadable.

    `day` is the row's date as `table.day` read it (or why it could not), so a row's date is parsed once.
    """
    columns = table.columns
    order_id = row[columns["order_id"]].strip()
    if not order_id:
        raise ValueError("empty Order ID")
    if isinstance(day, ValueError):
        raise day
    qty_text = _bounded(row[columns["quantity"]], MAX_NUMBER_CHARS, table.label("quantity")).strip()
    if not re.fullmatch(r"-?\d+", qty_text):
        raise ValueError(f"quantity {_quote(qty_text)} is not a whole number")
    price_text = _bounded(row[columns["item_price"]], MAX_NUMBER_CHARS, table.label("item_price"))
    disc_text = (
        _bounded(row[columns["discount"]], MAX_NUMBER_CHARS, table.label("discount")) if "discount" in columns else ""
    )
    try:
        price = _money(price_text)
        disc = abs(_money(disc_text)) if disc_text.strip() else Decimal(0)
    except InvalidOperation:
        raise ValueError("price or discount is not a number") from None
    return order_id, day, int(qty_text), price, disc


class _Errors:
    """Rows with errors: the first MAX_ROW_ERRORS kept with their reason, the rest only counted."""

    def __init__(self) -> None:
        self.kept: list[RowError] = []
        self.omitted = 0

    def add(self, line: int, reason: str) -> None:
        if len(self.kept) < MAX_ROW_ERRORS:
            self.kept.append(RowError(line=line, reason=reason))
        else:
            self.omitted += 1


class _Totals:
    """What the counted rows add up to: orders (distinct ids), units, money, per day, referred or not."""

    def __init__(self) -> None:
        self.rows = 0
        self.orders: set[str] = set()
        self.referred_orders: set[str] = set()
        self.units = self.referred_units = 0
        self.revenue = self.discount = self.referred_revenue = Decimal(0)
        self.daily_orders: dict[date, dict[bool, set[str]]] = defaultdict(lambda: {True: set(), False: set()})
        self.daily_revenue: dict[date, Decimal] = defaultdict(Decimal)

    def add(self, order_id: str, day: date, qty: int, price: Decimal, disc: Decimal, referred: bool) -> None:
        self.rows += 1
        self.orders.add(order_id)
        self.units += qty
        self.revenue += price
        self.discount += disc
        self.daily_revenue[day] += price
        self.daily_orders[day][referred].add(order_id)
        if referred:
            self.referred_orders.add(order_id)
            self.referred_revenue += price
            self.referred_units += qty

    def daily(self) -> list[DailyTotal]:
        return [
            DailyTotal(
                date=d,
                orders_referred=len(self.daily_orders[d][True]),
                orders_not_referred=len(self.daily_orders[d][False] - self.daily_orders[d][True]),
                revenue=float(round(self.daily_revenue[d], 2)),
            )
            for d in sorted(self.daily_orders)
        ]


def parse_report(raw: bytes | str, *, code: str | None = None, marketplace: str | None = None) -> PromoReport:
    """Parse a whole report; raise ReportRejected (reason names the columns/encoding) if unusable.

    `marketplace` (a code such as "US"): the days are read in its local time and its currency is the report's
    when the file names none.
    """
    row_of_marketplace = marketplace_row(marketplace) if marketplace else None
    table = _open_table(raw)
    if row_of_marketplace is not None:
        table.zone = zone_of(row_of_marketplace.code)
    columns = table.columns
    want = code.strip().upper() if code else None
    if want and "promo_code" not in columns and "referred" not in columns:
        raise ReportRejected(
            f"the file has no promotion-ids or Promo Code column, so the orders that used {want} cannot be told apart "
            "from the rest. Download the All Orders report (Reports → Fulfillment → All Orders) or the code's own report "
            "(Advertising → Promotions → Manage Promotions → Download report), or leave out the code to total every row."
        )
    carries = _code_matcher(want) if want and "promo_code" in columns else None

    totals = _Totals()
    errors = _Errors()
    fallback = row_of_marketplace.currency if row_of_marketplace else None
    dollar = fallback if fallback in _DOLLARS else "USD"
    currencies: set[str] = set()
    data_rows = code_rows = cancelled = 0
    first_day: date | None = None
    last_day: date | None = None
    for line_no, row in table.rows:
        if line_no - 1 > MAX_ROWS:
            raise ReportRejected(
                f"the file has more than {MAX_ROWS:,} rows; split it into shorter date ranges "
                "(download the report for fewer weeks) and send each part"
            )
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(table.header):
            errors.add(line_no, f"{len(row)} fields, header has {len(table.header)}")
            continue
        data_rows += 1
        day: date | ValueError
        try:  # the file's date range, for the message when the code has no rows
            day = table.day(row)
            first_day = day if first_day is None or day < first_day else first_day
            last_day = day if last_day is None or day > last_day else last_day
        except ValueError as exc:
            day = exc
        if carries is not None:
            ids = row[columns["promo_code"]]
            if len(ids) > MAX_CELL_CHARS:
                errors.add(line_no, f"{table.label('promo_code')} is longer than {MAX_CELL_CHARS} characters")
                continue
            if not carries(ids):
                continue
        code_rows += 1
        if _cancelled(row, columns):
            cancelled += 1
            continue
        try:
            order_id, day, qty, price, disc = _order_row(row, table, day)
        except ValueError as exc:
            errors.add(line_no, str(exc))
            continue
        totals.add(order_id, day, qty, price, disc, "referred" in columns and _yes(row[columns["referred"]]))
        named = _row_currency(row, table, dollar)
        if named:
            currencies.add(named)
    if totals.rows == 0 and want and (code_rows == cancelled):
        raise _code_not_found(
            want, table.found.get("promo_code"), data_rows, cancelled, first_day, last_day, table.date_kind
        )
    if totals.rows == 0:
        first = errors.kept[0] if errors.kept else None
        detail = f"; first problem on line {first.line}: {first.reason}" if first else ""
        which = f" for code {want}" if want else ""
        if cancelled and not first:
            detail = f"; all {cancelled} row(s) are cancelled orders"
        raise ReportRejected(f"no usable order rows{which}{detail}")
    if len(currencies) > 1:
        which = f" for {want}" if want else ""
        raise ReportRejected(
            f"the rows{which} are in several currencies ({', '.join(sorted(currencies))}), which cannot be added "
            "up; download the report for one marketplace at a time"
        )
    report = _report(want, totals, errors, table)
    if currencies:
        report.currency, report.currency_source = currencies.pop(), "report"
    elif fallback:
        report.currency, report.currency_source = fallback, "marketplace"
    report.marketplace = row_of_marketplace.code if row_of_marketplace else None
    report.first_day, report.last_day = first_day, last_day
    return report


def _row_currency(row: list[str], table: _Table, dollar: str) -> str | None:
    """The currency a counted row names: its currency cell, else a symbol or code in its price cell."""
    if "currency" in table.columns:
        cell = row[table.columns["currency"]].strip().upper()
        if re.fullmatch(r"[A-Z]{3}", cell):
            return cell
    price = row[table.columns["item_price"]]
    return _cell_currency(price, dollar) if len(price) <= MAX_NUMBER_CHARS else None


def _report(code: str | None, totals: _Totals, errors: _Errors, table: _Table) -> PromoReport:
    has_ref = "referred" in table.columns
    orders, revenue = totals.orders, totals.revenue
    return PromoReport(
        code=code,
        orders=len(orders),
        units=totals.units,
        revenue=float(round(revenue, 2)),
        discount_cost=float(round(totals.discount, 2)),
        referred_orders=len(totals.referred_orders),
        referred_revenue=float(round(totals.referred_revenue, 2)),
        referred_units=totals.referred_units,
        referred_share_orders=round(len(totals.referred_orders) / len(orders), 4) if has_ref else None,
        referred_share_revenue=(
            (round(float(totals.referred_revenue / revenue), 4) if revenue else 0.0) if has_ref else None
        ),
        referred_share_units=(
            (round(totals.referred_units / totals.units, 4) if totals.units else 0.0) if has_ref else None
        ),
        daily=totals.daily(),
        rows=totals.rows,
        row_errors=errors.kept,
        row_errors_omitted=errors.omitted,
        encoding=table.encoding,
        delimiter={"\t": "tab"}.get(table.delimiter, table.delimiter),
        columns=table.found,
    )


def _code_not_found(
    code: str, column: str | None, data_rows: int, cancelled: int, first: date | None, last: date | None, date_kind: str
) -> CodeNotFound:
    if first is None or last is None:
        span = f"{data_rows} order row(s), none with a readable {date_kind} date"
    elif first == last:
        span = f"{data_rows} order row(s), {date_kind} date {first}"
    else:
        span = f"{data_rows} order row(s), {date_kind} dates {first} to {last}"
    where = f" in column {column}" if column else ""
    if cancelled:
        what = f"promo code {code} appears{where} only on cancelled orders ({cancelled} row(s)), so there are no sales to report"
    else:
        what = f"no order in this file used promo code {code}{where}"
    reason = (
        f"{what}. The file covers {span}. Check the code's spelling, or download the report again for dates "
        f"that cover the days {code} was used."
    )
    return CodeNotFound(reason, code=code, first=first, last=last)


class Coverage(BaseModel):
    """Does the report's date range cover a window of days (the promotion's, in its marketplace's local time)?"""

    start: date
    end: date
    first: date | None  # the report's first and last day (None: no readable date)
    last: date | None
    missing: list[tuple[date, date]]  # runs of days of the window the file has no rows for: before, after

    @property
    def covered(self) -> bool:
        return not self.missing

    def sentence(self, code: str, zone_name: str | None) -> str:
        """Plain words for the gap (callers escape for Slack): which days are missing and what to download."""
        have = (
            f"The report covers {self.first} to {self.last}"
            if self.first and self.last
            else "The report has no readable dates"
        )
        gaps = " and ".join(a.isoformat() if a == b else f"{a} to {b}" for a, b in self.missing)
        return (
            f"{have}, but {code} runs {self.start} to {self.end}{f' ({zone_name} time)' if zone_name else ''}: "
            f"the totals leave out {gaps}. "
            f"Download the report again in Seller Central for {self.start} to {self.end} "
            "(Reports → Fulfillment → All Orders, or the code's own report) and run the report again."
        )


def coverage(report: PromoReport, start: date, end: date) -> Coverage:
    """Which days of `start`..`end` (inclusive) fall outside the report's first..last day."""
    first, last = report.first_day, report.last_day
    missing: list[tuple[date, date]] = []
    if first is None or last is None or first > end or last < start:
        missing.append((start, end))
    else:
        if first > start:
            missing.append((start, first - timedelta(days=1)))
        if last < end:
            missing.append((last + timedelta(days=1), end))
    return Coverage(start=start, end=end, first=first, last=last, missing=missing)
