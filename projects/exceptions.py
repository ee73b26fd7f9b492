"""Domain errors of the projects app; the web layer turns them into messages or 4xx answers."""

from django.core.exceptions import ValidationError


class ProjectStatusError(ValidationError):
    """A status change the rules do not allow."""
