"""Production safety through the test client: who the client is behind proxies, the API throttle
and the token lockout, the admin's sign-in lockout, security headers, request ids and logs."""

import io
import json
import logging

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from core.logs import JSONFormatter
from tests.conftest import role_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def throttled(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "5/minute", "user": None})


def test_a_claimed_forwarded_for_does_not_escape_the_throttle(throttled):
    api = APIClient()
    codes = [
        api.get("/api/v1/gates/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(40)
    ]
    assert codes == [200] * 5 + [429] * 35


def test_many_distinct_clients_do_not_reset_a_throttled_one(throttled):
    api = APIClient()
    assert [api.get("/api/v1/gates/").status_code for _ in range(6)][-1] == 429
    # 500 other addresses, each with its own count, then the throttled one again.
    for n in range(500):
        api.get("/api/v1/gates/", REMOTE_ADDR=f"10.{n // 250}.{n % 250}.1")
    assert api.get("/api/v1/gates/").status_code == 429


def test_behind_one_trusted_proxy_the_client_is_the_address_it_saw(settings, throttled):
    settings.TRACKER_TRUSTED_PROXIES = 1
    api = APIClient()
    # What the client claimed comes first; nginx appends (here: replaces with) what it saw.
    seen = [
        api.get("/api/v1/gates/", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 198.51.100.7").status_code
        for n in range(6)
    ]
    assert seen == [200] * 5 + [429]
    other = api.get("/api/v1/gates/", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 200


def test_forwarded_proto_is_ignored_without_a_trusted_proxy(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.TRACKER_TRUSTED_PROXIES = 0
    response = Client().get("/gates/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_https_from_a_trusted_proxy_gets_hsts(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.TRACKER_TRUSTED_PROXIES = 1
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = Client().get(
        "/gates/", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_wrong_api_tokens_lock_the_address_out(django_user_model, settings):
    settings.TRACKER_TOKEN_FAILURE_LIMIT = 10
    key = Token.objects.create(user=role_member(django_user_model, "viewer")).key
    guesser = APIClient()
    codes = []
    for n in range(12):
        guesser.credentials(HTTP_AUTHORIZATION=f"Token {n:040x}")
        codes.append(guesser.get("/api/v1/gates/").status_code)
    assert codes == [401] * 9 + [429] * 3
    # The right token does not help from a locked-out address…
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    locked = guesser.get("/api/v1/gates/")
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    # Reading without a token goes on from there.
    assert APIClient().get("/api/v1/gates/").status_code == 200
    # …while another address is not affected.
    other = APIClient(REMOTE_ADDR="192.0.2.44")
    other.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert other.get("/api/v1/gates/").status_code == 200


def sign_in(client: Client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_the_admin_sign_in_locks_after_ten_failures_per_account(django_user_model):
    role_member(django_user_model, "editor", "hoa")
    client = Client()
    for n in range(10):
        response = sign_in(client, "hoa", "wrong", address=f"198.51.100.{n}")
        assert response.status_code in (200, 429)
    # The right password, from yet another address: the account is locked.
    response = sign_in(client, "hoa", "pw-123456", address="192.0.2.1")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Đăng nhập bị khoá" in page
    assert "15 phút" in page
    assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_locks_after_ten_failures_per_address(django_user_model):
    role_member(django_user_model, "editor", "hoa")
    client = Client()
    for n in range(10):
        sign_in(client, f"someone-{n}", "wrong", address="203.0.113.9")
    assert sign_in(client, "hoa", "pw-123456", address="203.0.113.9").status_code == 429
    # The account itself is fine from elsewhere.
    assert sign_in(Client(), "hoa", "pw-123456", address="192.0.2.1").status_code == 302


def test_a_manager_lifts_a_lock_in_the_admin(django_user_model):
    role_member(django_user_model, "editor", "hoa")
    for _ in range(10):
        sign_in(Client(), "hoa", "wrong")
    assert sign_in(Client(), "hoa", "pw-123456").status_code == 429
    manager = Client()
    manager.force_login(role_member(django_user_model, "manager", "lan"))
    listing = manager.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    for attempt in AccessAttempt.objects.all():
        url = f"/admin/axes/accessattempt/{attempt.pk}/delete/"
        assert manager.post(url, {"post": "yes"}).status_code == 302
    assert sign_in(Client(), "hoa", "pw-123456").status_code == 302


def test_every_answer_has_a_request_id_and_security_headers(staff_client):
    for url in ("/", "/admin/", "/api/v1/gates/", "/api/v1/docs/", "/healthz"):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert len(response["X-Request-ID"]) == 32
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy
        assert "frame-ancestors 'none'" in policy
    # The API documentation starts Swagger UI from a file, not an inline script.
    docs = staff_client.get("/api/v1/docs/").content.decode()
    assert "<script>" not in docs.replace(" ", "")


def test_head_answers_carry_no_body(client):
    response = client.head("/gates/")
    assert response.status_code == 200
    assert response.content == b""


def test_health_names_what_it_checked(client):
    response = client.get("/healthz")
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_log_lines_are_json_and_never_carry_secrets(django_user_model):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JSONFormatter())
    logger = logging.getLogger("tracker.request")
    logger.addHandler(handler)
    try:
        user = role_member(django_user_model, "viewer", "minh")
        key = Token.objects.create(user=user).key
        client = Client()
        sign_in(client, "minh", "pw-123456")
        client.get("/admin/")
        APIClient().get(f"/api/v1/gates/?token={key}&search=tra", HTTP_AUTHORIZATION=f"Token {key}")
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["path"].split("?")[0] for line in lines] == [
        "/admin/login/",
        "/admin/",
        "/api/v1/gates/",
    ]
    assert lines[0]["status"] == 302
    assert lines[1]["user_id"] == user.pk
    assert lines[2]["path"] == "/api/v1/gates/?token=[hidden]&search=tra"
    assert all(len(line["request_id"]) == 32 for line in lines)
    text = stream.getvalue()
    for secret in ("pw-123456", key, client.cookies["sessionid"].value):
        assert secret not in text


def test_signed_in_users_have_their_own_rate_and_anonymous_clients_only_theirs(
    monkeypatch, django_user_model
):
    from rest_framework.throttling import SimpleRateThrottle

    from tests.helpers import token_client

    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "6/minute", "user": "3/minute"}
    )
    user = django_user_model.objects.create_user("reader", password="pw-123456")
    signed_in = token_client(user)
    assert [signed_in.get("/api/v1/gates/").status_code for _ in range(4)] == [200] * 3 + [429]
    # Anonymous clients are counted at their own rate only, not the signed-in users' as well.
    anonymous = APIClient()
    codes = [anonymous.get("/api/v1/gates/").status_code for _ in range(7)]
    assert codes == [200] * 6 + [429]
