"""A crawl of the whole site as every role: no page answers 5xx or shows a traceback, and a page
a role may not see answers 403 or sends to the login page. Run on both databases by CI.

Starting from ``/``, ``/en/`` and ``/admin/``, the crawl follows every same-site link (``<a href>``
in HTML, addresses in JSON, redirects), and adds what no link may lead to: every address of the
URLconf that takes no argument (the admin's custom pages too; the public ones in both languages),
and, for one record of every model registered in the admin, its change, history and
delete-confirmation page and each of its versions. A link the site shows that answers 404 or 400
is a failure too (a broken link).

To stay bounded at any number of rows:
- the query string is walked one level deep: a public or API page whose address carries at most
  one query parameter has its links followed, an admin page only without one (the admin's filter
  links combine every filter with every other); the links they give are fetched, not followed;
- at most ``PER_SIGNATURE`` addresses are fetched per path and set of parameter names (one past
  two parameters), so a filter is tried with two of its values, not all;
- the admin's pages of a record are followed for ``RECORDS_PER_MODEL`` records per model;
- the list's state the admin carries along (``_changelist_filters``, ``_facets``) is dropped;
- the English admin (the same views with the source strings) is crawled by the manager, who may
  see all of it, at most ``EN_ADMIN_PER_MODEL`` addresses a model (its list, its form, a record):
  the views are those of the Vietnamese admin, which every role crawls in full.
"""

import io
import json
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from PIL import Image
from rest_framework.authtoken.models import Token

from core.history import is_tracked
from investment.models import Investor, Sector
from projects.models import ProgressReport, Project, ReportPhoto, YearlyAllocation
from projects.services import report_post
from tests.investment.factories import InvestmentFactory
from tests.projects.factories import ProjectFactory

ROLES = ["anonymous", "viewer", "editor", "manager"]
STARTS = ["/", "/en/", "/admin/"]
PER_SIGNATURE = 2
RECORDS_PER_MODEL = 2
# Not Django pages: files served by the web server (WhiteNoise, nginx) in production.
SKIPPED_PREFIXES = ("/static/", "/media/")
HOST = "http://testserver"
ADMIN = re.compile(r"^(?:/en)?/admin/")
# The English admin is the same views with the source strings: crawled by the manager, who
# sees every page of it; the other roles crawl the Vietnamese admin.
EN_ADMIN = re.compile(r"^/en/admin/.")
EN_ADMIN_MODEL = re.compile(r"^/en/admin/(\w+/\w+)/")
EN_ADMIN_PER_MODEL = 4
ADMIN_RECORD = re.compile(r"^(?:/en)?/admin/(\w+)/(\w+)/([^/]+)/(?:change|history|delete)/")
TRACEBACK = b"Traceback (most recent call last)"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def json_links(value):
    """Every same-site address in a JSON document (the API's root, its ``next`` links…)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from json_links(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_links(item)
    elif isinstance(value, str) and value.startswith(HOST + "/"):
        yield value


def local(url: str, base: str) -> str | None:
    """``url`` (as found on ``base``) as a same-site path with its query, or None."""
    absolute = urljoin(HOST + base, url)
    parts = urlsplit(absolute)
    if f"{parts.scheme}://{parts.netloc}" != HOST or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIPPED_PREFIXES):
        return None
    # The admin carries the list's state along (filters kept on a record's page, facet counts):
    # the same page again.
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, True)
            if k not in ("_changelist_filters", "_facets")
        ]
    )
    return parts.path + (f"?{query}" if query else "")


def parameter_names(url: str) -> frozenset:
    return frozenset(name for name, _value in parse_qsl(urlsplit(url).query, True))


def plain_routes(patterns=None, prefix=""):
    """Every address of the URLconf that takes no argument (the admin's custom pages too)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from plain_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and not re.search(r"[<(\\^$]", route):
            yield "/" + route


def admin_record_pages() -> list[str]:
    """Change, history, versions and delete confirmation of one record of every admin model."""
    urls = []
    missing = [m._meta.label for m in admin.site._registry if not m._default_manager.exists()]
    assert not missing, f"the crawl's data has no {missing}"
    for model in admin.site._registry:
        obj = model._default_manager.order_by("pk").first()
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [
            reverse(f"{name}_change", args=[obj.pk]),
            reverse(f"{name}_history", args=[obj.pk]),
            reverse(f"{name}_delete", args=[obj.pk]),
        ]
        if is_tracked(model):
            for history_id in model.history.filter(pk=obj.pk).values_list("history_id", flat=True):
                urls.append(reverse(f"{name}_simple_history", args=[obj.pk, history_id]))
    return urls


@dataclass
class Crawl:
    client: Client
    role: str
    seen: set = field(default_factory=set)
    per_signature: dict = field(default_factory=dict)
    per_model: dict = field(default_factory=dict)
    per_en_model: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)
    queue: deque = field(default_factory=deque)

    def add(self, url: str, found_on: str | None) -> None:
        if url in self.seen:
            return
        if self.role != "manager" and EN_ADMIN.match(url):
            return
        en_model = EN_ADMIN_MODEL.match(url)
        if en_model:
            seen = self.per_en_model.get(en_model.group(1), 0)
            if seen >= EN_ADMIN_PER_MODEL:
                return
            self.per_en_model[en_model.group(1)] = seen + 1
        signature = (urlsplit(url).path, parameter_names(url))
        if self.per_signature.get(signature, 0) >= (PER_SIGNATURE if len(signature[1]) < 2 else 1):
            return
        record = ADMIN_RECORD.match(url)
        if record and found_on is not None:
            pks = self.per_model.setdefault(record.group(1, 2), set())
            if record.group(3) not in pks and len(pks) >= RECORDS_PER_MODEL:
                return
            pks.add(record.group(3))
        self.seen.add(url)
        self.per_signature[signature] = self.per_signature.get(signature, 0) + 1
        self.queue.append((url, found_on))

    def run(self) -> None:
        while self.queue:
            url, found_on = self.queue.popleft()
            self.visit(url, found_on)

    def fail(self, url, found_on, what) -> None:
        where = f" (linked from {found_on})" if found_on else ""
        self.failures.append(f"{self.role}: {url}{where}: {what}")

    def visit(self, url: str, found_on: str | None) -> None:
        response = self.client.get(url)
        try:
            body = b"".join(response.streaming_content) if response.streaming else response.content
        except Exception as error:  # a stream that breaks half way is a failure, not a crash
            self.fail(url, found_on, f"the stream broke: {error!r}")
            return
        status = response.status_code
        if status >= 500:
            exc = getattr(response, "exc_info", None)
            self.fail(url, found_on, f"{status} {exc[1]!r}" if exc else str(status))
            return
        if TRACEBACK in body:
            self.fail(url, found_on, f"{status} with a traceback")
            return
        if status in (301, 302, 303, 307, 308):
            target = local(response["Location"], url)
            if target is not None:
                self.add(target, url)
            return
        if status in (403, 405):  # forbidden to this role; or a page that only takes POST
            return
        if status != 200:
            # A link the site itself shows must lead somewhere (the added addresses may 404:
            # an argument-less API route can still need a query, a record may need a parent).
            if found_on is not None:
                self.fail(url, found_on, str(status))
            return
        if len(parameter_names(url)) > (0 if ADMIN.match(url) else 1):
            return
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html"):
            parser = Links()
            parser.feed(body.decode("utf-8", "replace"))
            links = parser.hrefs
        elif content_type.startswith("application/json"):
            links = list(json_links(json.loads(body)))
        else:
            return
        for href in links:
            target = local(href, url)
            if target is not None:
                self.add(target, url)


def png_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("site.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture(scope="module")
def crawl_data(django_db_setup, django_db_blocker):
    """The demo data, plus a record of every admin model the demo data has none of, a record
    with several versions, a deleted record and a draft: made once for the module's crawls
    (which only read), and flushed after them."""
    with django_db_blocker.unblock():
        call_command("load_demo_data", verbosity=0)
        users = crawl_records()
        yield users
        call_command("flush", interactive=False, verbosity=0)


def crawl_records() -> dict:
    users = {}
    for role in ROLES[1:]:
        user = get_user_model().objects.create_user(role, password="pw-123456", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        users[role] = user
    Token.objects.create(user=users["manager"])
    # A failed and a successful sign-in: the lockout's records (django-axes).
    sign_in = Client()
    sign_in.post("/admin/login/", {"username": "viewer", "password": "wrong"})
    sign_in.post("/admin/login/", {"username": "viewer", "password": "pw-123456"})
    project, draft = Project.objects.order_by("pk")[:2]
    report = report_post(
        ProgressReport(
            project=project,
            date=project.history.earliest("history_date").history_date.date(),
            status=project.status,
            progress_percent=project.progress_percent,
            narrative="<script>alert(1)</script> Đã đổ bê tông mặt cầu.",
        ),
        user=users["editor"],
    )
    ReportPhoto.objects.create(report=report, image=png_upload(), caption="Mặt cầu")
    YearlyAllocation.objects.create(
        project=project, year=2021, allocated=50_000_000_000, disbursed=20_000_000_000
    )
    sector = Sector.objects.create(name="Nông nghiệp", slug="nong-nghiep")
    investment = InvestmentFactory(investors=[Investor.objects.order_by("pk").first()])
    investment.sectors.add(sector)
    project.name += " (đã sửa)"
    project.save()
    draft.is_published = False
    draft.save()
    # A deleted record (for the deleted-records page and its restore).
    ProjectFactory(name="Dự án đã xoá").delete()
    return users


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_page_fails_for_any_role(crawl_data, role):
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(crawl_data[role])
    crawl = Crawl(client=client, role=role)
    for url in STARTS:
        crawl.add(url, None)
    with translation.override("vi"):
        routes = list(plain_routes())
    for route in routes:
        crawl.add(route, None)
        if not route.startswith(("/api/", "/i18n/", "/admin/")):
            crawl.add("/en" + route, None)
    for url in admin_record_pages():
        crawl.add(url, None)
    crawl.run()
    assert not crawl.failures, "\n".join(crawl.failures)
    # The crawl reached the whole site, not only its first page.
    assert len(crawl.seen) > 300, len(crawl.seen)
