"""Each CSV download has a Frictionless Data Package beside it (export.datapackage.json) that
frictionless itself validates the download against: types, titles, units and booleans."""

import datetime
import json
from decimal import Decimal

import pytest
from frictionless import Package, validate

pytestmark = pytest.mark.django_db

LISTS = ["/projects/", "/gates/", "/trade/", "/investors/", "/investments/"]


def package_with_download(client, tmp_path, path, params=None):
    """The list's Data Package and its CSV, saved side by side; the resource read locally."""
    response = client.get(f"{path}export.datapackage.json", params or {})
    assert response.status_code == 200
    package = response.json()
    [resource] = package["resources"]
    assert resource["path"].startswith(f"http://testserver{path}export.csv")
    csv = client.get(resource["path"].removeprefix("http://testserver"))
    (tmp_path / "data.csv").write_bytes(b"".join(csv.streaming_content))
    resource["path"] = "data.csv"
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    return descriptor


@pytest.mark.parametrize("path", LISTS)
def test_frictionless_finds_no_error_in_any_download(client, demo_data, tmp_path, path):
    descriptor = package_with_download(client, tmp_path, path)
    report = validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_types_units_and_filters_are_those_of_the_download(client, demo_data, tmp_path):
    descriptor = package_with_download(client, tmp_path, "/projects/", {"status": "under_way"})
    package = Package(str(descriptor))
    resource = package.resources[0]
    fields = {field.name: field for field in resource.schema.fields}
    assert fields["Dữ liệu tổng hợp (thử nghiệm)"].type == "boolean"
    assert fields["Tổng mức đầu tư"].type == "number"
    assert "Đơn vị tiền tệ" in fields["Tổng mức đầu tư"].description  # the column it names
    assert fields["Ngày phê duyệt"].type == "date"
    assert fields["Cập nhật lần cuối"].type == "datetime"
    rows = resource.read_rows()
    assert rows and {row["Trạng thái"] for row in rows} == {"Đang thực hiện"}
    first = rows[0]
    assert first["Dữ liệu tổng hợp (thử nghiệm)"] is False  # not 0
    assert isinstance(first["Tổng mức đầu tư"], Decimal | type(None))
    assert isinstance(first["Cập nhật lần cuối"], datetime.datetime)
    assert package.licenses[0]["path"] == "https://creativecommons.org/licenses/by/4.0/"


def test_an_invalid_filter_gets_its_message_and_no_package(client, db):
    response = client.get("/projects/export.datapackage.json", {"status": "nowhere"})
    assert response.status_code == 400
    assert "status" in response.json()["errors"]
