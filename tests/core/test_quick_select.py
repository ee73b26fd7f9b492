"""``core.filters.QuickSelect`` writes exactly the HTML Django's own menu writes."""

import pytest
from django import forms

from core.filters import QuickSelect

CHOICES = [
    ("", "Any"),
    ("VND", "VND – Đồng Việt Nam"),
    ("USD", 'USD <b>&</b> "dollar"'),
    ("VND", "again, the same value"),
    (5, "a number"),
]


@pytest.mark.parametrize("value", [None, "", "VND", "USD", 5, "5", "missing", ["USD"]])
@pytest.mark.parametrize("attrs", [None, {"id": "id_currency"}, {"id": "x", "required": True}])
def test_it_renders_what_django_renders(value, attrs):
    ours = QuickSelect(choices=CHOICES, attrs={"class": "menu", "hidden": False})
    django = forms.Select(choices=CHOICES, attrs={"class": "menu", "hidden": False})
    assert ours.render("currency", value, attrs) == django.render("currency", value, attrs)


def test_option_groups_are_left_to_django():
    grouped = [("Common", [("VND", "Đồng"), ("USD", "Dollar")]), ("EUR", "Euro")]
    ours = QuickSelect(choices=grouped).render("currency", "USD")
    assert ours == forms.Select(choices=grouped).render("currency", "USD")
    assert "<optgroup" in ours


def test_a_list_s_menus_are_django_s(db):
    """The project list's menus, rendered both ways in its form, are the same HTML."""

    from projects.filters import ProjectFilter

    bound = ProjectFilter({"currency": "USD", "ordering": "-investment"})
    for name in ("currency", "funding_source", "ordering"):
        field = bound.form[name]
        widget = field.field.widget
        assert isinstance(widget, QuickSelect), name
        plain = forms.Select(attrs=widget.attrs, choices=widget.choices)
        assert field.as_widget() == field.as_widget(widget=plain), name
