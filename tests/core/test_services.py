"""The kernel's write: what changed, the role rules, the dry run, the history."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

from core.exceptions import RecordError
from core.services import differs, record_update
from gates.models import Gate
from tests.conftest import role_member
from tests.gates.factories import GateFactory
from tests.projects.factories import ProgrammeFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_differs_reads_values_as_the_field_does_and_relations_by_key():
    gates = [GateFactory(), GateFactory()]
    project = ProjectFactory(total_investment=100, gates=gates[:1])
    assert not differs(project, "total_investment", "100.00")
    assert differs(project, "total_investment", 101)
    assert not differs(project, "programme", project.programme)
    assert differs(project, "programme", ProgrammeFactory())
    assert not differs(project, "gates", gates[:1])
    assert differs(project, "gates", gates)
    # Everything differs on a record not saved yet.
    assert differs(type(project)(), "name", "")


def test_a_write_that_changes_nothing_writes_nothing():
    gate = GateFactory(name="Trà Lĩnh")
    before = (gate.history.count(), Gate.objects.get(pk=gate.pk).updated_at)
    assert record_update(gate, data={"name": "Trà Lĩnh"}) == {}
    assert (gate.history.count(), Gate.objects.get(pk=gate.pk).updated_at) == before


def test_a_write_names_its_user_in_the_history_outside_a_request(django_user_model):
    manager = role_member(django_user_model, "manager")
    gate = GateFactory(name="A")
    assert record_update(gate, data={"name": "B"}, user=manager) == {"name": "B"}
    assert gate.history.latest().history_user == manager


def test_a_dry_run_decides_as_the_write_and_writes_nothing():
    gate = GateFactory(name="A")
    assert record_update(gate, data={"name": "B"}, save=False) == {"name": "B"}
    assert Gate.objects.get(pk=gate.pk).name == "A"
    with pytest.raises(RecordError) as caught:
        record_update(gate, data={"latitude": 95}, save=False)
    assert "latitude" in caught.value.message_dict
    assert not caught.value.forbidden


def test_publishing_is_for_those_who_may_publish(django_user_model):
    gate = GateFactory(is_published=False)
    editor = role_member(django_user_model, "editor")
    with pytest.raises(RecordError) as caught:
        record_update(gate, data={"is_published": True}, user=editor)
    assert caught.value.forbidden
    assert caught.value.message_dict == {
        "is_published": ["Only a manager can publish a record or withdraw it."]
    }
    record_update(gate, data={"is_published": True}, user=role_member(django_user_model, "manager"))
    assert Gate.objects.get(pk=gate.pk).is_published


def test_an_editor_changes_only_the_editor_fields(django_user_model):
    """Editors may change projects, not add them: only where a project stands."""
    from projects.services import project_update

    project = ProjectFactory(name="A", status="under_way")
    editor = role_member(django_user_model, "editor")
    with pytest.raises(RecordError) as caught:
        project_update(project, data={"name": "B", "progress_percent": 40}, user=editor)
    assert caught.value.forbidden
    assert "not name" in " ".join(caught.value.messages)
    project_update(project, data={"progress_percent": 40}, user=editor)
    project.refresh_from_db()
    assert (project.name, project.progress_percent) == ("A", 40)


def test_a_right_other_than_change_writes_whole_records(django_user_model):
    """Whoever holds another right to write (a manager's import permission alone) is not an
    editor: the editor's limit is for those who may change records but not add them."""
    from projects.services import project_update

    importer = django_user_model.objects.create_user("i", is_staff=True)
    importer.user_permissions.add(
        Permission.objects.get(codename="import_records", content_type__app_label="projects")
    )
    project = ProjectFactory(name="A")
    assert project_update(project, data={"name": "B"}, user=importer) == {"name": "B"}


def test_a_write_and_the_dashboard_work_with_the_cache_unreachable(client, settings):
    """Nothing is kept then: the write is saved and the dashboard computed afresh."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    gate = GateFactory(name="A")
    assert record_update(gate, data={"name": "B"}) == {"name": "B"}
    assert Gate.objects.get(pk=gate.pk).name == "B"
    assert client.get("/en/").status_code == 200
