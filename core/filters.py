"""Building blocks shared by every list's FilterSet (``<app>/filters.py``).

The same FilterSet class serves the public list, its CSV/XLSX exports and the API, so a query
string means the same thing everywhere.
"""

from decimal import Decimal

import django_filters
from django import forms
from django.conf import settings
from django.db import connections
from django.db.models import F
from django.db.models.functions import Collate
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .codelists import COUNTRY_CODES, CURRENCY_CODES
from .formatting import country_name, currency_name
from .models import ReportedFigure
from .search import search_queryset
from .text import fold

# Largest amount a range filter accepts; money fields hold 20 digits, 2 of them decimals.
MAX_AMOUNT = Decimal("1e17")


class SearchFilter(django_filters.CharFilter):
    """Free text that ignores case and Vietnamese diacritics; every word must match."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("method", self.search)
        super().__init__(**kwargs)

    @staticmethod
    def search(queryset, name, value):
        return search_queryset(queryset, value)


class AmountFilter(django_filters.NumberFilter):
    """A non-negative amount bound (20 digits at most)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        kwargs.setdefault("max_digits", 20)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)


class PercentFilter(django_filters.NumberFilter):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 100)
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    """A year between 1900 and 2100, compared with the year of a date field."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(**kwargs)


# What the ordering menu reads when the address gives ``ordering=`` more than once.
_REPEATED = "\x00repeated"


class OrderingSelect(forms.Select):
    """The ordering menu (drawn as ``QuickSelect``): a repeated ``ordering=`` is read as such,
    to be refused, not silently as its last value."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist") and len(data.getlist(name)) > 1:
            return _REPEATED
        return super().value_from_datadict(data, files, name)


class OrderingChoiceField(django_filters.fields.ChoiceField):
    def validate(self, value):
        if value == _REPEATED:
            raise forms.ValidationError(
                _(
                    "Give ordering= once; to sort by several columns, separate them with "
                    "commas (ordering=status,-investment)."
                ),
                code="repeated",
            )
        super().validate(value)


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting on a named column, always ending with the primary key so pages never overlap.

    Without ``ordering=`` the list is sorted by name. On PostgreSQL names sort in Vietnamese
    alphabetical order (ICU collation ``settings.TRACKER_NAME_COLLATION``: "Đình Phong" after
    "Dương", not after "Z"); SQLite sorts by code point.
    """

    collated_fields = ("name",)
    field_class = OrderingChoiceField

    def __init__(self, *, default: str = "name", **kwargs):
        kwargs.setdefault("empty_label", _("Default order"))
        kwargs.setdefault("widget", OrderingQuickSelect)
        self.default = default
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            value = [self.default]
        collation = settings.TRACKER_NAME_COLLATION
        vendor = connections[qs.db].vendor
        ordering = []
        for param in value:
            field = self.get_ordering_value(param)
            name = field.removeprefix("-")
            if name in self.collated_fields and collation and vendor == "postgresql":
                collated = Collate(F(name), collation)
                ordering.append(collated.desc() if field.startswith("-") else collated.asc())
            elif not qs.model._meta.get_field(name).null:
                ordering.append(field)
            # Rows without a value (an amount not reported) go last both ways, as readers
            # expect; their descending indexes are declared NULLS LAST to match.
            elif field.startswith("-"):
                ordering.append(F(name).desc(nulls_last=True))
            else:
                ordering.append(F(name).asc(nulls_last=True))
        return qs.order_by(*ordering, "pk")


class ChoiceMultipleFilter(django_filters.MultipleChoiceFilter):
    """Several values of a choice field (``?status=a&status=b``), shown as checkboxes."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        # django-filter adds DISTINCT by default, for filters across relations; these filter the
        # row's own column, and DISTINCT would make PostgreSQL sort every matching row.
        kwargs.setdefault("distinct", False)
        super().__init__(**kwargs)


class QuickSelect(forms.Select):
    """Django's menu, the same HTML written directly: Django renders each option through a
    template of its own, and the currency menu alone has 180 options on every list page."""

    option_html = '\n  <option value="{}"{}>{}</option>\n'

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)  # option groups: Django's way
        wanted = set(self.format_value(value))
        rows, chosen = [], False
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            selected = not chosen and option_value in wanted
            chosen = chosen or selected
            rows.append((option_value, " selected" if selected else "", label))
        final_attrs = self.build_attrs(self.attrs, attrs)
        options = format_html_join("", self.option_html, rows)
        return format_html('<select name="{}"{}>{}\n</select>', name, flatatt(final_attrs), options)


class OrderingQuickSelect(OrderingSelect, QuickSelect):
    pass


class ChoiceFilter(django_filters.ChoiceFilter):
    """One value of a fixed list (a currency, a country…), as a menu."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", QuickSelect)
        super().__init__(**kwargs)


class LargeChoiceSelect(QuickSelect):
    """A menu of records that turns into a text box for the record's code (slug) when there are
    more than ``max_options`` of them: a page never carries ten thousand options.

    It reads at most ``max_options + 1`` rows, in one query whatever the size of the table.
    """

    max_options = 300

    def render(self, name, value, attrs=None, renderer=None):
        iterator = self.choices
        rows = list(iterator.queryset[: self.max_options + 1])
        if len(rows) > self.max_options:
            text = forms.TextInput(attrs={**self.attrs, "placeholder": _("code, e.g. tra-linh")})
            return text.render(name, value, attrs, renderer)
        empty = iterator.field.empty_label
        original = self.choices
        self.choices = ([("", empty)] if empty is not None else []) + [
            iterator.choice(row) for row in rows
        ]
        try:
            return super().render(name, value, attrs, renderer)
        finally:
            self.choices = original


@extend_schema_field(OpenApiTypes.STR)
class RecordChoiceFilter(django_filters.ModelChoiceFilter):
    """One record, chosen by its code (slug) in the query string: ``?gate=tra-linh``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("empty_label", _("Any"))
        kwargs.setdefault("widget", LargeChoiceSelect)
        super().__init__(**kwargs)


class RangeForm(forms.Form):
    """A filter form whose ``*_min``/``*_max`` pairs must not be reversed."""

    range_pairs: tuple[tuple[str, str], ...] = ()
    # Amount bounds that mean nothing without a currency (amounts are never mixed).
    currency_bounds: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        for low, high in self.range_pairs:
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(high, _("The upper bound is below the lower bound."))
        if any(data.get(name) is not None for name in self.currency_bounds) and not data.get(
            "currency"
        ):
            self.add_error("currency", _("Choose a currency to filter by amount."))
        return data


def country_choices() -> list[tuple[str, str]]:
    """Countries named in the active language, in alphabetical order (called per request)."""
    return sorted(((code, country_name(code)) for code in COUNTRY_CODES), key=lambda c: fold(c[1]))


# The currencies the province's records use, offered first.
COMMON_CURRENCIES = ("VND", "USD", "CNY", "EUR", "JPY", "KRW")


def currency_choices() -> list[tuple[str, str]]:
    """Currencies as "VND – Đồng Việt Nam" in the active language, the common ones first."""
    codes = [*COMMON_CURRENCIES, *(c for c in CURRENCY_CODES if c not in COMMON_CURRENCIES)]
    return [(code, f"{code} – {currency_name(code)}") for code in codes]


class ReportedFigureFilter(django_filters.FilterSet):
    """Reported figures by what they count, their currency, their date and their subject."""

    search = SearchFilter()
    metric = ChoiceMultipleFilter(label=_("What"), choices=ReportedFigure.Metric.choices)
    currency = ChoiceFilter(empty_label=_("Any"), label=_("Currency"), choices=currency_choices)
    as_of_from = django_filters.DateFilter(
        label=_("As of, from"), field_name="as_of", lookup_expr="gte"
    )
    as_of_to = django_filters.DateFilter(
        label=_("As of, up to"), field_name="as_of", lookup_expr="lte"
    )
    subject_type = ChoiceFilter(
        label=_("Subject"),
        choices=[
            ("programme", _("Programme")),
            ("project", _("Project")),
            ("investor", _("Investor")),
        ],
        field_name="subject_type__model",
    )
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=(("as_of", "as_of"), ("code", "code")),
        field_labels={"as_of": _("As of"), "code": _("Code")},
        default="-as_of",
    )

    class Meta:
        model = ReportedFigure
        fields: list[str] = []
