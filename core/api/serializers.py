"""Serializer building blocks: nested references, and writes that go through the services."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from core.exceptions import RecordError
from core.models import Citation, ReportedFigure, Source
from core.services import record_update


def slug_ref(model, *, many: bool = False, required: bool = False):
    """A related record written by its slug (``"gate": "tra-linh"``)."""
    if many:
        return serializers.SlugRelatedField(
            slug_field="slug", queryset=model.objects.all(), many=True, required=required
        )
    return serializers.SlugRelatedField(
        slug_field="slug", queryset=model.objects.all(), required=required, allow_null=True
    )


class PageUrlMixin(serializers.Serializer):
    """``page_url``: the record's page on the public site; null for a draft (which staff read
    in the API), since the public site has no page for it."""

    page_url = serializers.SerializerMethodField()

    def get_page_url(self, record) -> str | None:
        if not getattr(record, "is_published", True):
            return None
        request = self.context.get("request")
        url = record.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class RefSerializer(serializers.Serializer):
    """A related record, embedded as its slug and name (so no second call is needed)."""

    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


@extend_schema_field({"type": "string", "format": "iri"})
class IRIField(serializers.CharField):
    """An address that may hold characters beyond ASCII, as written
    (``https://infosekolah.net/vi/Cửa_khẩu_Trà_Lĩnh``): an IRI, not a URI (RFC 3987)."""


class SourceSerializer(serializers.ModelSerializer):
    # Sources are cited as published: their addresses are IRIs ("format: uri" would make
    # clients that validate it refuse a Vietnamese address).
    url = IRIField(read_only=True)

    class Meta:
        model = Source
        fields = ["code", "kind", "title", "publisher", "author", "url", "published_on", "language"]


class CitationSerializer(serializers.ModelSerializer):
    source = SourceSerializer(read_only=True)

    class Meta:
        model = Citation
        fields = ["source", "quote", "quote_en", "note", "note_en"]


class ReportedFigureSerializer(serializers.ModelSerializer):
    source = SourceSerializer(read_only=True)
    subject_type = serializers.SerializerMethodField()

    class Meta:
        model = ReportedFigure
        fields = [
            "id",
            "code",
            "metric",
            "label",
            "label_en",
            "qualifier",
            "value",
            "unit",
            "currency",
            "period_start",
            "period_end",
            "as_of",
            "as_of_precision",
            "source",
            "quote",
            "quote_en",
            "note",
            "note_en",
            "subject_type",
            "subject_id",
        ]

    def get_subject_type(self, figure) -> str | None:
        return figure.subject_type.model if figure.subject_type_id else None


def contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(contains_nul(item) for item in value)
    if isinstance(value, dict):
        return any(contains_nul(item) for item in value.values())
    return False


class ServiceModelSerializer(serializers.ModelSerializer):
    """A write serializer: unknown fields are refused, and the record is validated and saved by
    a service (``full_clean()`` as in the admin), whose errors come back per field (400)."""

    # (This docstring is in the OpenAPI schema.) The service is ``Meta.service``, the record's
    # write service (``core.services.record_update`` by default); a refusal by the role rules
    # answers 403, any other 400 with the messages per field.

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("This field is not known.")] for name in unknown}
                )
            # PostgreSQL cannot hold a NUL character anywhere (a slug looked up included).
            with_nul = sorted(name for name, value in data.items() if contains_nul(value))
            if with_nul:
                raise serializers.ValidationError(
                    {name: [_("Null characters are not allowed.")] for name in with_nul}
                )
        return super().to_internal_value(data)

    def create(self, validated_data):
        return self._write(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        return self._write(instance, validated_data)

    def _write(self, instance, validated_data):
        request = self.context.get("request")
        service = getattr(self.Meta, "service", record_update)
        try:
            service(instance, data=validated_data, user=request.user if request else None)
        except RecordError as error:
            if error.forbidden:
                raise PermissionDenied(" ".join(error.messages)) from None
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
        return instance
