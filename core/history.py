"""Every change to every record, kept by django-simple-history: versions, readable differences,
and the check that refuses a stale edit (a lost update)."""

from dataclasses import dataclass, field

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

from .exceptions import StaleRecordError

# A stale-edit message names at most this many of the changes made meanwhile.
CHANGES_NAMED = 5


def is_history(model) -> bool:
    """Whether ``model`` is a history table (``HistoricalProject``…) rather than a record."""
    return issubclass(model, HistoricalChanges) and hasattr(model, "instance_type")


def is_tracked(model) -> bool:
    return hasattr(model, "history") and not is_history(model)


def record_version(instance: models.Model) -> int:
    """The record's version: the id of its latest history entry (0 before it has one).

    Every save through the ORM adds a history entry, so the version changes with every change.
    """
    if instance.pk is None:
        return 0
    latest = (
        type(instance)
        .history.filter(**{instance._meta.pk.attname: instance.pk})
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
    )
    return latest or 0


@dataclass
class Change:
    """One history entry made readable: who, when, and each field from what to what."""

    who: str
    when: object
    kind: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)

    def describe(self) -> str:
        if not self.fields:
            if self.kind == _("changed"):
                # The admin saves the record with the rows of its page (allocations…).
                return _("saved; only the rows shown with it may have changed")
            return self.kind
        return "; ".join(f"{name}: {old} → {new}" for name, old, new in self.fields)


def display(model, name: str, value) -> str:
    """A stored value as a person reads it: choice labels, dates in the active locale, “–”."""
    if value is None or value == "":
        return "–"
    try:
        model_field = model._meta.get_field(name)
    except Exception:  # an m2m list or a name the model no longer has
        model_field = None
    if isinstance(value, list):  # many-to-many: the rows of its table, as dicts
        if model_field is not None and model_field.many_to_many:
            # The records linked, not the record itself: "Trà Lĩnh, Tà Lùng".
            target = model_field.m2m_reverse_field_name()
            names = [str(row.get(target)) for row in value]
        else:
            names = [str(v) for row in value for v in row.values()]
        return ", ".join(sorted(names)) or "–"
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(formats.localize(value))


def change_of(entry) -> Change:
    """``entry`` (a history row) compared with the entry before it."""
    model = entry.instance_type
    kinds = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    who = str(entry.history_user) if entry.history_user_id else _("an unknown user")
    change = Change(who=who, when=entry.history_date, kind=kinds.get(entry.history_type, ""))
    previous = entry.prev_record if entry.history_type == "~" else None
    if previous is not None:
        # Related records as records, so a change reads with their names, not their ids.
        delta = entry.diff_against(previous, foreign_keys_are_objs=True)
        for item in delta.changes:
            try:
                label = str(model._meta.get_field(item.field).verbose_name)
            except Exception:
                label = item.field
            change.fields.append(
                (label, display(model, item.field, item.old), display(model, item.field, item.new))
            )
    return change


def changes_since(instance: models.Model, version: int) -> list[Change]:
    """The changes made to ``instance`` after ``version``, oldest first."""
    entries = (
        type(instance)
        .history.filter(**{instance._meta.pk.attname: instance.pk}, history_id__gt=version)
        .select_related("history_user")
        .order_by("history_id")
    )
    return [change_of(entry) for entry in entries[:CHANGES_NAMED]]


def latest_change(instance: models.Model) -> list[Change]:
    entry = (
        type(instance)
        .history.filter(**{instance._meta.pk.attname: instance.pk})
        .select_related("history_user")
        .order_by("-history_id")
        .first()
    )
    return [change_of(entry)] if entry is not None else []


def stale_message(instance: models.Model, version: int | None) -> str:
    """Who changed ``instance`` after ``version``, when, and what (with no version known, the
    latest change)."""
    changes = changes_since(instance, version) if version else latest_change(instance)
    if not changes:
        return _("“%(record)s” was changed by someone else after you opened it.") % {
            "record": instance
        }
    parts = [
        _("%(who)s on %(when)s (%(what)s)")
        % {
            "who": change.who,
            # In the site's time (Asia/Ho_Chi_Minh), as every time shown: not UTC.
            "when": formats.date_format(timezone.localtime(change.when), "SHORT_DATETIME_FORMAT"),
            "what": change.describe(),
        }
        for change in changes
    ]
    return _(
        "“%(record)s” was changed after you opened it, by %(changes)s. Nothing of yours was "
        "saved: open the record again to see the changes, then make yours."
    ) % {"record": instance, "changes": "; ".join(parts)}


def ensure_current(*, instance: models.Model, version: int | None) -> None:
    """Refuse to overwrite ``instance`` if it changed after ``version`` (the version its editor
    started from). Locks the row until the transaction ends, so two saves cannot both pass."""
    if version is None or instance.pk is None:
        return
    model = type(instance)
    model._default_manager.select_for_update().filter(pk=instance.pk).exists()
    if record_version(instance) != version:
        raise StaleRecordError(stale_message(instance, version))


def children_version(instance: models.Model, children) -> str:
    """The latest history entry of the rows edited with ``instance`` on its admin page (its
    inlines): ``children`` is a list of ``(model, foreign key name)``. Deleted rows count too,
    their history keeps the foreign key."""
    parts = []
    for model, fk_name in children:
        latest = (
            model.history.filter(**{f"{fk_name}_id": instance.pk})
            .order_by("-history_id")
            .values_list("history_id", flat=True)
            .first()
        )
        parts.append(str(latest or 0))
    return ".".join(parts)


def ensure_children_current(*, instance: models.Model, children, version: str) -> None:
    """Refuse to save the rows edited with ``instance`` if any of them changed (or was added or
    deleted) since ``version`` (see ``children_version``), naming who changed them."""
    if not children or children_version(instance, children) == version:
        return
    seen = version.split(".")
    who = set()
    for index, (model, fk_name) in enumerate(children):
        since = int(seen[index]) if index < len(seen) and seen[index].isdigit() else 0
        entries = (
            model.history.filter(**{f"{fk_name}_id": instance.pk}, history_id__gt=since)
            .select_related("history_user")
            .order_by("history_id")[:CHANGES_NAMED]
        )
        who |= {
            str(entry.history_user) if entry.history_user_id else _("an unknown user")
            for entry in entries
        }
    names = ", ".join(str(model._meta.verbose_name_plural) for model, _fk in children)
    raise StaleRecordError(
        _(
            "%(who)s changed the %(rows)s of “%(record)s” after you opened it. Nothing of "
            "yours was saved: open the record again to see the changes, then make yours."
        )
        % {"who": ", ".join(sorted(who)) or _("Someone"), "rows": names, "record": instance}
    )


def information_date(citations=(), dated=()) -> tuple | None:
    """``(date, precision)`` of the newest thing a record's information rests on: the
    publication dates of the sources it cites and ``dated``, the ``(date, precision)`` of what
    is recorded as having happened to it (events, progress reports, reported figures). Unlike
    ``updated_at``, which says when it was last changed here, this says how current it is."""
    found = [(c.source.published_on, "day") for c in citations if c.source.published_on]
    found += [(day, precision or "day") for day, precision in dated if day]
    return max(found, key=lambda item: item[0]) if found else None
