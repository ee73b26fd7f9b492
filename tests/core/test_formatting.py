"""Numbers, money and dates follow the active language (Babel/CLDR), never mixing currencies."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from core.formatting import format_date, format_money, format_number, format_percent


@pytest.mark.parametrize(
    ("language", "value", "currency", "expected"),
    [
        ("vi", Decimal("513200000000"), "VND", "513,2 tỷ đồng"),
        ("vi", Decimal("21675000"), "USD", "21,675 triệu USD"),
        ("vi", Decimal("21000000000000"), "VND", "21 nghìn tỷ đồng"),
        ("en", Decimal("513200000000"), "VND", "513.2 billion VND"),
        ("en", Decimal("21675000"), "USD", "21.675 million USD"),
        ("vi", Decimal("950000"), "VND", "950.000 đồng"),
        ("vi", Decimal("999999999"), "VND", "1 tỷ đồng"),
        ("en", Decimal("950000.5"), "USD", "950,000.5 USD"),
    ],
)
def test_money_is_written_in_the_active_language(language, value, currency, expected):
    with translation.override(language):
        assert format_money(value, currency) == expected


def test_money_in_full_keeps_every_digit():
    with translation.override("vi"):
        assert format_money(Decimal("513200000000"), "VND", compact=False) == (
            "513.200.000.000 đồng"
        )


@pytest.mark.parametrize(
    ("language", "precision", "expected"),
    [
        ("vi", "day", "29/11/2020"),
        ("vi", "month", "11/2020"),
        ("vi", "year", "2020"),
        ("en", "day", "29 Nov 2020"),
        ("en", "month", "Nov 2020"),
    ],
)
def test_dates_follow_the_language_and_their_precision(language, precision, expected):
    with translation.override(language):
        assert format_date(datetime.date(2020, 11, 29), precision) == expected


def test_numbers_and_percentages_use_the_locale_separators():
    with translation.override("vi"):
        assert format_number(Decimal("1234567.25")) == "1.234.567,25"
        assert format_percent(Decimal("45.3")) == "45,3 %"
    with translation.override("en"):
        assert format_number(Decimal("1234567.25")) == "1,234,567.25"
        assert format_percent(Decimal("45.3")) == "45.3%"


def test_missing_values_format_as_empty_text():
    assert format_money(None, "VND") == ""
    assert format_date(None) == ""
    assert format_percent("not a number") == ""
