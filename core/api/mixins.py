"""What every API ViewSet of the tracker shares: reads for all, writes with model permissions."""

import hashlib

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import renderers, status, viewsets
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from core.deletion import DependentsError, record_delete
from core.history import record_version, stale_message

from .views import (
    FORMAT_PARAMETER,
    GEO_FORMAT_PARAMETER,
    READ_ERRORS,
    WRITE_ERRORS,
    CSVRenderer,
    GeoJSONRenderer,
    ListFormatsMixin,
)

CONFLICT = OpenApiResponse(
    description="Other records depend on this one (`dependents`: kind, count, the first few "
    "by name): nothing was deleted. Delete or unlink them first, then delete the record. The "
    "API never deletes or unlinks anything with a record, not even its own parts or links."
)
PRECONDITION_ERRORS = {
    412: OpenApiResponse(
        description="The record changed since the ETag given in If-Match was read; the "
        "message says who changed what. Read it again and retry."
    ),
    428: OpenApiResponse(description="If-Match with the record's ETag is missing."),
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the record as last read (GET): a write over a newer version is "
    "refused (412), so no one's changes are silently lost.",
)


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale"


class PreconditionRequired(APIException):
    status_code = 428
    default_code = "if_match_required"


def documented(read, write=None, *, geojson=False):
    """The OpenAPI description of a ViewSet's actions, every status code included."""
    parameters = [GEO_FORMAT_PARAMETER if geojson else FORMAT_PARAMETER]
    actions = {
        "list": extend_schema(
            parameters=parameters, responses={200: read(many=True), **READ_ERRORS}
        ),
        "retrieve": extend_schema(responses={200: read, **READ_ERRORS}),
    }
    if write is not None:
        actions.update(
            create=extend_schema(request=write, responses={201: read, **WRITE_ERRORS}),
            update=extend_schema(
                request=write,
                parameters=[IF_MATCH],
                responses={200: read, **WRITE_ERRORS, **PRECONDITION_ERRORS},
            ),
            partial_update=extend_schema(
                request=write,
                parameters=[IF_MATCH],
                responses={200: read, **WRITE_ERRORS, **PRECONDITION_ERRORS},
            ),
            destroy=extend_schema(
                description="Deletes the record only when nothing depends on it: no other record "
                "refers to it (events, yearly allocations, trade…), no citation or reported figure "
                "is about it, no record is linked to it and it links to none. Otherwise 409 lists "
                "them and nothing changes: delete or unlink each of them first (unlinking is a "
                "PATCH, recorded in the record's history), then delete the record. There is no "
                "option to delete them with it.",
                parameters=[IF_MATCH],
                responses={204: None, **WRITE_ERRORS, 409: CONFLICT, **PRECONDITION_ERRORS},
            ),
        )
    return extend_schema_view(**actions)


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

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
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
