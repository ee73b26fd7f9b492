"""The write of every record: what changed, who may change it, validation, history, saving.

Each domain app has its write services (``projects/services.py``…) built on ``record_update``;
the admin (inline rows included), the API, the import and the commands call those, never
``save()``. A refused write raises ``RecordError`` and writes nothing.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from .exceptions import FORBIDDEN, RecordError

# A check a domain service adds to the role rules and the model's validation:
# ``check(stored, changed)`` with the record as stored, raising ``RecordError``.
Check = Callable[[models.Model, dict[str, Any]], None]


def may(user, permission: str) -> bool:
    """The role rule: whether ``user`` holds ``permission`` (``"projects.publish_project"``).
    No user is the system itself (commands, the demo data), which may do anything."""
    return user is None or user.has_perm(permission)


def may_on(user, action: str, model: type[models.Model]) -> bool:
    """``may`` for an action on a model: ``"publish"`` is ``<app>.publish_<model>``; an action
    with an underscore is the codename itself (``"override_status"``)."""
    opts = model._meta
    codename = action if "_" in action else f"{action}_{opts.model_name}"
    return may(user, f"{opts.app_label}.{codename}")


def is_new(instance: models.Model) -> bool:
    return instance._state.adding


def differs(instance: models.Model, name: str, value: Any) -> bool:
    """Whether setting field ``name`` of ``instance`` to ``value`` changes it: a related record
    by its key, a many-to-many relation by the set of records (from its prefetch when there is
    one), any other value as the field reads it. Everything differs on a new record."""
    if is_new(instance):
        return True
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return {obj.pk for obj in value} != {obj.pk for obj in getattr(instance, name).all()}
    if field.is_relation:
        wanted = value.pk if isinstance(value, models.Model) else value
        return getattr(instance, field.attname) != wanted
    return field.to_python(getattr(instance, name)) != field.to_python(value)


def changed_fields(instance: models.Model, data: dict[str, Any]) -> dict[str, Any]:
    """The part of ``data`` that changes ``instance``."""
    return {name: value for name, value in data.items() if differs(instance, name, value)}


def forbidden(field: str, message: str) -> RecordError:
    return RecordError({field: ValidationError(message, code=FORBIDDEN)})


def check_roles(
    instance: models.Model,
    changed: dict[str, Any],
    *,
    user,
    editor_fields: Iterable[str] | None = None,
) -> None:
    """The role rules of every record: publishing or withdrawing it needs ``publish_<model>``
    (managers); a user who may change records of the model but not add them (an editor) changes
    only ``editor_fields`` of an existing one (``None``: every field)."""
    model = type(instance)
    if "is_published" in changed and not may_on(user, "publish", model):
        raise forbidden("is_published", _("Only a manager can publish a record or withdraw it."))
    if editor_fields is None or is_new(instance) or may_on(user, "add", model):
        return
    if not may_on(user, "change", model):
        # Not an editor: a write by another right (a manager's import), whole records.
        return
    outside = sorted(name for name in changed if name not in editor_fields)
    if outside:
        raise forbidden(
            NON_FIELD_ERRORS,
            _("Your role may change only %(allowed)s here, not %(changed)s.")
            % {"allowed": ", ".join(editor_fields), "changed": ", ".join(outside)},
        )


def record_update(
    instance: models.Model,
    /,
    *,
    data: dict[str, Any],
    user=None,
    before: models.Model | None = None,
    editor_fields: Iterable[str] | None = None,
    checks: Iterable[Check] = (),
    save: bool = True,
    exclude: Iterable[str] = (),
) -> dict[str, Any]:
    """Bring ``instance`` (as stored, or new) to ``data`` (field name → value; a many-to-many
    field's value is its records) and save it; return what changed.

    The role rules (``check_roles``), the domain's ``checks`` and the model's validation
    (``full_clean``, as in the admin) decide first: a refusal raises ``RecordError`` and writes
    nothing. ``save=False`` is a dry run (the import's check, the admin form's validation): the
    same decisions, nothing written; ``instance`` is changed in memory only. The history names
    ``user``; a record ``data`` does not change is not written at all.

    ``before``: the record as stored, when ``instance`` already holds the new values (a model
    form put them there, or it is an old version being restored). ``exclude``: fields not
    validated (a new inline row's link to a record not saved yet).
    """
    stored = instance if before is None else before
    changed = changed_fields(stored, data)
    new = is_new(stored)
    if not changed and not new:
        return changed
    check_roles(stored, changed, user=user, editor_fields=editor_fields)
    for check in checks:
        check(stored, changed)
    opts = instance._meta
    related = {name: value for name, value in changed.items() if opts.get_field(name).many_to_many}
    for name, value in changed.items():
        if name not in related:
            setattr(instance, name, value)
    try:
        instance.full_clean(exclude=list(exclude) or None)
    except ValidationError as error:
        errors = error.error_dict if hasattr(error, "error_dict") else error.error_list
        raise RecordError(errors) from None
    if not save:
        return changed
    if user is not None and user.is_authenticated:
        # The history names who made the change, also outside a web request.
        instance._history_user = user
    with transaction.atomic():
        if new or len(related) < len(changed):
            instance.save()
        # A link added or removed is recorded in the history by itself (its m2m_changed).
        for name, records in related.items():
            getattr(instance, name).set(list(records))
    return changed


def record_save(*, instance: models.Model, update_fields: list[str] | None = None):
    """Validate ``instance`` as the admin would (``full_clean``) and save it as it is: for
    records without a policy of their own (the demo data's, a report's photo)."""
    with transaction.atomic():
        instance.full_clean()
        instance.save(update_fields=update_fields)
    return instance


def record_upsert(
    *, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[models.Model, bool]:
    """Create the row that matches ``lookup`` or bring it to ``values``.

    Returns ``(instance, changed)``. A row that already holds ``values`` is not written at all,
    so loading the same data twice leaves every row (and its ``updated_at``) as it was.
    """
    with transaction.atomic():
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            instance = model(**lookup)
        changed = record_update(instance, data=values)
        return instance, bool(changed)


def set_many(*, instance: models.Model, field: str, objects) -> bool:
    """Set a many-to-many relation; return whether it changed."""
    return bool(record_update(instance, data={field: list(objects)}))
