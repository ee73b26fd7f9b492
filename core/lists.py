"""One declarative object per public list: what its page, its CSV and XLSX downloads, its
GeoJSON, the API's list and the OC4IDS export all read (``<app>/lists.py`` declare them)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class ListSpec:
    """A list of records: which rows, how they are filtered, completed and exported."""

    # The name of its downloads ("projects" → projects.csv) and its title (the XLSX sheet's).
    name: str
    title: Any
    # The filters, sorts and search of the page's query string (shared with the API).
    filterset: type
    # ``selector(user=None)``: the rows ``user`` may see (the published ones for the public),
    # with what a row shows, in a fixed number of queries.
    selector: Callable[..., models.QuerySet]
    # Completes a batch of rows (a page, a chunk of a download) with one query, or None.
    prepare: Callable[[Any], None] | None = None
    # The columns of the CSV and XLSX downloads (``core.exports.Column``), and how the downloads
    # read the rows: as values (``core.exports.Rows``; the columns read its keys), or None for
    # the selector's records completed by ``prepare``.
    columns: tuple = ()
    download: Any = None
    # What a map feature needs of a row, and ``map_properties()``: a function giving a row's
    # GeoJSON properties (labels in the active language); empty for a list without a map.
    map_fields: tuple[str, ...] = ()
    map_properties: Callable[[], Callable[[Any], dict]] | None = None

    def filter(self, params, *, user=None, request=None, queryset=None):
        """The list's FilterSet bound to ``params`` over the rows ``user`` may see (or over
        ``queryset``, a narrower start)."""
        if queryset is None:
            queryset = self.selector(user=user)
        return self.filterset(params, queryset=queryset, request=request)

    def map_rows(self, queryset: models.QuerySet) -> models.QuerySet:
        """``queryset`` reduced to what a map feature needs: one query, no joins."""
        return queryset.select_related(None).prefetch_related(None).only(*self.map_fields)
