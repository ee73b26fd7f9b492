"""Serializer building blocks: nested references, and writes that go through the services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from core.models import Citation, ReportedFigure, Source
from core.services import differs, record_save, set_many


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


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["code", "kind", "title", "publisher", "author", "url", "published_on", "language"]


class CitationSerializer(serializers.ModelSerializer):
    source = SourceSerializer(read_only=True)

    class Meta:
        model = Citation
        fields = ["source", "quote", "note"]


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
            "note",
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

    many_to_many: tuple[str, ...] = ()

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

    def may(self, action: str) -> bool:
        """Whether the request's user has the model's permission ``action`` (``"publish"``…)."""
        request = self.context.get("request")
        opts = self.Meta.model._meta
        codename = action if "_" in action else f"{action}_{opts.model_name}"
        return bool(request) and request.user.has_perm(f"{opts.app_label}.{codename}")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.instance
        if "is_published" in attrs and not self.may("publish"):
            current = instance.is_published if instance is not None else False
            if attrs["is_published"] != current:
                raise PermissionDenied(_("Only a manager can publish a record or withdraw it."))
        editor_fields = getattr(self.Meta, "editor_fields", None)
        if editor_fields is not None and instance is not None and not self.may("add"):
            changed = sorted(
                name
                for name, value in attrs.items()
                if name not in editor_fields and self._changes(instance, name, value)
            )
            if changed:
                raise PermissionDenied(
                    _("Your role may change only %(allowed)s here, not %(changed)s.")
                    % {"allowed": ", ".join(editor_fields), "changed": ", ".join(changed)}
                )
        return attrs

    def _changes(self, instance, name, value) -> bool:
        if name in self.many_to_many:
            return {obj.pk for obj in value} != set(
                getattr(instance, name).values_list("pk", flat=True)
            )
        return differs(instance, name, value)

    def create(self, validated_data):
        return self._write(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        return self._write(instance, validated_data)

    def _write(self, instance, validated_data):
        related = {
            name: validated_data.pop(name) for name in self.many_to_many if name in validated_data
        }
        for name, value in validated_data.items():
            setattr(instance, name, value)
        try:
            with transaction.atomic():
                self.save_record(instance, related)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
        return instance

    def save_record(self, instance, related: dict) -> None:
        """Save through the services; override where a domain service exists."""
        record_save(instance=instance)
        for name, objects in related.items():
            set_many(instance=instance, field=name, objects=list(objects))
