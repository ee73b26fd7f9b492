import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (Vietnamese), as each request does: a request
    the test client made to /en/… in an earlier test leaves English active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a result an earlier test kept (the dashboard…)
    belongs to data its transaction rolled back."""
    cache.clear()


@pytest.fixture
def demo_data(db):
    """The sourced Cao Bằng demo data, loaded as `make run` loads it."""
    call_command("load_demo_data", verbosity=0)


@pytest.fixture
def staff_client(client, django_user_model):
    """A client logged in as a superuser (the admin's staff)."""
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-123456")
    client.force_login(user)
    return client


def role_member(django_user_model, role: str, username: str | None = None):
    """A staff user in one of the roles' groups (viewer, editor, manager)."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username or role, password="pw-123456", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(role_member(django_user_model, "editor"))
    return client


@pytest.fixture
def manager_client(client, django_user_model):
    client.force_login(role_member(django_user_model, "manager"))
    return client


@pytest.fixture
def without_history(settings):
    """For tests that make thousands of rows only to count a page's queries: the history of
    those rows is not what they test, and writing it would make them ten times slower."""
    settings.SIMPLE_HISTORY_ENABLED = False
