import pytest
from django.core.management import call_command


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
