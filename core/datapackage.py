"""A Frictionless Data Package (``datapackage.json``) describing a list's CSV download: each
column's name, title, type and unit, so that pandas, frictionless or a spreadsheet reads
booleans as booleans, dates as dates and amounts as numbers in their currency.

https://specs.frictionlessdata.io/data-package/ and /table-schema/.
"""

from django.conf import settings
from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

from .exports import Column

# The Table Schema type of each kind of model field; any other is a string.
FIELD_TYPES = (
    (models.BooleanField, "boolean"),
    (models.DateTimeField, "datetime"),
    (models.DateField, "date"),
    (models.DecimalField, "number"),
    (models.FloatField, "number"),
    (models.IntegerField, "integer"),
)


def model_field(model, lookup: str):
    """The field a ``values()`` lookup names ("programme__name" → Programme.name), or None."""
    field = None
    for part in lookup.split("__"):
        if model is None:
            return None
        try:
            field = model._meta.get_field(part)
        except Exception:  # not a field: an annotation or a key a function sets
            return None
        model = field.related_model
    return field


def column_type(model, column: Column) -> str:
    if column.choices is not None:
        return "string"  # written as its label
    if column.type:
        return column.type
    field = model_field(model, column.value) if isinstance(column.value, str) else None
    if field is None or field.is_relation:
        return "string"
    return next((kind for cls, kind in FIELD_TYPES if isinstance(field, cls)), "string")


def unit_description(unit: str) -> str:
    return {
        "money": _("An amount in the currency of the row's Currency column."),
        "percent": _("A percentage, from 0 to 100."),
        "km": _("Kilometres."),
        "ha": _("Hectares."),
        "degrees": _("Decimal degrees (WGS 84)."),
    }.get(unit, "")


def schema_field(model, column: Column) -> dict:
    """One column as a Table Schema field."""
    title = force_str(column.header)
    kind = column_type(model, column)
    field = {"name": title, "title": title, "type": kind}
    if kind == "boolean":
        # As the CSV writes them (core.exports._cell).
        field.update(trueValues=["1"], falseValues=["0"])
    if column.choices is not None:
        field["constraints"] = {"enum": [force_str(label) for _value, label in column.choices]}
    description = unit_description(column.unit)
    if description:
        field["description"] = description
    return field


def descriptor(*, name: str, title: str, model, columns, csv_url: str) -> dict:
    """The Data Package of one CSV download at ``csv_url`` (absolute, with its filters)."""
    package = {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": name,
                "path": csv_url,
                "format": "csv",
                "mediatype": "text/csv",
                # The CSV starts with a byte order mark, for Excel.
                "encoding": "utf-8-sig",
                "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
                "schema": {
                    "fields": [schema_field(model, column) for column in columns],
                    "missingValues": [""],
                },
            }
        ],
    }
    if settings.TRACKER_DATA_LICENSE:
        package["licenses"] = [{"path": settings.TRACKER_DATA_LICENSE}]
    return package
