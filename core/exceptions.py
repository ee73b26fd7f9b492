"""The one error of every write; the web layer turns it into its own message or answer."""

from django.core.exceptions import ValidationError

# The code of a refusal by the role rules (publishing, an editor's fields…): the API answers
# 403 for it, 400 for any other error.
FORBIDDEN = "forbidden"


class RecordError(ValidationError):
    """Why a write service refused a write, by field; nothing was written.

    The admin shows it on the form, the API answers it (403 when ``forbidden``, 400 otherwise)
    and the import on the row, each in its own words around the same messages.
    """

    @property
    def forbidden(self) -> bool:
        errors = (
            [e for errors in self.error_dict.values() for e in errors]
            if hasattr(self, "error_dict")
            else self.error_list
        )
        return any(error.code == FORBIDDEN for error in errors)


class StaleRecordError(RecordError):
    """The record changed after the editor opened it: saving would overwrite someone's work."""
