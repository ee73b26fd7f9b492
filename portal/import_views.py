"""The admin's spreadsheet import page: upload a file, see the dry run, apply it (``core.imports``).

The kinds of file come from the importers the domain apps register
(``core.imports.engine.register`` in their ``AppConfig.ready()``); each kind has its own
permission (``Importer.permission``).

Between the dry run and the apply, the file waits on the server under a random token, with its
SHA-256 and its kind in the uploader's session; the apply form sends only the token, so no
client-sent path or content is ever trusted. The apply reads the file again, validates it again
and writes every row in one transaction, or nothing.
"""

import hashlib
import hmac
import os
import re
import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports.engine import Importer, Report, importers
from core.imports.reading import MAX_FILE_SIZE, MAX_ROWS
from core.imports.templates import template_csv, template_xlsx

SESSION_KEY = "pending_imports"
# Uploads waiting to be applied: a few per session, none kept longer than a day.
MAX_PENDING = 5
PENDING_SECONDS = 24 * 60 * 60
TOKEN = re.compile(r"[0-9a-f]{32}")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_dir() -> Path:
    """Where uploads wait between the dry run and the apply (``TRACKER_IMPORT_DIR``)."""
    return Path(settings.TRACKER_IMPORT_DIR or Path(tempfile.gettempdir()) / "tracker-imports")


def kinds_for(user) -> dict[str, type[Importer]]:
    """The kinds of file ``user`` may import, by code."""
    return {code: kind for code, kind in importers().items() if user.has_perm(kind.permission)}


def may_import(user) -> bool:
    return bool(kinds_for(user))


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("The file holds"))
    # Empty files are let through: the import says so in its own words.
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"), allow_empty_file=True)

    def __init__(self, *args, kinds: dict[str, type[Importer]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(code, kind.label) for code, kind in kinds.items()]


def import_view(request):
    """The import page (GET), its templates (``?template=<kind>&format=csv|xlsx``), the dry run
    (POST of a file) and the apply (POST of a token)."""
    kinds = kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    if "template" in request.GET:
        return _template(request, kinds)
    if request.method == "POST" and "token" in request.POST:
        return _apply(request, kinds)
    if request.method == "POST":
        return _preview(request, kinds)
    return _page(request, ImportForm(kinds=kinds), kinds)


def _page(request, form, kinds):
    kinds = [
        {
            "code": code,
            "label": kind.label,
            "columns": [
                {
                    "code": column.code,
                    "label": column.label,
                    "required": column.required,
                    "format": column.format(),
                }
                for column in kind.columns
            ],
        }
        for code, kind in kinds.items()
    ]
    context = {
        **admin_context(request),
        "title": _("Import a spreadsheet"),
        "form": form,
        "kinds": kinds,
        "max_rows": MAX_ROWS,
        "max_megabytes": MAX_FILE_SIZE // (1024 * 1024),
    }
    return render(request, "admin/import/form.html", context)


def _preview(request, kinds):
    form = ImportForm(request.POST, request.FILES, kinds=kinds)
    if not form.is_valid():
        return _page(request, form, kinds)
    upload, code = form.cleaned_data["file"], form.cleaned_data["kind"]
    if upload.size > MAX_FILE_SIZE:
        form.add_error(
            "file",
            _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_SIZE // (1024 * 1024)},
        )
        return _page(request, form, kinds)
    data = upload.read()
    report = kinds[code](user=request.user).run(data, write=False)
    token = _store(request, data, code, upload.name) if report.can_apply else ""
    return _report_page(request, report, kinds[code], upload.name, token)


def _apply(request, kinds):
    token = request.POST["token"]
    pending = request.session.get(SESSION_KEY, {}).get(token)
    data = _load(token, pending, kinds)
    if data is None:
        messages.error(request, _("This upload is no longer available; upload the file again."))
        return redirect("admin:import")
    kind = kinds[pending["kind"]]
    report = kind(user=request.user).run(data, write=True)
    _discard(request, token)
    if not report.written:
        return _report_page(request, report, kind, pending["name"], "")
    counts = report.counts
    messages.success(
        request,
        _("Imported %(name)s: %(create)s created, %(update)s updated, %(unchanged)s unchanged.")
        % {"name": pending["name"], **counts},
    )
    return redirect("admin:import")


def admin_context(request) -> dict:
    """What every admin page's template expects (the site's header, the user's links…)."""
    return admin.site.each_context(request)


def _report_page(request, report: Report, kind: type[Importer], name: str, token: str):
    context = {
        **admin_context(request),
        "title": _("Import: check before applying"),
        "report": report,
        "counts": report.counts,
        "kind_label": kind.label,
        "file_name": name,
        "token": token,
    }
    return render(request, "admin/import/preview.html", context)


def _template(request, kinds):
    kind = kinds.get(request.GET["template"])
    if kind is None:
        raise Http404
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(template_xlsx(kind), content_type=XLSX_TYPE)
        extension = "xlsx"
    else:
        response = HttpResponse(template_csv(kind), content_type="text/csv; charset=utf-8")
        extension = "csv"
    response["Content-Disposition"] = f'attachment; filename="import-{kind.code}.{extension}"'
    return response


# Uploads waiting between the dry run and the apply -------------------------------------------


def _store(request, data: bytes, code: str, name: str) -> str:
    directory = upload_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    _purge(directory)
    token = secrets.token_hex(16)
    fd = os.open(directory / token, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {"kind": code, "name": name[:200], "sha256": hashlib.sha256(data).hexdigest()}
    while len(pending) > MAX_PENDING:
        oldest = next(iter(pending))
        _remove(oldest)
        del pending[oldest]
    request.session[SESSION_KEY] = pending
    return token


def _load(token: str, pending: dict | None, kinds: dict) -> bytes | None:
    """The stored upload, if the token is this session's, its kind one the user may import,
    and the file still as uploaded."""
    if pending is None or not TOKEN.fullmatch(token) or pending.get("kind") not in kinds:
        return None
    try:
        data = (upload_dir() / token).read_bytes()
    except OSError:
        return None
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), pending["sha256"]):
        return None
    return data


def _discard(request, token: str) -> None:
    pending = request.session.get(SESSION_KEY, {})
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    _remove(token)


def _remove(token: str) -> None:
    if TOKEN.fullmatch(token):
        (upload_dir() / token).unlink(missing_ok=True)


def _purge(directory: Path) -> None:
    """Delete uploads older than a day (dry runs that were never applied)."""
    cutoff = time.time() - PENDING_SECONDS
    for path in directory.iterdir():
        try:
            if TOKEN.fullmatch(path.name) and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue  # removed meanwhile by another request
