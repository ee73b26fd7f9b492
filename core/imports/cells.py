"""Reading one cell of an import: the columns a kind of record declares (``Column``), and the
parsing of a cell into text, a code, a number, a date, yes or no, or a choice.

Cells
    A blank cell leaves the field as it is (a new record gets the field's default), so a
    spreadsheet with only some columns filled never wipes data; clear a field in the admin.

Numbers
    "1.234.567,5", "1234,5", "1 234,5", "1,234.5", "1234.5" and "1234" are all read. When a
    number has both "." and ",", the last one is the decimal mark and the other groups
    thousands. A lone "." or "," followed by exactly three digits, after one to three digits
    that do not start with 0, groups thousands, as Vietnamese writes them: "1.234" and "1,234"
    are 1234. Any other lone "." or "," is the decimal mark: "1,5", "0,125", "1234.567". So to
    write 1.234 (with three decimals), write "1,2340" or use a number cell. XLSX number cells
    are used as they are.

Dates
    31/12/2025 (also 31-12-2025, 31.12.2025) or 2025-12-31, or an XLSX date cell.

Formulas are never evaluated: an XLSX formula is read as its text, and a text column stores it
as text; a number or date column refuses it.
"""

import datetime
import enum
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import fold

# The longest text a cell may hold (the file's own limits are in ``reading``).
MAX_CELL_LENGTH = 20_000

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})
_YES = {"1", "yes", "y", "true", "x", "co"}
_NO = {"0", "no", "n", "false", "khong"}


class CellError(ValueError):
    """One cell's value is not what its column takes."""


class ColumnType(enum.StrEnum):
    TEXT = "text"
    CODE = "code"
    CODES = "codes"
    DECIMAL = "decimal"
    INTEGER = "integer"
    DATE = "date"
    BOOLEAN = "boolean"
    CHOICE = "choice"


FORMATS = {
    ColumnType.TEXT: gettext_lazy("text"),
    ColumnType.CODE: gettext_lazy("a code"),
    ColumnType.CODES: gettext_lazy("codes separated by ; or ,"),
    ColumnType.DECIMAL: gettext_lazy("a number: 1.234.567,5 or 1234567.5"),
    ColumnType.INTEGER: gettext_lazy("a whole number"),
    ColumnType.DATE: gettext_lazy("a date: 31/12/2025 or 2025-12-31"),
    ColumnType.BOOLEAN: gettext_lazy("yes or no (có/không, 1/0)"),
}


def header_key(value: object) -> str:
    """How a header cell or a choice is compared: folded, with "_", "-" and spaces alike."""
    return re.sub(r"[\s_\-]+", " ", fold(value)).strip(" *:")


def _labels(label) -> set[str]:
    """``label`` in every language of the site."""
    names = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.add(str(label))
    return names


@dataclass(frozen=True)
class Column:
    """One column a kind of record takes."""

    code: str
    label: Any  # a lazy translated string; its Vietnamese and English forms name the column too
    type: ColumnType = ColumnType.TEXT
    required: bool = False
    choices: tuple = ()  # for CHOICE: the model field's (value, label) pairs
    negative: bool = False  # for numbers
    hint: Any = ""  # what the column takes, when its type does not say it all (a lazy string)
    example: Any = ""  # the value in the template's example row

    @cached_property
    def names(self) -> set[str]:
        return {header_key(self.code)} | {header_key(name) for name in _labels(self.label)}

    @cached_property
    def choice_keys(self) -> dict[str, str]:
        keys = {}
        for value, label in self.choices:
            keys[header_key(value)] = value
            keys.update((header_key(name), value) for name in _labels(label))
        return keys

    def format(self) -> str:
        """The values the column takes, for the import page and error messages."""
        if self.hint:
            return str(self.hint)
        if self.type == ColumnType.CHOICE:
            choices = ", ".join(f"{value} ({label})" for value, label in self.choices)
            return _("one of: %(choices)s") % {"choices": choices}
        return str(FORMATS[self.type])

    def parse(self, raw: Any) -> Any:
        """The cell's value, or None for a blank cell; raises ``CellError``."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if isinstance(raw, str):
            raw = raw.strip()
            if len(raw) > MAX_CELL_LENGTH:
                raise CellError(
                    _("The cell is too long (%(length)s characters; at most %(limit)s).")
                    % {"length": len(raw), "limit": MAX_CELL_LENGTH}
                )
            if "\x00" in raw:
                raise CellError(_("The cell contains a NUL character."))
            if raw.startswith("=") and self.type != ColumnType.TEXT:
                raise CellError(
                    _(
                        "“%(value)s” is a formula; formulas are not calculated. Paste the values "
                        "instead (Paste special → Values)."
                    )
                    % {"value": raw[:50]}
                )
        parse = getattr(self, f"_parse_{self.type}")
        return parse(raw)

    def _parse_text(self, raw) -> str:
        return as_text(raw)

    def _parse_code(self, raw) -> str:
        text = as_text(raw)
        if re.search(r"\s", text):
            raise CellError(_("“%(value)s” is not a code: codes have no spaces.") % {"value": text})
        return text

    def _parse_codes(self, raw) -> list[str]:
        codes = [code.strip() for code in re.split(r"[;,\n]", as_text(raw))]
        return list(dict.fromkeys(code for code in codes if code))

    def _parse_decimal(self, raw) -> Decimal:
        return parse_decimal(raw, negative=self.negative)

    def _parse_integer(self, raw) -> int:
        value = parse_decimal(raw, negative=self.negative)
        if value != value.to_integral_value():
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw})
        return int(value)

    def _parse_date(self, raw) -> datetime.date:
        return parse_date(raw)

    def _parse_boolean(self, raw) -> bool:
        if isinstance(raw, bool):
            return raw
        key = fold(as_text(raw))
        if key in _YES or key in _NO:
            return key in _YES
        raise CellError(
            _("“%(value)s” is not yes or no: write có or không (yes/no, 1/0).") % {"value": raw}
        )

    def _parse_choice(self, raw) -> str:
        value = self.choice_keys.get(header_key(as_text(raw)))
        if value is None:
            raise CellError(
                _("“%(value)s” is not accepted here: write %(format)s.")
                % {"value": raw, "format": self.format()}
            )
        return value


def field_column(model: type[models.Model], name: str, type=ColumnType.TEXT, **options) -> Column:
    """The column for the model field ``name``: labelled with its verbose name, with its
    choices for a choice column."""
    model_field = model._meta.get_field(name)
    if type == ColumnType.CHOICE:
        options.setdefault("choices", tuple(model_field.choices))
    return Column(code=name, label=model_field.verbose_name, type=type, **options)


def currency_column(model: type[models.Model], **options) -> Column:
    options.setdefault("hint", gettext_lazy("an ISO 4217 currency code: VND, USD, CNY…"))
    options.setdefault("example", "VND")
    return field_column(model, "currency", ColumnType.CHOICE, **options)


def published_column(model: type[models.Model]) -> Column:
    """The optional ``published`` column (see ``Importer.publish``)."""
    return Column(
        code="published",
        label=model._meta.get_field("is_published").verbose_name,
        type=ColumnType.BOOLEAN,
        example=False,
    )


def as_text(raw: Any) -> str:
    """A cell as text: XLSX numbers without a spurious ".0", dates as 2025-12-31."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime | datetime.date):
        return raw.isoformat()
    return str(raw).strip()


def parse_decimal(raw: Any, *, negative: bool = False) -> Decimal:
    """A number from a cell, by the rule in the module docstring; raises ``CellError``."""
    if isinstance(raw, bool | datetime.date | datetime.time):
        raise CellError(_("“%(value)s” is not a number.") % {"value": raw})
    if isinstance(raw, int | Decimal):
        value = Decimal(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise CellError(_("“%(value)s” is not a number.") % {"value": raw})
        value = Decimal(repr(raw))  # the shortest form that reads back as the same float
    else:
        value = _decimal_from_text(str(raw))
    if not value.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": raw})
    if value < 0 and not negative:
        raise CellError(
            _("“%(value)s” is negative; this column takes zero or more.") % {"value": raw}
        )
    return value


def _decimal_from_text(text: str) -> Decimal:
    invalid = CellError(
        _("“%(value)s” is not a number. Write numbers as 1.234.567,5 or 1234567.5.")
        % {"value": text[:50]}
    )
    number = text.translate(_SPACES).strip()
    sign = ""
    if number[:1] in ("-", "+", "−"):
        sign = "" if number[0] == "+" else "-"
        number = number[1:].lstrip()
    if not re.fullmatch(r"\d[\d., ]*", number):
        raise invalid
    dots, commas = number.count("."), number.count(",")
    # Split off the decimals; what is left is the integer part, maybe grouped by thousands.
    integer, fraction = number, None
    if dots and commas:
        point = "." if number.rfind(".") > number.rfind(",") else ","
        if number.count(point) > 1:
            raise invalid
        integer, fraction = number.split(point)
    elif dots + commas == 1:
        integer, fraction = re.split(r"[.,]", number)
        # "1.234" is one thousand two hundred and thirty-four (Vietnamese), not 1.234.
        if len(fraction) == 3 and re.fullmatch(r"[1-9]\d{0,2}", integer):
            integer, fraction = f"{integer} {fraction}", None
    groups = re.split(r"[., ]", integer)
    if len(groups) > 1 and not (
        re.fullmatch(r"\d{1,3}", groups[0]) and all(re.fullmatch(r"\d{3}", g) for g in groups[1:])
    ):
        raise invalid
    if fraction is not None and not re.fullmatch(r"\d+", fraction):
        raise invalid
    digits = "".join(groups) + (f".{fraction}" if fraction else "")
    try:
        return Decimal(sign + digits)
    except InvalidOperation:
        raise invalid from None


def parse_date(raw: Any) -> datetime.date:
    """A date from an XLSX date cell, 31/12/2025 (or with "-" or ".") or 2025-12-31."""
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = as_text(raw)
    invalid = CellError(
        _("“%(value)s” is not a date. Write dates as 31/12/2025 or 2025-12-31.") % {"value": text}
    )
    if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
        day, month, year = match.groups()
    elif match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        year, month, day = match.groups()
    else:
        raise invalid
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise invalid from None
