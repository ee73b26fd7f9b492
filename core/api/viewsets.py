"""The API's base ViewSets: lists in JSON, CSV and GeoJSON, reads for all, writes with model
permissions through the write serializers (and so the services), If-Match on every write."""

import hashlib

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.http import http_date
from django.utils.translation import gettext as _
from rest_framework import renderers, status, viewsets
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from core import exports
from core.cache import kept_answer
from core.deletion import DependentsError, record_delete
from core.geojson import geojson_response
from core.history import record_version, stale_message

from .renderers import CSVRenderer, GeoJSONRenderer


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale"


class PreconditionRequired(APIException):
    status_code = 428
    default_code = "if_match_required"


class DownloadsBusy(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "downloads_busy"

    def __init__(self):
        super().__init__(
            _(
                "Many downloads are being made right now, and this one was not started. "
                "Try again in a minute."
            )
        )
        self.wait = exports.ExportsBusy.retry_after


class ListFormatsMixin:
    """``?format=csv`` streams the whole filtered list (in a download slot: 503 with Retry-After
    when none comes free); ``?format=geojson`` (where a
    ``get_geojson_properties`` method exists) a FeatureCollection of the rows with coordinates.

    ``spec``, the list's ``core.lists.ListSpec`` where it has one (the public lists), gives the
    rows (its selector, for the request's user), their FilterSet, their completion (``prepare``)
    and the map's properties, as on the list's page.

    A JSON list or record read by an anonymous client is kept until the data changes
    (``core.cache.kept_answer``), after the throttle has counted the request."""

    spec = None
    csv_exclude: tuple[str, ...] = ("search_text",)
    csv_filename = "data"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.spec is not None:
            cls.filterset_class = cls.spec.filterset
            cls.csv_filename = cls.spec.name

    def get_queryset(self):
        if self.spec is None:
            return super().get_queryset()
        return self.spec.selector(user=self.request.user)

    def get_geojson_properties(self):
        return self.spec.map_properties()

    def list(self, request, *args, **kwargs):
        fmt = getattr(request.accepted_renderer, "format", "json")
        if fmt == "csv":
            queryset = self.filter_queryset(self.get_queryset())
            columns, rows = exports.model_download(queryset, exclude=self.csv_exclude)
            try:
                return exports.csv_response(
                    queryset, columns, self.csv_filename, rows=rows, exact=True
                )
            except exports.ExportsBusy:
                raise DownloadsBusy() from None
        if fmt == "geojson":
            # Kept when sent whole (a small collection), as a JSON list is.
            return kept_answer(
                request,
                lambda: geojson_response(
                    request,
                    self.filter_queryset(self.get_queryset()),
                    self.get_geojson_properties(),
                ),
            )
        return kept_answer(
            request,
            lambda: self.rendered(super(ListFormatsMixin, self).list(request, *args, **kwargs)),
        )

    def finalize_response(self, request, response, *args, **kwargs):
        # An error is JSON, labelled so, whatever format the list was asked in: a client that
        # asked for CSV gets a body it can read as the error it is.
        if (
            isinstance(response, Response)
            and response.status_code >= 400
            and getattr(request, "accepted_renderer", None) is not None
            and request.accepted_renderer.format in ("csv", "geojson")
        ):
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = request.accepted_renderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return kept_answer(
            request, lambda: self.rendered(self.read_record(request, *args, **kwargs))
        )

    def read_record(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    def rendered(self, response):
        """``response`` rendered now, as DRF would render it after the view, to be kept."""
        response = self.finalize_response(self.request, response)
        response.render()
        return response

    def get_renderers(self):
        # Only a list is offered as CSV or GeoJSON; a record and every write answer JSON.
        if self.action == "list":
            return super().get_renderers()
        return [renderers.JSONRenderer()]

    def prepare_rows(self):
        return self.spec.prepare if self.spec is not None else None

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        prepare = self.prepare_rows()
        if page is not None and prepare:
            prepare(page)
        return page


class RecordViewSet(ListFormatsMixin, viewsets.ModelViewSet):
    """Public reads; staff writes through the write serializer (and so through the services);
    the answer to a write is the record as read."""

    lookup_field = "slug"
    # Only what a slug can be: anything else (a NUL byte…) is a 404 from the URL resolver, never
    # a database error.
    lookup_value_regex = r"[-\w]{1,220}"
    read_serializer_class = None
    detail_serializer_class = None
    write_serializer_class = None
    renderer_classes = [renderers.JSONRenderer, CSVRenderer]

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return self.write_serializer_class
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.read_serializer_class

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        data = self.read(instance)
        return Response(
            data, status=status.HTTP_201_CREATED, headers={"ETag": self.etag(instance, data)}
        )

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self.get_object()
            self.check_if_match(instance)
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            instance = serializer.save()
        data = self.read(instance)
        return Response(data, headers={"ETag": self.etag(instance, data)})

    def read_record(self, request, *args, **kwargs):
        response = super().read_record(request, *args, **kwargs)
        response["ETag"] = self.etag(self._record, response.data)
        changed = getattr(self, "_retrieved", None)
        if changed is not None:
            # With the ETag, lets a client ask If-Modified-Since and get 304 Not Modified.
            response["Last-Modified"] = http_date(changed.timestamp())
        return response

    @staticmethod
    def etag(instance, data) -> str:
        """The record's ETag: its version (see ``core.history``) and a digest of what a read
        shows, so it changes when the record or anything shown with it changes."""
        body = renderers.JSONRenderer().render(data)
        return f'"{record_version(instance)}-{hashlib.sha256(body).hexdigest()[:20]}"'

    def check_if_match(self, instance) -> None:
        """Refuse a write without ``If-Match`` (428) or over a newer version than the one the
        client read (412, naming who changed what). Locks the row until the write ends."""
        header = self.request.headers.get("If-Match", "").strip()
        if not header or header == "*":
            raise PreconditionRequired(
                _(
                    "Send If-Match with the record's ETag, as read with GET, so that no one's "
                    "changes are overwritten."
                )
            )
        type(instance)._default_manager.select_for_update().filter(pk=instance.pk).exists()
        current = self.etag(instance, self.read(instance))
        if current in (tag.strip() for tag in header.split(",")):
            return
        raise PreconditionFailed(
            {
                "detail": stale_message(instance, _version_in(header)),
                "etag": current,
            }
        )

    def get_object(self):
        record = super().get_object()
        prepare = self.prepare_rows()
        if prepare:
            prepare([record])
        self._record = record
        self._retrieved = getattr(record, "updated_at", None)
        return record

    def destroy(self, request, *args, **kwargs):
        """Delete the record, only if nothing depends on it (``core.deletion``): the client
        sees nothing before it deletes, so the record's own parts and links refuse it too."""
        try:
            with transaction.atomic():
                instance = self.get_object()
                self.check_if_match(instance)
                record_delete(instance=instance, user=request.user)
        except DependentsError as error:
            return Response(
                {
                    "detail": " ".join(error.messages),
                    "dependents": [dependent.as_dict() for dependent in error.dependents],
                },
                status=status.HTTP_409_CONFLICT,
            )
        except (ProtectedError, RestrictedError) as error:
            objects = getattr(error, "protected_objects", None) or error.restricted_objects
            names = sorted({str(obj) for obj in objects})[:5]
            return Response(
                {
                    "detail": _("Other records still refer to this one: %(names)s.")
                    % {"names": ", ".join(names)}
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(status=status.HTTP_204_NO_CONTENT)

    def read(self, instance):
        fresh = self.get_queryset().get(pk=instance.pk)
        prepare = self.prepare_rows()
        if prepare:
            prepare([fresh])
        serializer_class = self.detail_serializer_class or self.read_serializer_class
        return serializer_class(fresh, context=self.get_serializer_context()).data


class ReadOnlyRecordViewSet(ListFormatsMixin, viewsets.ReadOnlyModelViewSet):
    renderer_classes = [renderers.JSONRenderer, CSVRenderer]
    # Ids within PostgreSQL's bigint: a longer number is a 404, not a database error.
    lookup_value_regex = r"[0-9]{1,18}"


class GeoRecordViewSet(RecordViewSet):
    renderer_classes = [renderers.JSONRenderer, CSVRenderer, GeoJSONRenderer]


def _version_in(header: str) -> int | None:
    """The version an ``If-Match`` ETag was made from (None when it is not one of ours)."""
    first = header.split(",")[0].strip().removeprefix("W/").strip('"')
    number = first.split("-")[0]
    return int(number) if number.isdigit() and len(number) < 19 else None
