"""Numbers, money, percentages and dates in the active language, formatted by Babel (CLDR).

Vietnamese: "513,2 tỷ đồng", "21,675 triệu USD", "29/11/2020"; English: "513.2 billion VND",
"21.675 million USD", "29 Nov 2020". Amounts are always shown with their own currency; nothing
here adds amounts together.
"""

import datetime
from decimal import Decimal, InvalidOperation

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import format_compact_decimal, format_decimal
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy

# Amounts from one million up are written in words ("513,2 tỷ"); smaller ones in full.
COMPACT_FROM = Decimal(1_000_000)

# The unit word after an amount; currencies not listed are written as their ISO code.
CURRENCY_UNITS = {"VND": pgettext_lazy("currency unit after an amount", "VND")}

DATE_PATTERNS = {
    # precision: (Vietnamese, English)
    "day": ("dd/MM/y", "d MMM y"),
    "month": ("MM/y", "MMM y"),
    "year": ("y", "y"),
}


def babel_locale() -> str:
    """The Babel locale of the active Django language ("vi" unless English is active)."""
    language = (get_language() or "vi").split("-")[0]
    return "en" if language == "en" else "vi"


# Babel's locales, parsed once: formatting with a locale's name parses it again every time, a
# thousand times on a list page.
_LOCALES = {name: Locale.parse(name) for name in ("vi", "en")}


def _locale() -> Locale:
    return _LOCALES[babel_locale()]


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_number(value, *, decimals: int = 2) -> str:
    """A number with the locale's separators and at most ``decimals`` decimals."""
    number = to_decimal(value)
    if number is None:
        return ""
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(number, format=pattern, locale=_locale())


def currency_unit(currency: str) -> str:
    return str(CURRENCY_UNITS.get(currency, currency or ""))


def format_amount(value, *, compact: bool = True) -> str:
    """An amount without its currency: "513,2 tỷ" (compact) or "513.200.000.000" (full)."""
    number = to_decimal(value)
    if number is None:
        return ""
    if compact and abs(number) >= COMPACT_FROM:
        # Round to 5 significant digits first, so that 999,999,999 reads "1 tỷ", not "1000 triệu".
        number = round(number, 4 - number.adjusted())
        return format_compact_decimal(
            number, format_type="long", locale=_locale(), fraction_digits=3
        )
    return format_number(number)


def format_money(value, currency: str, *, compact: bool = True) -> str:
    """An amount and its currency: "513,2 tỷ đồng", "21.675 million USD"."""
    amount = format_amount(value, compact=compact)
    if not amount:
        return ""
    unit = currency_unit(currency)
    return f"{amount} {unit}".strip()


def format_percent(value, *, decimals: int = 1) -> str:
    """A percentage given as 0–100: "45,3 %" in Vietnamese, "45.3%" in English."""
    number = to_decimal(value)
    if number is None:
        return ""
    text = format_number(number, decimals=decimals)
    return f"{text} %" if babel_locale() == "vi" else f"{text}%"


def format_date(value, precision: str = "day") -> str:
    """A date as precise as its source: 29/11/2020, 11/2020 or 2020 in Vietnamese."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if not isinstance(value, datetime.date):
        return str(value)
    vi_pattern, en_pattern = DATE_PATTERNS.get(precision, DATE_PATTERNS["day"])
    locale = babel_locale()
    pattern = vi_pattern if locale == "vi" else en_pattern
    return babel_format_date(value, pattern, locale=_LOCALES[locale])


def country_name(code: str) -> str:
    """A country's name in the active language ("Trung Quốc" / "China"); the code if unknown."""
    if not code:
        return ""
    return _locale().territories.get(code, code)


def currency_name(code: str) -> str:
    """A currency's name in the active language ("Đô la Mỹ" / "US Dollar")."""
    if not code:
        return ""
    return _locale().currencies.get(code, code)
