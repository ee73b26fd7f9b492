"""The OpenAPI schema generator, told that reading needs no credentials."""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
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
