"""Load the sourced Cao Bằng demo data (portal/demo/cao_bang.toml). Idempotent."""

import tomllib
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.models import Citation, District, ReportedFigure, Source
from core.services import record_upsert, set_many
from gates.models import EconomicZone, Gate, GateEvent, TradeRecord
from investment.models import Investor
from projects.models import Agency, Programme, Project, ProjectEvent

DEMO_FILE = Path(__file__).resolve().parent.parent.parent / "demo" / "cao_bang.toml"


class Loader:
    """Writes the data file's records through ``record_upsert`` and counts what changed."""

    def __init__(self, data: dict):
        self.data = data
        self.province = data["province"]
        self.changed = 0
        self.seen = 0
        self.sources: dict[str, Source] = {}
        self.districts: dict[str, District] = {}
        self.zones: dict[str, EconomicZone] = {}
        self.gates: dict[str, Gate] = {}
        self.programmes: dict[str, Programme] = {}
        self.projects: dict[str, Project] = {}
        self.investors: dict[str, Investor] = {}

    def upsert(self, model, lookup, values):
        if any(field.name == "is_published" for field in model._meta.fields):
            # The demo's records come from published sources: they are public.
            values = {**values, "is_published": True}
        obj, changed = record_upsert(model=model, lookup=lookup, values=values)
        self.seen += 1
        self.changed += changed
        return obj

    def source(self, code: str) -> Source:
        try:
            return self.sources[code]
        except KeyError:
            raise CommandError(f"Unknown source code {code!r} in {DEMO_FILE.name}.") from None

    def cite(self, obj, citations: list[dict]) -> None:
        if not citations:
            raise CommandError(f"{obj!r} has no source in {DEMO_FILE.name}.")
        content_type = ContentType.objects.get_for_model(obj)
        for item in citations:
            self.upsert(
                Citation,
                {
                    "source": self.source(item["source"]),
                    "content_type": content_type,
                    "object_id": obj.pk,
                },
                {k: item.get(k, "") for k in ("quote", "quote_en", "note", "note_en")},
            )

    def load(self) -> None:
        for row in self.data["sources"]:
            values = {
                k: row.get(k, "")
                for k in ("kind", "title", "author", "publisher", "url", "language", "note")
            }
            values["published_on"] = row.get("published_on")
            self.sources[row["code"]] = self.upsert(Source, {"code": row["code"]}, values)

        for row in self.data["districts"]:
            self.districts[row["slug"]] = self.upsert(
                District, {"slug": row["slug"]}, {"name": row["name"], "province": self.province}
            )

        for row in self.data["agencies"]:
            self.upsert(
                Agency,
                {"slug": row["slug"]},
                {"name": row["name"], "name_en": row.get("name_en", ""), "level": row["level"]},
            )

        for row in self.data["economic_zones"]:
            zone = self.upsert(
                EconomicZone,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "name_en": row.get("name_en", ""),
                    "parent": self.zones[row["parent"]] if row.get("parent") else None,
                    "legal_reference": row.get("legal_reference", ""),
                    "area_ha": row.get("area_ha"),
                    "description": row.get("description", ""),
                    "description_en": row.get("description_en", ""),
                },
            )
            self.zones[row["slug"]] = zone
            self.cite(zone, row.get("sources", []))

        for row in self.data["gates"]:
            self.load_gate(row)

        for row in self.data["programmes"]:
            programme = self.upsert(
                Programme,
                {"code": row["code"]},
                {
                    "slug": row["code"],
                    "name": row["name"],
                    "name_en": row.get("name_en", ""),
                    "kind": row["kind"],
                    "legal_reference": row.get("legal_reference", ""),
                    "issued_by": row.get("issued_by", ""),
                    "issued_on": row.get("issued_on"),
                    "start_year": row.get("start_year"),
                    "end_year": row.get("end_year"),
                    "allocated_capital": row.get("allocated_capital"),
                    "currency": row.get("currency", "VND"),
                    "planned_project_count": row.get("planned_project_count"),
                    "description": row.get("description", ""),
                    "description_en": row.get("description_en", ""),
                },
            )
            self.programmes[row["code"]] = programme
            self.cite(programme, row.get("sources", []))

        for row in self.data["projects"]:
            self.load_project(row)

        for row in self.data["investors"]:
            investor = self.upsert(
                Investor,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "name_en": row.get("name_en", ""),
                    "kind": row["kind"],
                    "country": row.get("country", ""),
                    "description": row.get("description", ""),
                    "description_en": row.get("description_en", ""),
                },
            )
            self.investors[row["slug"]] = investor
            self.cite(investor, row.get("sources", []))

        for row in self.data["trade"]:
            self.upsert(
                TradeRecord,
                {
                    "gate": self.gates[row["gate"]] if row.get("gate") else None,
                    "period_start": row["period_start"],
                    "period_end": row["period_end"],
                    "source": self.source(row["source"]),
                },
                {
                    **{
                        k: row.get(k)
                        for k in ("exports", "imports", "turnover", "revenue_collected")
                    },
                    "currency": row.get("currency", "USD"),
                    "revenue_currency": row.get("revenue_currency", "VND"),
                    "note": row.get("note", ""),
                },
            )

        for row in self.data["figures"]:
            self.load_figure(row)

    def load_gate(self, row: dict) -> None:
        gate = self.upsert(
            Gate,
            {"code": row["code"]},
            {
                "slug": row["code"],
                "name": row["name"],
                "name_en": row.get("name_en", ""),
                "kind": row["kind"],
                "status": row["status"],
                "province": self.province,
                "district": self.districts.get(row.get("district")),
                "location_unconfirmed": row.get("location_unconfirmed", False),
                "counterpart_name": row.get("counterpart_name", ""),
                "counterpart_country": row.get("counterpart_country", "CN"),
                "counterpart_locality": row.get("counterpart_locality", ""),
                "parent": self.gates[row["parent"]] if row.get("parent") else None,
                "economic_zone": self.zones.get(row.get("economic_zone")),
                "latitude": row.get("latitude"),
                "longitude": row.get("longitude"),
                "location_approximate": row.get("location_approximate", False),
                "description": row.get("description", ""),
                "description_en": row.get("description_en", ""),
            },
        )
        self.gates[row["code"]] = gate
        self.cite(gate, row.get("sources", []))
        for event in row.get("events", []):
            self.upsert(
                GateEvent,
                {"gate": gate, "date": event["date"], "kind": event["kind"]},
                {
                    "date_precision": event.get("date_precision", "day"),
                    "title": event["title"],
                    "title_en": event.get("title_en", ""),
                    "legal_reference": event.get("legal_reference", ""),
                    "description": event.get("description", ""),
                    "description_en": event.get("description_en", ""),
                    "source": self.source(event["source"]),
                },
            )

    def load_project(self, row: dict) -> None:
        fields = ("name_en", "project_type", "funding_source", "description", "description_en")
        project = self.upsert(
            Project,
            {"code": row["code"]},
            {
                "slug": row["code"],
                "name": row["name"],
                "programme": self.programmes.get(row.get("programme")),
                "category": row["category"],
                "status": row["status"],
                "district": self.districts.get(row.get("district")),
                "currency": row.get("currency", "VND"),
                "location_approximate": row.get("location_approximate", False),
                **{k: row[k] for k in fields if k in row},
                **{
                    k: row.get(k)
                    for k in (
                        "total_investment",
                        "approval_date",
                        "planned_start",
                        "planned_end",
                        "actual_start",
                        "actual_end",
                        "progress_percent",
                        "length_km",
                        "latitude",
                        "longitude",
                    )
                },
            },
        )
        gates = [self.gates[code] for code in row.get("gates", [])]
        if set_many(instance=project, field="gates", objects=gates):
            self.changed += 1
        self.projects[row["code"]] = project
        self.cite(project, row.get("sources", []))
        for event in row.get("events", []):
            self.upsert(
                ProjectEvent,
                {"project": project, "date": event["date"], "kind": event["kind"]},
                {
                    "date_precision": event.get("date_precision", "day"),
                    "title": event["title"],
                    "title_en": event.get("title_en", ""),
                    "description": event.get("description", ""),
                    "description_en": event.get("description_en", ""),
                    "source": self.source(event["source"]),
                },
            )

    def load_figure(self, row: dict) -> None:
        subject = None
        if row.get("subject"):
            ((kind, key),) = row["subject"].items()
            subject = {
                "programme": self.programmes,
                "project": self.projects,
                "investor": self.investors,
            }[kind][key]
        self.upsert(
            ReportedFigure,
            {"code": row["code"]},
            {
                "metric": row["metric"],
                "label": row["label"],
                "label_en": row.get("label_en", ""),
                "qualifier": row.get("qualifier", "exact"),
                "value": row["value"],
                "unit": row["unit"],
                "currency": row.get("currency", ""),
                "period_start": row.get("period_start"),
                "period_end": row.get("period_end"),
                "as_of": row["as_of"],
                "as_of_precision": row.get("as_of_precision", "day"),
                "source": self.source(row["source"]),
                **{k: row.get(k, "") for k in ("quote", "quote_en", "note", "note_en")},
                "subject_type": ContentType.objects.get_for_model(subject) if subject else None,
                "subject_id": subject.pk if subject else None,
            },
        )


class Command(BaseCommand):
    help = "Load the sourced Cao Bằng demo data. Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEMO_FILE, help="TOML data file.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        loader = Loader(data)
        with transaction.atomic():
            loader.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {loader.seen} records checked, {loader.changed} writes."
            )
        )
