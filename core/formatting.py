"""Numbers, money, percentages and dates in the active language, formatted by Babel (CLDR).

Vietnamese: "513,2 tỷ đồng", "21,675 triệu USD", "29/11/2020"; English: "513.2 billion VND",
"21.675 million USD", "29 Nov 2020". Amounts are always shown with their own currency; nothing
here adds amounts together.
"""

import datetime
from decimal import Decimal, InvalidOperation

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext_lazy

# Amounts from one million up are written with a scale word, as the Vietnamese press writes them:
# "513,2 tỷ đồng", "14.331 tỷ đồng" (never "14,331 nghìn tỷ"), "1,2 triệu USD"; in English
# "VND 513.2 billion", "VND 14,331 billion", "USD 1.2 million". Smaller amounts in full.
COMPACT_FROM = Decimal(1_000_000)
# (factor, Vietnamese word, English word), largest first. Beyond a thousand trillion đồng the press
# writes "triệu tỷ" (a million billion).
SCALES = (
    (Decimal(10) ** 15, "triệu tỷ", "quadrillion"),
    (Decimal(10) ** 9, "tỷ", "billion"),
    (Decimal(10) ** 6, "triệu", "million"),
)
# Significant digits kept in a scaled amount ("14.331 tỷ", "513,2 tỷ"), and at most this many
# decimals.
SIGNIFICANT = 5
MAX_DECIMALS = 3

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


def _shown(number: Decimal) -> Decimal:
    """``number`` rounded as it will be shown: 999.999.999 is "1 tỷ", not "1.000 triệu"."""
    return round(number, SIGNIFICANT - 1 - number.adjusted()) if number else number


def _own_scale(number: Decimal) -> Decimal:
    number = _shown(abs(number))
    return next((factor for factor, _vi, _en in SCALES if number >= factor), Decimal(1))


# In a comparison, the largest amount is written with at most this many digits before the
# decimal separator: beyond, they all move to the next unit.
MAX_DIGITS = 8


def money_scale(*values) -> Decimal:
    """The unit in which to write these amounts together, as the press does: that of the
    smallest from a million up ("1.512 tỷ" beside "513,2 tỷ", "276.120 tỷ" beside "24.929.100
    tỷ"), unless the largest would then run past eight digits; 1 below a million."""
    numbers = [abs(n) for n in map(to_decimal, values) if n]
    compact = [n for n in numbers if _shown(n) >= COMPACT_FROM]
    if not compact:
        return Decimal(1)
    scale = _own_scale(min(compact))
    largest = max(compact)
    for factor, _vi, _en in reversed(SCALES):
        if factor > scale and largest / scale >= 10**MAX_DIGITS and largest >= factor:
            scale = factor
    return scale


def money_scales(pairs) -> dict[str, Decimal]:
    """One scale per currency for ``(currency, amount)`` pairs shown together (a table, a
    headline and its reported figures): each currency's amounts then read in one unit."""
    by_currency: dict[str, list] = {}
    for currency, amount in pairs:
        by_currency.setdefault(currency, []).append(amount)
    return {currency: money_scale(*amounts) for currency, amounts in by_currency.items()}


def _scale_word(scale: Decimal) -> str:
    english = babel_locale() == "en"
    return next(en if english else vi for factor, vi, en in SCALES if factor == scale)


def format_amount(value, *, compact: bool = True, scale: Decimal | None = None) -> str:
    """An amount without its currency: "513,2 tỷ" (compact) or "513.200.000.000" (full).

    ``scale`` (from ``money_scale``) writes it in a given unit, as the other amounts it stands
    beside: 5 triệu beside 513,2 tỷ reads "0,005 tỷ"."""
    number = to_decimal(value)
    if number is None:
        return ""
    if not compact:
        return format_number(number)
    if scale is None:
        scale = money_scale(number)
    if scale == 1:
        return format_number(number)
    scaled = number / scale
    # Five significant digits, at most three decimals: 14.331 tỷ, 513,2 tỷ, 21,675 triệu.
    decimals = max(0, min(MAX_DECIMALS, SIGNIFICANT - 1 - scaled.adjusted())) if scaled else 0
    rounded = round(scaled, decimals)
    if not rounded and number:
        # Too small to show in the unit of its neighbours: in its own.
        return format_amount(number)
    return f"{format_number(rounded, decimals=decimals)} {_scale_word(scale)}"


def format_money(value, currency: str, *, compact: bool = True, scale=None) -> str:
    """An amount and its currency as the press writes it: "513,2 tỷ đồng", "1,2 triệu USD";
    in English "VND 513.2 billion", "USD 1.2 million"."""
    amount = format_amount(value, compact=compact, scale=scale)
    if not amount:
        return ""
    unit = currency_unit(currency)
    if babel_locale() == "en":
        return f"{unit} {amount}".strip()
    return f"{amount} {unit}".strip()


def format_percent(value, *, decimals: int = 1) -> str:
    """A percentage given as 0–100: "45,3 %" in Vietnamese, "45.3%" in English."""
    number = to_decimal(value)
    if number is None:
        return ""
    text = format_number(number, decimals=decimals)
    return f"{text} %" if babel_locale() == "vi" else f"{text}%"


def format_datetime(value) -> str:
    """A moment to the minute in Asia/Ho_Chi_Minh: "21:13 ngày 27/11/2026", "27 Nov 2026, 21:13"."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return gettext("%(date)s, %(time)s") % {
        "date": format_date(value.date()),
        "time": value.strftime("%H:%M"),
    }


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


def language_name(code: str) -> str:
    """A language's name in the active language ("tiếng Anh" / "English"); the code if unknown."""
    if not code:
        return ""
    return _locale().languages.get(code.split("-")[0].lower(), code)
