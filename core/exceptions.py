"""Domain errors shared by every app; the web layer turns them into messages or 4xx answers."""

from django.core.exceptions import ValidationError


class StaleRecordError(ValidationError):
    """The record changed after the editor opened it: saving would overwrite someone's work."""
