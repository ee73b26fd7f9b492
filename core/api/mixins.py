"""What every API ViewSet of the tracker shares: reads for all, writes with model permissions."""

from drf_spectacular.utils import extend_schema, extend_schema_view
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
            destroy=extend_schema(responses={204: None, **WRITE_ERRORS}),
        )
    return extend_schema_view(**actions)


class RecordViewSet(ListFormatsMixin, viewsets.ModelViewSet):
    """Public reads; staff writes through the write serializer (and so through the services);
    the answer to a write is the record as read."""

    lookup_field = "slug"
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

    def read(self, instance):
        fresh = self.get_queryset().get(pk=instance.pk)
        prepare = self.prepare_rows()
        if prepare:
            prepare([fresh])
        serializer_class = self.detail_serializer_class or self.read_serializer_class
        return serializer_class(fresh, context=self.get_serializer_context()).data


class ReadOnlyRecordViewSet(ListFormatsMixin, viewsets.ReadOnlyModelViewSet):
    renderer_classes = [renderers.JSONRenderer, CSVRenderer]


class GeoRecordViewSet(RecordViewSet):
    renderer_classes = [renderers.JSONRenderer, CSVRenderer, GeoJSONRenderer]
