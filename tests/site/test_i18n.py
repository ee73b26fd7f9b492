"""Every UI string has a Vietnamese translation, and the compiled catalogue matches the .po file."""

import gettext
import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def unquote(lines: list[str]) -> str:
    return "".join(
        bytes(line.strip()[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode()
        for line in lines
    )


def po_entries() -> list[dict]:
    """A small .po reader: context, msgid, msgstr (or msgstr[0]) and flags of each entry."""

    def blank():
        return {"flags": "", "msgctxt": [], "msgid": [], "msgstr": []}

    entries, entry, key = [], blank(), None
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry["msgid"] or entry["msgstr"]:
                entries.append(
                    {
                        "flags": entry["flags"],
                        "msgctxt": unquote(entry["msgctxt"]),
                        "msgid": unquote(entry["msgid"]),
                        "msgstr": unquote(entry["msgstr"]),
                    }
                )
            entry, key = blank(), None
        elif line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif m := re.match(r"(msgid|msgstr|msgstr\[0\]|msgid_plural|msgctxt)\s+(\".*\")$", line):
            key = {"msgstr[0]": "msgstr"}.get(m.group(1), m.group(1))
            if key in entry:
                entry[key].append(m.group(2))
        elif line.startswith('"') and key in entry:
            entry[key].append(line)
    return entries


def test_every_string_is_translated_and_none_is_fuzzy():
    entries = [e for e in po_entries() if e["msgid"]]
    assert len(entries) > 200
    assert [e["msgid"] for e in entries if not e["msgstr"]] == []
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []


def lookup(catalogue, entry) -> str:
    if entry.get("msgctxt"):
        return catalogue.pgettext(entry["msgctxt"], entry["msgid"])
    return catalogue.gettext(entry["msgid"])


def test_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = [
        e["msgid"]
        for e in po_entries()
        if e["msgid"]
        and lookup(catalogue, e) != e["msgstr"]
        and "%" not in e["msgid"]  # plural entries are looked up with ngettext
    ]
    assert stale == [], "run: python manage.py compilemessages -l vi"
