"""Text folding for search that ignores Vietnamese diacritics.

``fold("Trà Lĩnh")``, ``fold("TRA LINH")`` and ``fold("tra linh")`` all give ``"tra linh"``;
"đ"/"Đ" fold to "d" (Unicode does not decompose them, so they are mapped by hand).
The same function builds the stored ``search_text`` column and folds the visitor's query, so
both sides always agree, on SQLite and on PostgreSQL alike.
"""

import re
import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o"})
_SPACES = re.compile(r"\s+")
# Longest query we fold and search for; longer input is cut, never an error.
MAX_QUERY_LENGTH = 200


def fold(value: object) -> str:
    """Lowercase ``value``, strip diacritics and collapse white space."""
    if value is None:
        return ""
    text = str(value).translate(_EXTRA)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text.casefold()).strip()


def fold_query(value: object) -> str:
    """Fold a visitor's search string, cut to a sane length, without control characters."""
    text = "".join(ch for ch in str(value or "") if ch.isprintable())
    return fold(text[: MAX_QUERY_LENGTH * 2])[:MAX_QUERY_LENGTH]
