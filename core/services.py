"""Writes shared by every domain. Views, admin, API and commands call these, never ``save()``."""

from typing import Any

from django.db import models, transaction

from .history import ensure_current


def record_save(
    *,
    instance: models.Model,
    update_fields: list[str] | None = None,
    version: int | None = None,
):
    """Validate ``instance`` as the admin would (``full_clean``) and save it.

    With ``version`` (the record's version when its editor opened it, see ``core.history``), a
    record changed meanwhile by someone else is not overwritten: ``StaleRecordError``.
    """
    with transaction.atomic():
        ensure_current(instance=instance, version=version)
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
            instance = model(**lookup, **values)
            record_save(instance=instance)
            return instance, True
        changed = [name for name, value in values.items() if differs(instance, name, value)]
        if not changed:
            return instance, False
        for name in changed:
            setattr(instance, name, values[name])
        record_save(instance=instance)
        return instance, True


def differs(instance: models.Model, name: str, value: Any) -> bool:
    field = instance._meta.get_field(name)
    if field.is_relation:
        current = getattr(instance, field.attname)
        wanted = value.pk if isinstance(value, models.Model) else value
        return current != wanted
    return field.to_python(getattr(instance, name)) != field.to_python(value)


def set_many(*, instance: models.Model, field: str, objects) -> bool:
    """Set a many-to-many relation; return whether it changed."""
    manager = getattr(instance, field)
    wanted = {obj.pk for obj in objects}
    current = set(manager.values_list("pk", flat=True))
    if wanted == current:
        return False
    manager.set(list(objects))
    return True
