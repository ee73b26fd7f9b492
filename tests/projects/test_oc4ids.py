"""The OC4IDS export validates against the OC4IDS 0.9.5 schema and codelists, offline.

libcoveoc4ids (the official validator) fetches the schema by URL; here it gets the copy in
../shared/oc4ids/0.9.5, served on loopback for the duration of the tests, with no network.
"""

import datetime
import functools
import http.server
import json
import threading
from pathlib import Path

import pytest
from django.conf import settings
from libcoveoc4ids.api import oc4ids_json_output
from libcoveoc4ids.config import LibCoveOC4IDSConfig

from core.models import District
from projects.models import ProgressReport, Project
from tests.projects.factories import AgencyFactory, ProjectFactory, YearlyAllocationFactory

SHARED_DIR = Path(settings.BASE_DIR).parent / "shared" / "oc4ids" / "0.9.5"
COPY_DIR = Path(__file__).resolve().parent.parent / "data" / "oc4ids-0.9.5"
SCHEMA_DIR = SHARED_DIR if SHARED_DIR.exists() else COPY_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema_host():
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SCHEMA_DIR))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def validate(package: dict, host: str, tmp_path) -> dict:
    config = LibCoveOC4IDSConfig(
        {"schema_host": host, "schema_codelists": {"0.9": f"{host}codelists/"}}
    )
    return oc4ids_json_output(str(tmp_path), json_data=package, lib_cove_oc4ids_config=config)


def package(client, query="") -> dict:
    response = client.get(f"/api/v1/oc4ids/{query}")
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def test_the_package_of_the_demo_projects_has_no_validation_problem(
    client, demo_data, schema_host, tmp_path
):
    project = Project.objects.get(code="cao-toc-dong-dang-tra-linh")
    project.owner = AgencyFactory()
    project.funding_source = "central_budget"
    project.save()
    YearlyAllocationFactory(project=project, year=2024, allocated=10**12, disbursed=4 * 10**11)
    ProgressReport.objects.create(
        project=project, date=datetime.date(2024, 6, 30), status="under_way", progress_percent=40
    )
    # Every kind of funder, and a project known only by its district.
    for n, source in enumerate(["oda", "ppp", "private", "mixed", "not_stated"]):
        ProjectFactory(code=f"funded-{n}", funding_source=source, district=District.objects.first())
    data = package(client)
    assert len(data["projects"]) == Project.objects.count()
    result = validate(data, schema_host, tmp_path)
    problems = {
        key: result.get(key)
        for key in (
            "validation_errors",
            "additional_closed_codelist_values",
            "additional_open_codelist_values",
            "conformance_checks",
            "additional_checks",
        )
        if result.get(key)
    }
    assert problems == {}


def test_a_project_is_mapped_to_oc4ids(client, db):
    owner = AgencyFactory(name="Ban Quản lý Khu kinh tế")
    project = ProjectFactory(
        code="cau-moi",
        status="in_operation",
        category="bridge",
        project_type="construction",
        funding_source="provincial_budget",
        owner=owner,
        total_investment=150_000_000_000,
        currency="VND",
        latitude=22.8,
        longitude=106.5,
    )
    YearlyAllocationFactory(project=project, year=2021, allocated=100, disbursed=40)
    [release] = package(client)["projects"]
    assert release["id"] == f"{settings.TRACKER_OC4IDS_PREFIX}cau-moi"
    assert release["status"] == "completion"
    assert release["type"] == "construction"
    assert release["sector"] == ["transport", "transport.road"]
    assert release["budget"]["amount"] == {"amount": 150_000_000_000, "currency": "VND"}
    breakdown = release["budget"]["budgetBreakdowns"][0]["budgetBreakdown"]
    assert breakdown[0]["amount"] == {"amount": 100, "currency": "VND"}
    assert release["transactions"][0]["value"] == {"amount": 40, "currency": "VND"}
    assert release["locations"][0]["geometry"] == {"type": "Point", "coordinates": [106.5, 22.8]}
    roles = {party["name"]: party["roles"] for party in release["parties"]}
    assert roles["Ban Quản lý Khu kinh tế"] == ["publicAuthority"]
    assert release["publicAuthority"]["name"] == "Ban Quản lý Khu kinh tế"
    assert ["funder"] in roles.values()


def test_addresses_funders_and_reports(client, db):
    district = District.objects.create(name="Thạch An", slug="thach-an", province="Cao Bằng")
    project = ProjectFactory(code="oda", funding_source="oda", district=district)
    report = ProgressReport.objects.create(
        project=project, date=datetime.date(2024, 6, 30), status="under_way"
    )
    ProjectFactory(code="unknown", funding_source="not_stated")
    releases = {r["id"]: r for r in package(client)["projects"]}
    oda = releases[f"{settings.TRACKER_OC4IDS_PREFIX}oda"]
    # No position recorded: the address alone.
    assert oda["locations"] == [
        {
            "id": "1",
            "address": {"locality": "Thạch An", "region": "Cao Bằng", "countryName": "Viet Nam"},
        }
    ]
    assert [p["id"] for p in oda["parties"] if "funder" in p["roles"]] == ["oda-donors"]
    [document] = [d for d in oda["documents"] if d.get("documentType")]
    assert document == {
        "id": f"report-{report.pk}",
        "documentType": "physicalProgressReport",
        "title": "Progress report of 2024-06-30",
        "url": f"http://testserver/projects/{project.slug}/#report-{report.pk}",
        "datePublished": "2024-06-30T00:00:00+07:00",
        "language": "vi",
    }
    unknown = releases[f"{settings.TRACKER_OC4IDS_PREFIX}unknown"]
    assert "parties" not in unknown  # no funder is invented
    assert "locations" not in unknown


def test_the_export_takes_the_project_filters(client, db):
    ProjectFactory(code="a", status="under_way")
    ProjectFactory(code="b", status="cancelled")
    ids = [p["id"] for p in package(client, "?status=under_way")["projects"]]
    assert ids == [f"{settings.TRACKER_OC4IDS_PREFIX}a"]
    assert client.get("/api/v1/oc4ids/?status=exploded").status_code == 400


def test_the_copy_of_the_schema_is_the_shared_one():
    files = sorted(p.relative_to(COPY_DIR) for p in COPY_DIR.rglob("*") if p.is_file())
    assert {"project-schema.json", "project-package-schema.json"} <= {str(f) for f in files}
    if SHARED_DIR.exists():
        shared = sorted(p.relative_to(SHARED_DIR) for p in SHARED_DIR.rglob("*") if p.is_file())
        assert files == shared
        assert all((COPY_DIR / f).read_bytes() == (SHARED_DIR / f).read_bytes() for f in files)


def test_transactions_are_the_disbursements_made_and_never_dated_in_the_future(client, db):
    import datetime

    from django.utils import timezone

    this_year = timezone.localdate().year
    project = ProjectFactory(code="c")
    YearlyAllocationFactory(project=project, year=this_year - 2, allocated=100, disbursed=40)
    YearlyAllocationFactory(project=project, year=this_year - 1, allocated=100, disbursed=0)
    YearlyAllocationFactory(project=project, year=this_year, allocated=100, disbursed=10)
    YearlyAllocationFactory(project=project, year=this_year + 1, allocated=100, disbursed=0)
    [release] = package(client)["projects"]
    dated = {t["id"]: t["date"] for t in release["transactions"]}
    assert set(dated) == {f"{this_year - 2}-disbursed", f"{this_year}-disbursed"}
    assert dated[f"{this_year - 2}-disbursed"] == f"{this_year - 2}-12-31T23:59:59+07:00"
    now = timezone.localtime()
    for date in dated.values():
        assert datetime.datetime.fromisoformat(date) <= now
    # Planned years stay in the budget's breakdown.
    breakdown = release["budget"]["budgetBreakdowns"][0]["budgetBreakdown"]
    assert [b["id"] for b in breakdown] == [
        str(year) for year in range(this_year - 2, this_year + 2)
    ]
    assert release["language"] == "vi"
    updated = datetime.datetime.fromisoformat(release["updated"])
    assert updated.utcoffset() == datetime.timedelta(hours=7)
    project.refresh_from_db()
    assert updated == project.updated_at.replace(microsecond=0)


def test_the_package_names_its_licence_and_publication_policy(client, db, settings):
    ProjectFactory()
    data = package(client)
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["publicationPolicy"] == "http://testserver/api/v1/docs/"
    settings.TRACKER_DATA_LICENSE = "https://opendatacommons.org/licenses/by/1-0/"
    settings.TRACKER_PUBLICATION_POLICY = "https://example.org/policy"
    data = package(client)
    assert data["license"] == "https://opendatacommons.org/licenses/by/1-0/"
    assert data["publicationPolicy"] == "https://example.org/policy"
