"""What every API ViewSet of the tracker shares: reads for all, writes with model permissions."""

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import renderers, status, viewsets
from rest_framework.response import Response

from .views import (
    FORMAT_PARAMETER,
    GEO_FORMAT_PARAMETER,
    READ_ERRORS,
    WRITE_ERRORS,
    CSVRenderer,
    GeoJSONRenderer,
    ListFormatsMixin,
)

CONFLICT = OpenApiResponse(description="Other records still refer to this one.")


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
            update=extend_schema(request=write, responses={200: read, **WRITE_ERRORS}),
            partial_update=extend_schema(request=write, responses={200: read, **WRITE_ERRORS}),
            destroy=extend_schema(responses={204: None, **WRITE_ERRORS, 409: CONFLICT}),
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
        return Response(self.read(instance), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        return Response(self.read(instance))

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        changed = getattr(self, "_retrieved", None)
        if changed is not None:
            # With the ETag, lets a client ask If-Modified-Since and get 304 Not Modified.
            response["Last-Modified"] = http_date(changed.timestamp())
        return response

    def get_object(self):
        record = super().get_object()
        self._retrieved = getattr(record, "updated_at", None)
        return record

    def destroy(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                return super().destroy(request, *args, **kwargs)
        except (ProtectedError, RestrictedError) as error:
            names = sorted({str(obj) for obj in error.protected_objects})[:5]
            return Response(
                {
                    "detail": _("Other records still refer to this one: %(names)s.")
                    % {"names": ", ".join(names)}
                },
                status=status.HTTP_409_CONFLICT,
            )

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
