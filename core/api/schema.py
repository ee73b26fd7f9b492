"""The OpenAPI schema: its generator (reading needs no credentials), the answers and
parameters every list and write documents, and ``documented`` for a ViewSet's actions."""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.permissions import SAFE_METHODS


class AutoSchema(BaseAutoSchema):
    def get_auth(self):
        # DjangoModelPermissionsOrAnonReadOnly lets anyone read: say so in the schema.
        auth = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auth:
            auth.append({})
        return auth


FEATURE_COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "geometry": {
                        "type": "object",
                        "properties": {
                            "type": {"type": "string", "enum": ["Point"]},
                            "coordinates": {
                                "type": "array",
                                "items": {"type": "number"},
                                "minItems": 2,
                                "maxItems": 2,
                            },
                        },
                    },
                    "properties": {"type": "object"},
                },
            },
        },
    },
}


def document_formats(result, generator, request, public):
    """drf-spectacular gives every media type of a list the paginated JSON shape; set the CSV and
    GeoJSON answers to what they are (a CSV text, a FeatureCollection)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for answer in operation.get("responses", {}).values():
                content = answer.get("content", {})
                if "text/csv" in content:
                    content["text/csv"] = {"schema": {"type": "string"}}
                if "application/geo+json" in content:
                    content["application/geo+json"] = {"schema": FEATURE_COLLECTION}
    return result


READ_ERRORS = {
    400: OpenApiResponse(description="A filter, ordering or page parameter is not valid."),
    404: OpenApiResponse(description="No such record, or a page past the end."),
    406: OpenApiResponse(description="The format asked for is not offered here."),
    429: OpenApiResponse(description="Too many requests; see the Retry-After header."),
}
# A whole download (?format=csv, OC4IDS) waits for one of the site's download slots.
DOWNLOADS_BUSY = {
    503: OpenApiResponse(
        description="A download (?format=csv) found no free download slot: too many are being "
        "made at once. Nothing was sent; retry after the Retry-After header's seconds."
    ),
}
WRITE_ERRORS = {
    400: OpenApiResponse(
        description="The body is not valid (messages per field), or is larger than 2.5 MB."
    ),
    401: OpenApiResponse(description="No or wrong credentials."),
    403: OpenApiResponse(description="The user may not do this."),
    404: OpenApiResponse(description="No such record."),
    413: OpenApiResponse(description="The body is larger than the limit (2.5 MB)."),
    415: OpenApiResponse(description="The body is not JSON."),
    429: OpenApiResponse(description="Too many requests; see the Retry-After header."),
}
FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description="json (default) or csv: the whole filtered list, streamed.",
)

GEO_FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv", "geojson"],
    description=(
        "json (default), csv (the whole filtered list, streamed) or geojson (its rows with "
        "coordinates)."
    ),
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


def documented(read, write=None, *, geojson=False):
    """The OpenAPI description of a ViewSet's actions, every status code included."""
    parameters = [GEO_FORMAT_PARAMETER if geojson else FORMAT_PARAMETER]
    actions = {
        "list": extend_schema(
            parameters=parameters,
            responses={200: read(many=True), **READ_ERRORS, **DOWNLOADS_BUSY},
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
