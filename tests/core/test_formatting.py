"""Numbers, money and dates follow the active language (Babel/CLDR), never mixing currencies."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from core.formatting import (
    format_date,
    format_money,
    format_number,
    format_percent,
    money_scale,
)


@pytest.mark.parametrize(
    ("language", "value", "currency", "expected"),
    [
        ("vi", Decimal("513200000000"), "VND", "513,2 tỷ đồng"),
        ("vi", Decimal("21675000"), "USD", "21,675 triệu USD"),
        # As the press writes it: thousands of billions stay billions.
        ("vi", Decimal("14331000000000"), "VND", "14.331 tỷ đồng"),
        ("vi", Decimal("2136000000000"), "VND", "2.136 tỷ đồng"),
        ("vi", Decimal("1200000"), "USD", "1,2 triệu USD"),
        ("en", Decimal("14331000000000"), "VND", "VND 14,331 billion"),
        ("en", Decimal("513200000000"), "VND", "VND 513.2 billion"),
        ("en", Decimal("21675000"), "USD", "USD 21.675 million"),
        ("vi", Decimal("950000"), "VND", "950.000 đồng"),
        ("vi", Decimal("999999999"), "VND", "1 tỷ đồng"),
        ("en", Decimal("950000.5"), "USD", "USD 950,000.5"),
    ],
)
def test_money_is_written_in_the_active_language(language, value, currency, expected):
    with translation.override(language):
        assert format_money(value, currency) == expected


@pytest.mark.parametrize(
    ("amounts", "expected"),
    [
        # The unit of the smallest: not "1,512 nghìn tỷ" beside "513,2 tỷ".
        (["1512000000000", "513200000000"], ["1.512 tỷ đồng", "513,2 tỷ đồng"]),
        (["5000000", "513200000000"], ["5 triệu đồng", "513.200 triệu đồng"]),
        # Unless the largest would run past eight digits.
        (["22000000", "163680000000000"], ["0,022 tỷ đồng", "163.680 tỷ đồng"]),
        # Below a million, in full whatever its neighbours.
        (["400000", "513200000000"], ["400.000 đồng", "513,2 tỷ đồng"]),
    ],
)
def test_amounts_compared_read_in_one_unit(amounts, expected):
    values = [Decimal(amount) for amount in amounts]
    scale = money_scale(*values)
    with translation.override("vi"):
        assert [format_money(value, "VND", scale=scale) for value in values] == expected


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
