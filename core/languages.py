"""Records in two languages: Vietnamese, always there, and English where someone wrote it.

A translatable field ``name`` has its English version in ``name_en`` beside it. On an English
page the English version is shown; where there is none, the Vietnamese one, marked as such
(``core.templatetags.tracker.local``). Vietnamese pages always show the Vietnamese text.
"""

from django.utils.translation import get_language

SOURCE_LANGUAGE = "vi"


def active_language() -> str:
    return (get_language() or SOURCE_LANGUAGE).split("-")[0]


def in_language(obj, field: str, language: str | None = None) -> tuple[str, str]:
    """``(text, the language it is in)`` of ``obj.<field>`` (or ``obj[field]`` of a row read as
    values) for a page in ``language``."""
    language = language or active_language()
    read = (
        obj.get if isinstance(obj, dict) else lambda name, default=None: getattr(obj, name, default)
    )
    if language != SOURCE_LANGUAGE:
        translated = read(f"{field}_{language}", "")
        if translated:
            return translated, language
    return read(field) or "", SOURCE_LANGUAGE


def is_fallback(obj, field: str, language: str | None = None) -> bool:
    """Whether a page in ``language`` shows ``field`` in Vietnamese for want of a translation."""
    language = language or active_language()
    text, shown_in = in_language(obj, field, language)
    return bool(text) and shown_in != language
