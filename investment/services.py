"""Writes of investors, investment projects and sectors: the admin, the API, the import and the
commands call these. An investment's investors are set with it (``data["investors"]``), in one
transaction, and recorded in its history."""

from typing import Any

from django.utils.translation import gettext as _

from core.exceptions import RecordError
from core.services import is_new, record_update

from .models import Investment, Investor, Sector

# What may be written on an investor and an investment project: the API's write shapes and the
# import's columns (those it has).
INVESTOR_FIELDS = (
    *("slug", "name", "name_en", "kind", "country", "description", "description_en"),
    "is_published",
)
INVESTMENT_FIELDS = (
    "code",
    "slug",
    "name",
    "name_en",
    "investors",
    "kind",
    "capital",
    "currency",
    "capital_type",
    "date",
    "sectors",
    "district",
    "gate",
    "status",
    "description",
    "description_en",
    "is_published",
)


def investor_update(investor: Investor, /, *, data: dict[str, Any], user=None, **options) -> dict:
    """Create or change an investor (publishing it only for managers); return what changed."""
    return record_update(investor, data=data, user=user, **options)


def investment_update(
    investment: Investment, /, *, data: dict[str, Any], user=None, **options
) -> dict:
    """Create or change an investment project with its investors (``data["investors"]``); a
    new one needs at least one."""

    def investors_given(stored: Investment, changed: dict) -> None:
        if is_new(stored) and not list(changed.get("investors") or []):
            raise RecordError(
                {"investors": _("A new investment project needs at least one investor.")}
            )

    return record_update(investment, data=data, user=user, checks=[investors_given], **options)


def sector_update(sector: Sector, /, *, data: dict[str, Any], user=None, **options) -> dict:
    return record_update(sector, data=data, user=user, **options)
