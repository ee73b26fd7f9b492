"""Deleting a record never takes other data with it silently.

``dependents(instance)`` lists what depends on a record, generically (no domain app is named
here): rows whose foreign key points at it, records linked to it or from it through a
many-to-many field, and rows whose generic foreign key points at it (citations, reported
figures about it). Each kind is either

* **blocking**: other data that must be deleted or unlinked first, each step seen and
  confirmed by the user (a project's events and yearly allocations, a gate's trade records,
  citations, reported figures, projects still linked to a gate…); or
* **a part** that may go with the record once the user has seen it: rows on CASCADE (a
  report's photos) and the record's own many-to-many links (a project's gates). The admin lists
  them on its confirmation page; the API shows nothing before deleting, so it refuses them too.

``record_delete`` is the service every delete goes through (admin, API, code).
"""

from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models.deletion import get_candidate_relations_to_delete
from django.utils.text import capfirst
from django.utils.translation import gettext as _

# How many of each kind of dependent are named; the count says how many there are in all.
NAMES_SHOWN = 5
# How deep parts of parts (rows deleted with rows deleted with the record) are followed.
MAX_DEPTH = 4


@dataclass
class Dependent:
    """Records of one kind that depend on the record to delete."""

    # The dependent rows' model; for many-to-many links, the model of the records linked.
    model: type[models.Model]
    # As people read it: "Project events", "Projects linked to it through “gates served”".
    kind: str
    count: int
    # The first NAMES_SHOWN of them (for links: the records on the other side).
    objects: list = field(default_factory=list)
    # True: must be deleted or unlinked first. False: a part, deleted (or unlinked) with it.
    blocking: bool = True

    @property
    def names(self) -> list[str]:
        return [str(obj) for obj in self.objects]

    @property
    def more(self) -> int:
        """How many are not named."""
        return self.count - len(self.objects)

    def describe(self) -> str:
        """``Project events (7): A, B, C, D, E and 2 more``."""
        names = ", ".join(self.names)
        if self.more:
            names = _("%(names)s and %(more)d more") % {"names": names, "more": self.more}
        return _("%(kind)s (%(count)d): %(names)s") % {
            "kind": self.kind,
            "count": self.count,
            "names": names,
        }

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "model": self.model._meta.label_lower,
            "count": self.count,
            "names": self.names,
            "deleted_with_it": not self.blocking,
        }


class DependentsError(ValidationError):
    """The record was not deleted: other records depend on it."""

    def __init__(self, instance: models.Model, found: list[Dependent]):
        self.instance = instance
        self.dependents = found
        message = _(
            "“%(record)s” cannot be deleted while other records depend on it: %(dependents)s. "
            "Delete or unlink them first, then delete it."
        ) % {"record": instance, "dependents": "; ".join(d.describe() for d in found)}
        super().__init__(message, code="dependents")


def dependents(instance: models.Model) -> list[Dependent]:
    """Everything that depends on ``instance`` (see the module's docstring), blocking kinds and
    parts alike; an empty list when it can be deleted on its own."""
    return _dependents(type(instance)._meta.concrete_model, [instance.pk], depth=0)


def record_delete(*, instance: models.Model, with_parts: bool = False, user=None) -> None:
    """Delete ``instance`` unless something depends on it (``DependentsError``, nothing changed).

    ``with_parts``: the user was shown its parts (the admin's confirmation page) and confirmed,
    so they go with it; its own many-to-many links are removed through the relation first, so
    the record's history records their removal, with ``user``. Without it (the API, which shows
    nothing before deleting), parts refuse the delete too. The record's row stays locked from
    the check to the delete, so no one can add a dependent in between.
    """
    model = type(instance)
    using = router.db_for_write(model, instance=instance)
    with transaction.atomic(using=using):
        lock([instance])
        found = [d for d in dependents(instance) if d.blocking or not with_parts]
        if found:
            raise DependentsError(instance, found)
        if user is not None and user.is_authenticated:
            # The history names who made the change, also outside a web request.
            instance._history_user = user
        for m2m in model._meta.many_to_many:
            links = getattr(instance, m2m.name)
            if m2m.remote_field.through._meta.auto_created and links.exists():
                links.clear()
        instance.delete()


def lock(instances) -> None:
    """Lock the records' rows until the transaction ends (PostgreSQL; SQLite locks the whole
    database on write). A new row referring to them waits, then finds them gone."""
    instances = list(instances)
    if not instances:
        return
    model = type(instances[0])
    using = router.db_for_write(model, instance=instances[0])
    if not transaction.get_connection(using).in_atomic_block:
        return
    pks = [obj.pk for obj in instances]
    # No ordering: a model ordered by a related field would lock (or fail to lock) a join.
    rows = model._base_manager.using(using).select_for_update().filter(pk__in=pks).order_by()
    list(rows.values_list("pk", flat=True))


def _dependents(model, pks: list, *, depth: int) -> list[Dependent]:
    found: list[Dependent] = []
    relations = [
        rel
        for rel in get_candidate_relations_to_delete(model._meta)
        if rel.field.remote_field.on_delete is not models.DO_NOTHING
    ]
    for rel in relations:
        fk = rel.field
        related = rel.related_model
        if related._meta.auto_created:
            link = _link(related, fk, pks)
            if link is not None:
                found.append(link)
            continue
        rows = related._base_manager.filter(**{f"{fk.name}__in": pks})
        count = rows.count()
        if not count:
            continue
        kind = capfirst(related._meta.verbose_name_plural)
        if related is model or sum(r.related_model is related for r in relations) > 1:
            kind = _("%(records)s (%(field)s)") % {"records": kind, "field": fk.verbose_name}
        cascade = fk.remote_field.on_delete is models.CASCADE
        found.append(
            Dependent(
                model=related,
                kind=kind,
                count=count,
                objects=list(rows[:NAMES_SHOWN]),
                # Rows that would be set to NULL (or another value) lose their reference
                # silently: they block like protected ones.
                blocking=not cascade,
            )
        )
        if cascade and depth < MAX_DEPTH:
            parts = list(rows.values_list("pk", flat=True))
            found.extend(_dependents(related, parts, depth=depth + 1))
    found.extend(_generic(model, pks))
    return found


def link_field(model) -> models.ManyToManyField | None:
    """The many-to-many field whose automatic table ``model`` is (None for any other model)."""
    owner = model._meta.auto_created
    if not owner:
        return None
    return next((f for f in owner._meta.many_to_many if f.remote_field.through is model), None)


def _link(through, fk, pks) -> Dependent | None:
    """Links of an automatic many-to-many table: the record's own (a project's gates: a part)
    or other records' links to it (projects serving a gate: blocking)."""
    owner = through._meta.auto_created
    m2m = link_field(through)
    if m2m is None:
        return None
    own = fk.name == m2m.m2m_field_name()
    other = m2m.m2m_reverse_field_name() if own else m2m.m2m_field_name()
    rows = through._base_manager.filter(**{f"{fk.name}__in": pks})
    count = rows.count()
    if not count:
        return None
    if own:
        kind = _("Links in “%(field)s”") % {"field": m2m.verbose_name}
    else:
        kind = _("%(records)s linked to it through “%(field)s”") % {
            "records": capfirst(owner._meta.verbose_name_plural),
            "field": m2m.verbose_name,
        }
    linked = [getattr(row, other) for row in rows.select_related(other)[:NAMES_SHOWN]]
    return Dependent(
        model=through._meta.get_field(other).related_model,
        kind=kind,
        count=count,
        objects=linked,
        blocking=not own,
    )


@cache
def _generic_foreign_keys() -> list[tuple[type[models.Model], GenericForeignKey]]:
    return [
        (model, gfk)
        for model in apps.get_models()
        for gfk in model._meta.private_fields
        if isinstance(gfk, GenericForeignKey)
    ]


def _generic(model, pks) -> list[Dependent]:
    """Rows whose generic foreign key points at the records: a Collector follows only those a
    GenericRelation declares, and deletes them; here they block, whatever the model."""
    if model._meta.auto_created:
        return []  # a row of a many-to-many table is no record anything refers to
    found = []
    content_type = ContentType.objects.get_for_model(model)
    for gfk_model, gfk in _generic_foreign_keys():
        rows = gfk_model._base_manager.filter(
            **{gfk.ct_field: content_type, f"{gfk.fk_field}__in": pks}
        )
        count = rows.count()
        if count:
            found.append(
                Dependent(
                    model=gfk_model,
                    kind=capfirst(gfk_model._meta.verbose_name_plural),
                    count=count,
                    objects=list(rows[:NAMES_SHOWN]),
                )
            )
    return found
