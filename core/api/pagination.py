"""Page-number pagination with the total count, shared by every list of the API."""

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination

from core.pagination import ListPaginator

MAX_PAGE_SIZE = 200


class Pagination(PageNumberPagination):
    """``?page=N&page_size=M``: 50 rows a page by default, at most 200."""

    # The total is counted once per version of the data (core.cache).
    django_paginator_class = ListPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    # DRF's own has no Vietnamese translation.
    invalid_page_message = _("There is no such page of results.")

    def get_page_size(self, request):
        # A page size that is not a positive whole number up to the maximum is refused (400),
        # not silently replaced, so that a client learns about its mistake.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            from rest_framework.exceptions import ValidationError

            message = _("A whole number from 1 to %(maximum)s.") % {"maximum": self.max_page_size}
            raise ValidationError({"page_size": [message]})
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
                parameter["description"] = (
                    f"Rows per page, 1 to {self.max_page_size} (50 by default)."
                )
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1)
        return parameters
