"""The API's JSON parser: a body nested too deep is a 400 with a message, never a 500 (Python's
json module recurses once per level), and nothing is written."""

import io

import pytest
from django.utils import translation
from rest_framework.exceptions import ParseError

from core.api.parsers import MAX_JSON_DEPTH, LimitedJSONParser, json_too_deep
from projects.models import Project
from tests.conftest import role_member
from tests.helpers import if_match, token_client
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

# In the API's language, Vietnamese (its addresses have no language prefix).
MESSAGE = "Nội dung JSON lồng nhau sâu quá 100 cấp."


def arrays(depth: int) -> str:
    return "[" * depth + "]" * depth


def objects(depth: int) -> str:
    return '{"a":' * (depth - 1) + "{}" + "}" * (depth - 1)


@pytest.fixture
def manager(django_user_model):
    return token_client(role_member(django_user_model, "manager"))


def send(client, method: str, body: str, **headers):
    url = "/api/v1/projects/" if method == "POST" else "/api/v1/projects/p/"
    if method == "PATCH":
        headers |= if_match(client, url)
    return client.generic(method, url, body, content_type="application/json", **headers)


@pytest.mark.parametrize("method", ["POST", "PATCH"])
@pytest.mark.parametrize(
    "body",
    [
        arrays(100_000),
        objects(100_000),
        '{"name": "X", "description": ' + arrays(100_000) + "}",
        arrays(MAX_JSON_DEPTH + 1),
        objects(MAX_JSON_DEPTH + 1),
        "[" * 100_000,  # never closed
    ],
    ids=["arrays", "objects", "in a field", "101 arrays", "101 objects", "unclosed"],
)
def test_a_body_nested_too_deep_is_a_400_and_changes_nothing(manager, method, body):
    project = ProjectFactory(slug="p", name="Before")
    before = list(Project.objects.values())
    response = send(manager, method, body)
    assert response.status_code == 400
    assert response.json() == {"detail": MESSAGE}
    assert list(Project.objects.values()) == before
    assert Project.objects.get(pk=project.pk).name == "Before"


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_body_nested_100_levels_deep_is_parsed(manager, method):
    """It reaches the serializer, which names the field it does not take."""
    ProjectFactory(slug="p", name="Before")
    body = '{"colour": ' + arrays(MAX_JSON_DEPTH - 1) + "}"
    response = send(manager, method, body)
    assert response.status_code == 400
    assert "colour" in response.json()
    assert Project.objects.get().name == "Before"


def test_a_valid_body_is_still_written(manager):
    ProjectFactory(slug="p", name="Before")
    response = send(manager, "PATCH", '{"name": "After [{[{"}')
    assert response.status_code == 200, response.json()
    assert Project.objects.get().name == "After [{[{"


@pytest.mark.parametrize("kind", [arrays, objects])
def test_the_parser_takes_100_levels_and_refuses_101(kind):
    parse = LimitedJSONParser().parse
    value = parse(io.BytesIO(kind(MAX_JSON_DEPTH).encode()))
    depth = 0
    while value:
        value = value[0] if isinstance(value, list) else value["a"]
        depth += 1
    assert depth == MAX_JSON_DEPTH - 1  # the innermost level is empty
    with translation.override("en"), pytest.raises(ParseError, match="more than 100 levels"):
        parse(io.BytesIO(kind(MAX_JSON_DEPTH + 1).encode()))


@pytest.mark.parametrize(
    ("text", "too_deep"),
    [
        ('["' + "[" * 500 + '"]', False),  # brackets in a string do not nest
        ('["\\"' + "{" * 500 + '"]', False),  # nor after an escaped quote
        ('["\\\\", ' + "[" * 101 + "]" * 101 + "]", True),  # an escaped backslash, then 102
        ("[" + "[], " * 5000 + "[]]", False),  # wide, not deep
        ("]" * 200 + "[" * 100, False),  # not JSON: json.loads says so
        ('"' + "[" * 200, False),  # an open string
    ],
)
def test_depth_is_found_without_recursion(text, too_deep):
    assert json_too_deep(text) is too_deep
