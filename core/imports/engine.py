"""Running an import: every row parsed, matched to its record by its key and validated (dry run)
or written (apply) into a report; and the registry of the kinds of record staff can import."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from core.text import fold

from .cells import CellError, Column
from .reading import FileError, Row, read_table

# The key of the templates' example row: refused, so importing the template unedited is harmless.
EXAMPLE_CODE = "example-delete-this-row"

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass
class RowResult:
    """What the import does with one row: its action, or why it cannot."""

    number: int
    key: str
    action: str = ""
    changed: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Report:
    """The outcome of a dry run or an apply."""

    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, "errors": 0}
        for row in self.rows:
            counts["errors" if row.errors else row.action] += 1
        return counts

    @property
    def can_apply(self) -> bool:
        return not self.has_errors and any(row.action != UNCHANGED for row in self.rows)


class Importer:
    """One kind of record staff can import. Subclasses declare ``columns`` and implement
    ``load`` (fetch every record the file refers to, one query per model) and ``import_row``.

    A new instance serves one run, for one user: what they may publish and which status
    changes they may make are checked with their permissions.
    """

    code: str
    label: Any
    # The permission needed to import this kind of file ("projects.import_records").
    permission: str
    columns: tuple[Column, ...]
    # The columns that identify a record: a file names each record once.
    key_columns: tuple[str, ...] = ("code",)
    # Model field names whose errors belong to another column (a new record's slug is its code).
    field_columns: dict[str, str] = {}

    def __init__(self, *, user):
        self.user = user

    def key(self, row: Row) -> tuple | None:
        """What identifies the row's record, or None when a key cell is blank or wrong."""
        key = tuple(row.values.get(column) for column in self.key_columns)
        if any(part is None for part in key):
            return None
        return tuple(str(part).lower() for part in key)

    def label_of(self, row: Row) -> str:
        return " ".join(str(row.values.get(column, "")) for column in self.key_columns).strip()

    def load(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def import_row(self, row: Row, *, write: bool) -> RowResult:
        raise NotImplementedError

    def run(self, data: bytes, *, write: bool) -> Report:
        """Dry run (``write=False``, nothing written) or apply: every row or none."""
        try:
            table = read_table(data, self.columns)
        except FileError as exc:
            return Report(file_errors=exc.messages)
        rows = table.rows
        self._parse(rows)
        self.load(rows)
        if write:
            with transaction.atomic():
                results = [self._import(row, write=True) for row in rows]
                written = not any(result.errors for result in results)
                if not written:
                    transaction.set_rollback(True)
        else:
            results, written = [self._import(row, write=False) for row in rows], False
        for result in results:
            result.errors = [(table.headers.get(c, c), message) for c, message in result.errors]
            result.changed = [table.headers.get(c, c) for c in result.changed]
        return Report(rows=results, written=written)

    def _parse(self, rows: list[Row]) -> None:
        first_row: dict[Any, int] = {}
        for row in rows:
            for column in self.columns:
                if column.code not in row.raw:
                    continue
                try:
                    value = column.parse(row.raw[column.code])
                except CellError as exc:
                    row.error(column.code, str(exc))
                    continue
                if value is not None:
                    row.values[column.code] = value
            if any(fold(value) == EXAMPLE_CODE for value in row.values.values()):
                row.is_example = True
                row.errors = [("", _("This is the template's example row: delete it."))]
            key = self.key(row)
            if key is None:
                continue
            if key in first_row:
                row.error(
                    "",
                    _("Row %(row)s is for the same record; each record may appear only once.")
                    % {"row": first_row[key]},
                )
            first_row.setdefault(key, row.number)

    def _import(self, row: Row, *, write: bool) -> RowResult:
        if row.is_example:
            return RowResult(number=row.number, key=self.label_of(row), errors=row.errors)
        if self.key(row) is None:
            failed = {column for column, _message in row.errors}
            for column in self.key_columns:
                if column not in row.values and column not in failed:
                    row.error(column, _("This cell cannot be blank."))
            return RowResult(number=row.number, key=self.label_of(row), errors=row.errors)
        try:
            result = self.import_row(row, write=write)
        except IntegrityError:
            # Another user saved a conflicting record meanwhile (the row passed validation).
            row.error("", _("The row conflicts with a record saved meanwhile; try again."))
            result = RowResult(number=row.number, key=self.label_of(row))
        result.errors = row.errors
        if result.errors:
            result.action = ""
        return result

    # Helpers for ``import_row`` ---------------------------------------------------------

    def values(self, rows: list[Row], column: str) -> set[str]:
        """Every value of ``column`` in the file (the codes of a codes column)."""
        found = set()
        for row in rows:
            value = row.values.get(column)
            found.update(value if isinstance(value, list) else [] if value is None else [value])
        return {str(value) for value in found}

    def resolve(self, row: Row, column: str, records: dict[str, models.Model], message: str):
        """The record a reference cell names (one, or a list for a codes column); an error
        naming the unknown codes otherwise. ``message`` has a ``%(value)s``."""
        value = row.values.get(column)
        if value is None:
            return None
        codes = value if isinstance(value, list) else [value]
        unknown = [code for code in codes if code.lower() not in records]
        if unknown:
            row.error(column, message % {"value": ", ".join(unknown)})
            return None
        found = [records[code.lower()] for code in codes]
        return found if isinstance(value, list) else found[0]

    def write(
        self, row: Row, service, instance: models.Model, data: dict[str, Any], *, write: bool
    ) -> RowResult:
        """Bring ``instance`` to the row's ``data`` (field → value; a blank or missing cell,
        None, changes nothing; the key columns found the record and are not changed) with the
        record's write ``service``: a dry run unless ``write``. The optional ``published``
        column sets ``is_published``. The service's refusals (its rules, the model's validation)
        become the row's errors, by column."""
        new = instance._state.adding
        data = {
            name: value
            for name, value in data.items()
            if value is not None and name not in self.key_columns
        }
        if row.values.get("published") is not None:
            data["is_published"] = row.values["published"]
        if row.errors:
            return self.result(row, new=new, changed=[])
        try:
            changed = service(instance, data=data, user=self.user, save=write)
        except ValidationError as exc:
            self.model_errors(row, exc)
            changed = {}
        columns = {"is_published": "published"}
        return self.result(row, new=new, changed=[columns.get(name, name) for name in changed])

    def model_errors(self, row: Row, exc: ValidationError) -> None:
        """Turn a model's ``ValidationError`` into the row's errors, by column."""
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                row.error("", message)
            return
        for name, messages in exc.message_dict.items():
            columns = {"is_published": "published", **self.field_columns}
            column = "" if name == NON_FIELD_ERRORS else columns.get(name, name)
            for message in messages:
                row.error(column, message)

    def result(self, row: Row, *, new: bool, changed: list[str]) -> RowResult:
        action = CREATE if new else UPDATE if changed else UNCHANGED
        return RowResult(number=row.number, key=self.label_of(row), action=action, changed=changed)


# The kinds of file staff can import, by code, in the order the apps register them
# (``register`` in each domain app's ``AppConfig.ready()``); the import page offers these.
_importers: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    """Offer ``importer`` on the import page (called from its app's ``AppConfig.ready()``)."""
    _importers[importer.code] = importer
    return importer


def importers() -> dict[str, type[Importer]]:
    """Every registered importer, by code."""
    return dict(_importers)


def by_codes(queryset: models.QuerySet, codes: set[str], *fields: str) -> dict[str, Any]:
    """The records whose ``fields`` (code, slug…) are among ``codes``, in one query, keyed by
    each of those fields lowercased (codes are matched regardless of case)."""
    if not codes:
        return {}
    wanted = codes | {code.lower() for code in codes}
    condition = models.Q()
    for name in fields:
        condition |= models.Q(**{f"{name}__in": wanted})
    records = {}
    for record in queryset.filter(condition):
        for name in fields:
            records.setdefault(getattr(record, name).lower(), record)
    return records
