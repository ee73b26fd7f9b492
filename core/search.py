"""Search that ignores Vietnamese diacritics and case, on SQLite and PostgreSQL alike.

Every searchable model keeps ``search_text``, a folded copy of its searchable fields (see
``core.models.SearchableModel``). A query is folded the same way and each of its words must occur
in ``search_text``. On PostgreSQL a trigram GIN index (``core.db.trigram_index``) serves these
``LIKE '%…%'`` lookups; on SQLite they scan, which is fine at the embedded database's size.
"""

from django.db.models import QuerySet

from .text import fold_query

MAX_TERMS = 8


def search_terms(value: object) -> list[str]:
    """The folded words of a search string, at most ``MAX_TERMS`` of them, duplicates removed."""
    terms: list[str] = []
    for term in fold_query(value).split():
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def search_queryset(queryset: QuerySet, value: object, field: str = "search_text") -> QuerySet:
    """Keep the rows whose folded text (``field``) contains every word of ``value``."""
    for term in search_terms(value):
        queryset = queryset.filter(**{f"{field}__contains": term})
    return queryset
