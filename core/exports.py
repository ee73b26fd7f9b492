"""Streamed CSV and XLSX downloads of any filtered list.

A list declares its columns once (``<app>/exports.py``); the same columns make the CSV and the
XLSX file. Rows are read with ``QuerySet.iterator()`` in chunks, so a million rows never sit in
memory: both are written to the client as they are produced (the XLSX by ``core.xlsx``, a zip
archive written part by part onto the stream).

Text that a spreadsheet would run as a formula is neutralised (``neutralise``): a cell starting
with "=", "+", "-", "@", a tab or a line break, and a formula inside a cell that a spreadsheet
would split off into a cell of its own. In CSV the formula gets an apostrophe in front; in XLSX
every text is a typed string cell, never a formula, and the cells CSV would neutralise are also
marked as text typed after an apostrophe (``quotePrefix``), so editing one in Excel keeps it text.
Numbers, dates and booleans are written as they are: a negative amount stays a number.
"""

import csv
import datetime
import itertools
import logging
import operator
import re
import secrets
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.encoding import force_str

from . import xlsx

logger = logging.getLogger(__name__)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
_FORMULA_STARTS = frozenset(FORMULA_PREFIXES)
# A formula a spreadsheet would run once the text is split again and trimmed: after spaces or
# quotes at the start, or after a separator a program may split at (";", the list separator of
# Vietnamese Excel; ","; a tab or a line break, when it ignores the CSV's quotes).
_FORMULA_AFTER_SPACES = re.compile(r'[\s"]+[=+\-@]')
_FORMULA_AFTER_SEPARATOR = re.compile(r'([,;\t\r\n][\s"]*)(?=[=+\-@])')
CHUNK_SIZE = 2000
# A download is sent in pieces of about this many characters (or bytes): one write to the
# client per piece, not per row.
SEND_SIZE = 64 * 1024


@dataclass(frozen=True)
class Column:
    header: object  # a (lazy) translated string
    # A function of the row, or, for rows read as values (``Rows``), the ``values()`` lookup the
    # column shows ("code", "programme__name").
    value: Callable[[object], object] | str
    # For a choice field: its choices, so the value is written as its label in the export's
    # language (resolved once per export, not per row: Model.get_FOO_display() is slow).
    choices: tuple | list | None = None
    # Its Table Schema type (``core.datapackage``): "" to take it from the model field a lookup
    # names, else "string"; a column computed by a function names its own ("number", "date"…).
    type: str = ""
    # What its numbers measure: "money" (an amount in the row's currency), "percent", "km",
    # "ha" or "degrees"; amounts are formatted as such in the XLSX.
    unit: str = ""

    def reader(self) -> Callable[[object], object]:
        value = operator.itemgetter(self.value) if isinstance(self.value, str) else self.value
        if self.choices is None:
            return value
        labels = {key: str(label) for key, label in self.choices}
        return lambda row: labels.get(value(row), value(row))


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it as text and never runs it: an apostrophe before the
    cell when it starts with one of ``FORMULA_PREFIXES`` (or with spaces before a formula), and
    before every formula that would start a cell once the text is split at a separator
    ("a;=B1" → "a;'=B1", "x, -2" → "x, '-2")."""
    first = text[:1]
    if first in _FORMULA_STARTS or (
        (first.isspace() or first == '"') and _FORMULA_AFTER_SPACES.match(text)
    ):
        text = "'" + text
    if "=" in text or "+" in text or "-" in text or "@" in text:  # most text has none
        text = _FORMULA_AFTER_SEPARATOR.sub(r"\1'", text)
    return text


def _cell(value, text: Callable[[str], str]) -> str:
    """A CSV cell: text through ``text``; a time in the site's time zone (Asia/Ho_Chi_Minh),
    with its offset."""
    if type(value) is str:  # most cells: first
        return text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:  # (not timezone.localtime(): a third of the cost)
            value = value.astimezone(timezone.get_default_timezone())
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return text(force_str(value))


def csv_value(value) -> str:
    """A CSV cell for a spreadsheet: text neutralised (``neutralise``)."""
    return _cell(value, neutralise)


def exact_value(value) -> str:
    """A CSV cell for programs (the API's CSV): every value as it is."""
    return _cell(value, str)


class _Echo:
    """A file-like object whose write() hands back the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def chunked(rows: Iterable, complete=None) -> Iterator:
    """``rows`` as they come, each chunk of ``CHUNK_SIZE`` first completed by ``complete`` (one
    query per chunk), when there is one."""
    if complete is None:
        yield from rows
        return
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK_SIZE:
            complete(batch)
            yield from batch
            batch = []
    if batch:
        complete(batch)
        yield from batch


def streamed(queryset, chunk_size: int = CHUNK_SIZE) -> Iterator:
    """``queryset.iterator(chunk_size)``, on PostgreSQL read inside a transaction. Outside one,
    Django declares the cursor WITH HOLD, and PostgreSQL computes every row at the commit that
    follows the declaration, before the first is sent: 1.6 s of silence for a million
    projects. (Only reads: inside a caller's transaction, no savepoint is needed. SQLite reads
    as it goes, and a transaction there would take the database's write lock.)"""
    if connections[queryset.db].vendor != "postgresql":
        yield from queryset.iterator(chunk_size=chunk_size)
        return
    with transaction.atomic(using=queryset.db, savepoint=False):
        yield from queryset.iterator(chunk_size=chunk_size)


def iterate(queryset, prepare=None) -> Iterator:
    """The records of ``queryset`` in chunks; ``prepare`` completes each chunk with one query."""
    return chunked(streamed(queryset), prepare)


@dataclass(frozen=True)
class Rows:
    """How a download reads its rows: as plain values, never as records (making a record with
    its related ones costs several times more than the values it shows).

    The columns name their ``values()`` lookups ("programme__name" joins); ``complete(chunk)``
    adds to each row of a chunk what a join cannot give (totals, the names of linked records;
    columns read those with ``key``), with one query per chunk."""

    complete: Callable[[list[dict]], None] | None = None

    def read(self, queryset, columns: Iterable[Column]) -> Iterator[dict]:
        lookups = {column.value for column in columns if isinstance(column.value, str)}
        values = queryset.prefetch_related(None).values("pk", *sorted(lookups))
        return chunked(streamed(values), self.complete)


def key(name: str) -> Callable[[dict], object]:
    """A column's value: the row's ``name``, as ``Rows.complete`` set it."""
    return operator.itemgetter(name)


def rows_of(queryset, columns, prepare=None, rows: Rows | None = None) -> Iterator:
    """What a download writes: ``queryset`` read as values by ``rows``, or as records completed
    by ``prepare``."""
    return rows.read(queryset, columns) if rows is not None else iterate(queryset, prepare)


def started(chunks: Iterable, count: int = 2) -> Iterator:
    """``chunks`` with its first ``count`` pieces made now, inside the view, so that the first
    database read happens before the answer's status is sent: a database that cannot be reached
    then answers 503 (``core.health``) instead of breaking a stream that began with 200. (A
    database lost in the middle of a long export still cuts the stream short.) Closing the
    result closes ``chunks``."""
    chunks = iter(chunks)
    head = list(itertools.islice(chunks, count))

    def rest():
        try:
            yield from head
            yield from chunks
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()

    return rest()


class ExportsBusy(Exception):
    """Every download slot stayed taken for ``TRACKER_EXPORT_WAIT`` seconds."""

    retry_after = 30


# A slot is held for this long at most without a sign of life from its download.
SLOT_LEASE_SECONDS = 60


class _Slot:
    """One of the ``TRACKER_EXPORT_SLOTS`` downloads that may be made at once, site-wide (in
    the shared cache): held while its download runs, renewed as it goes, given back at its
    end, and lost after ``SLOT_LEASE_SECONDS`` should its worker die."""

    def __init__(self, key: str | None):
        self.key, self.token = key, secrets.token_hex(8)
        self.renewed = time.monotonic()

    def take(self) -> bool:
        return cache.add(self.key, self.token, timeout=SLOT_LEASE_SECONDS)

    def renew(self) -> None:
        if self.key and time.monotonic() - self.renewed > SLOT_LEASE_SECONDS / 4:
            self.renewed = time.monotonic()
            try:
                cache.touch(self.key, SLOT_LEASE_SECONDS)
            except Exception:
                logger.warning("The download slot could not be renewed.", exc_info=True)

    def give_back(self) -> None:
        key, self.key = self.key, None
        if key is None:
            return
        try:
            if cache.get(key) == self.token:
                cache.delete(key)
        except Exception:  # lost with the cache: the lease ends it
            logger.warning("The download slot could not be given back.", exc_info=True)


def download_slot() -> _Slot:
    """A download slot, waiting up to ``TRACKER_EXPORT_WAIT`` seconds for one; raises
    ``ExportsBusy`` if none came free. Exports read every row: a few at a time keep the rest of
    the workers' time for pages. With the cache unreachable, the download goes ahead."""
    slots = settings.TRACKER_EXPORT_SLOTS
    if slots <= 0:
        return _Slot(None)
    deadline = time.monotonic() + settings.TRACKER_EXPORT_WAIT
    while True:
        for number in range(slots):
            slot = _Slot(f"download-slot:{number}")
            try:
                if slot.take():
                    return slot
            except Exception:
                logger.warning("The cache is unreachable; the download goes ahead.", exc_info=True)
                return _Slot(None)
        if time.monotonic() >= deadline:
            raise ExportsBusy
        time.sleep(0.2)


def batched(pieces: Iterable, size: int = SEND_SIZE) -> Iterator:
    """``pieces`` (all text or all bytes: a download's rows) joined into pieces of about
    ``size``: the server writes each piece it is given to the client with a call of its own,
    and a row is a few hundred bytes."""
    batch, length = [], 0
    for piece in pieces:
        batch.append(piece)
        length += len(piece)
        if length >= size:
            yield batch[0][:0].join(batch)
            batch, length = [], 0
    if batch:
        yield batch[0][:0].join(batch)


def download(chunks: Iterable, count: int = 1) -> Iterator:
    """``started(chunks)`` made in a download slot (``download_slot``, which may raise
    ``ExportsBusy``), sent in pieces of ``SEND_SIZE`` (``batched``) and held until the
    download ends or the client goes."""
    slot = download_slot()

    def held():
        try:
            for chunk in batched(chunks):
                slot.renew()
                yield chunk
        finally:
            slot.give_back()

    try:
        return started(held(), count)
    except BaseException:
        slot.give_back()
        raise


def csv_response(
    queryset,
    columns: Iterable[Column],
    filename: str,
    prepare=None,
    rows: Rows | None = None,
    exact: bool = False,
) -> StreamingHttpResponse:
    """The rows as CSV, streamed: for a spreadsheet (text neutralised), or ``exact`` for
    programs (the API: every value as it is)."""
    columns = list(columns)
    cell = exact_value if exact else csv_value
    language = translation.get_language()

    def lines():
        with translation.override(language):
            writer = csv.writer(_Echo())
            readers = [column.reader() for column in columns]
            # A byte-order mark so that spreadsheet programs read the file as UTF-8.
            yield "\ufeff" + writer.writerow([force_str(c.header) for c in columns])
            for row in rows_of(queryset, columns, prepare, rows):
                yield writer.writerow([cell(read(row)) for read in readers])

    # The first piece (the header and the first rows: the first query) is made in the view.
    response = StreamingHttpResponse(download(lines()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_amount(value) -> tuple[object, int]:
    """An amount as an XLSX cell with thousands separators ("21,000,000,000,000" in Excel's
    English, "21.000.000.000.000" in its Vietnamese), cents only where it has some."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return xlsx_value(value)
    whole = value == int(value)
    return value, xlsx.AMOUNT if whole else xlsx.AMOUNT_CENTS


def xlsx_value(value, header: bool = False) -> tuple[object, int]:
    """A value as an XLSX cell and its style (``core.xlsx``): text always a string cell, and
    marked as typed after an apostrophe where CSV would neutralise it."""
    if isinstance(value, datetime.datetime):
        # Spreadsheets have no time zones: write the local time of the site (TIME_ZONE).
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None), xlsx.PLAIN
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date):
        return value, xlsx.PLAIN
    text = xlsx.ILLEGAL.sub("", force_str(value))
    # What Excel writes for text typed after an apostrophe: edited, it stays text.
    quoted = neutralise(text) != text
    if header:
        return text, xlsx.BOLD_QUOTED if quoted else xlsx.BOLD
    return text, xlsx.QUOTED if quoted else xlsx.PLAIN


def xlsx_response(
    queryset,
    columns: Iterable[Column],
    filename: str,
    title: str,
    prepare=None,
    rows: Rows | None = None,
) -> StreamingHttpResponse:
    """The rows as an XLSX workbook, streamed as it is written (``core.xlsx``)."""
    columns = list(columns)
    language = translation.get_language()

    def chunks():
        with translation.override(language):
            header = [xlsx_value(column.header, header=True) for column in columns]
            readers = [column.reader() for column in columns]
            writers = [xlsx_amount if c.unit == "money" else xlsx_value for c in columns]
            cells = (
                [write(read(row)) for read, write in zip(readers, writers, strict=True)]
                for row in rows_of(queryset, columns, prepare, rows)
            )
            yield from xlsx.workbook(force_str(title), header, cells)

    response = StreamingHttpResponse(
        download(chunks()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def model_download(queryset, *, exclude: tuple[str, ...] = ()) -> tuple[tuple[Column, ...], Rows]:
    """The API's CSV of ``queryset``: one column per field, headed by the field's name, with raw
    values (codes, not labels); a related record is written as its slug (or code), linked
    records (many-to-many) as their slugs joined by "; ".

    Read as values: a related record's slug is a join; the linked records' are one query per
    chunk over the link table, limited to those the list itself shows (the ``Prefetch`` of
    ``queryset``: the published ones for the public)."""
    model = queryset.model
    shown = {
        lookup.prefetch_to: lookup.queryset
        for lookup in queryset._prefetch_related_lookups
        if isinstance(lookup, Prefetch) and lookup.queryset is not None
    }
    columns, many = [], []
    for field in model._meta.concrete_fields:
        if field.name in exclude:
            continue
        lookup = (
            f"{field.name}__{_key_of(field.related_model)}" if field.is_relation else field.attname
        )
        columns.append(Column(field.name, lookup))
    for field in model._meta.many_to_many:
        if field.name not in exclude:
            columns.append(Column(field.name, key(field.name)))
            many.append(field)

    def complete(rows: list[dict]) -> None:
        ids = [row["pk"] for row in rows]
        for field in many:
            linked = linked_values(
                field, ids, _key_of(field.related_model), shown=shown.get(field.name)
            )
            for row in rows:
                row[field.name] = "; ".join(str(value) for value in linked.get(row["pk"], ()))

    return tuple(columns), Rows(complete if many else None)


def linked_values(field, ids, value: str, *, shown=None) -> dict[object, list]:
    """For a many-to-many ``field`` and the ids of records that have it: each record's linked
    records' ``value`` ("slug", "name"), in the linked model's order, with one query over the
    link table; only the linked records in ``shown`` (a queryset) when it is given."""
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    links = field.remote_field.through.objects.filter(**{f"{source}__any_of": ids})
    if shown is not None:
        links = links.filter(**{f"{target}__in": shown.values("pk")})
    ordering = [
        f"-{target}__{name[1:]}" if name.startswith("-") else f"{target}__{name}"
        for name in field.related_model._meta.ordering
    ]
    linked = defaultdict(list)
    for owner, linked_value in links.order_by(source, *ordering, target).values_list(
        source, f"{target}__{value}"
    ):
        linked[owner].append(linked_value)
    return linked


def _key_of(related_model) -> str:
    """How a related record is named in a machine-readable download: its slug, code or pk."""
    names = {f.name for f in related_model._meta.concrete_fields}
    return next((name for name in ("slug", "code", "model") if name in names), "pk")
