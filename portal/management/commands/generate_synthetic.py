"""Generate synthetic projects, gates, investors and investments for load tests.

Every row it writes has ``is_synthetic=True``, a code starting with ``syn-`` and a name starting
with ``[SYN]``, and cites one synthetic source, so it can always be told apart from (and removed
without touching) the real, sourced data. The same ``--seed`` gives the same rows.
"""

import random
import time
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone

from core.cache import bump_data_version
from core.models import District, ReportedFigure, Source
from core.text import fold
from gates.models import EconomicZone, Gate, GateEvent, TradeRecord
from investment.models import Investment, Investor, Sector
from projects.models import Agency, Programme, Project, ProjectEvent, YearlyAllocation

PREFIX = "[SYN]"
BATCH = 5000
MAX_PROJECTS = 5_000_000
# Roughly Cao Bằng's bounding box.
LAT_RANGE = (22.30, 23.10)
LON_RANGE = (105.30, 106.90)

# Children before parents, so deleting in this order never trips a PROTECT.
SYNTHETIC_MODELS = [
    ReportedFigure,
    YearlyAllocation,
    ProjectEvent,
    Investment,
    Investor,
    Sector,
    Project,
    Programme,
    Agency,
    TradeRecord,
    GateEvent,
    Gate,
    EconomicZone,
    District,
    Source,
]


def delete_synthetic() -> int:
    """Remove every synthetic row, and nothing else."""
    deleted = 0
    with transaction.atomic():
        Project.gates.through.objects.filter(project__is_synthetic=True).delete()
        Investment.investors.through.objects.filter(investment__is_synthetic=True).delete()
        Investment.sectors.through.objects.filter(investment__is_synthetic=True).delete()
        # Self-references are PROTECT: detach them before deleting.
        Gate.objects.filter(is_synthetic=True).update(parent=None)
        for model in SYNTHETIC_MODELS:
            count, _ = model.objects.filter(is_synthetic=True).delete()
            deleted += count
    return deleted


class RowWriter:
    """Writes rows of one table straight from tuples: ``bulk_create`` without model instances.

    At 100,000 projects ``bulk_create`` spent most of its time building half a million model
    instances and preparing their values one by one. Here the caller gives the values of
    ``fields`` ready for the database (numbers, Decimals, dates, strings; both drivers adapt
    them), every other column takes its field's default (prepared once), and primary keys are
    assigned here so that children can refer to their parents without reading them back. The
    sequences are reset afterwards (``reset_sequences``). Nothing here sends signals or writes
    history, as with ``bulk_create``.
    """

    def __init__(self, model, fields: list[str]):
        meta = model._meta
        self.model = model
        given = [meta.get_field(name) for name in fields]
        names = {field.attname for field in given}
        now = timezone.now()
        rest, defaults = [], []
        for field in meta.concrete_fields:
            if field.primary_key or field.attname in names:
                continue
            auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            rest.append(field)
            defaults.append(
                field.get_db_prep_save(now if auto else field.get_default(), connection)
            )
        self.defaults = tuple(defaults)
        columns = [meta.pk, *given, *rest]
        quote = connection.ops.quote_name
        table = quote(meta.db_table)
        names = ", ".join(quote(field.column) for field in columns)
        self.copy = f"COPY {table} ({names}) FROM STDIN"
        # Table and column names from the model's own meta, quoted: no outside input.
        places = ", ".join(["%s"] * len(columns))
        self.sql = f"INSERT INTO {table} ({names}) VALUES ({places})"  # noqa: S608
        self.next_id = (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
        self.rows: list[tuple] = []

    def add(self, *values) -> int:
        """Queue a row (the values of ``fields``, in order) and return its primary key."""
        pk = self.next_id
        self.next_id += 1
        self.rows.append((pk, *values, *self.defaults))
        return pk

    def flush(self) -> None:
        if not self.rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY: a statement per row cost PostgreSQL four fifths of the time.
                with cursor.cursor.copy(self.copy) as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, self.rows)
        self.rows = []


def reset_sequences(models) -> None:
    """After rows written with their own primary keys, new rows continue after the largest."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class Generator:
    def __init__(self, *, projects: int, seed: int, stdout):
        self.n = projects
        self.rng = random.Random(seed)
        self.seed = seed
        self.stdout = stdout

    # -- helpers ------------------------------------------------------------------------------
    def money(self, low: int, high: int) -> Decimal:
        """A whole number of millions between ``low`` and ``high`` million."""
        return Decimal(self.rng.randint(low, high)) * 1_000_000

    def day(self, start: date, span_days: int) -> date:
        return start + timedelta(days=self.rng.randint(0, span_days))

    def point(self):
        if self.rng.random() < 0.2:
            return None, None, False
        lat = Decimal(f"{self.rng.uniform(*LAT_RANGE):.6f}")
        lon = Decimal(f"{self.rng.uniform(*LON_RANGE):.6f}")
        return lat, lon, self.rng.random() < 0.3

    def bulk(self, model, objects):
        for obj in objects:
            if hasattr(obj, "build_search_text"):
                obj.search_text = obj.build_search_text()
        return model.objects.bulk_create(objects, batch_size=BATCH)

    # -- generation ---------------------------------------------------------------------------
    def run(self) -> dict[str, int]:
        rng = self.rng
        counts: dict[str, int] = {}
        self.source = Source.objects.create(
            code=f"synthetic-seed-{self.seed}",
            kind=Source.Kind.DATASET,
            title=f"{PREFIX} Synthetic data, generate_synthetic --seed {self.seed}",
            note="Not real data. Made for load tests.",
            is_synthetic=True,
        )
        n_districts = 12
        n_gates = max(10, self.n // 100)
        n_programmes = max(2, self.n // 5000)
        n_agencies = max(5, self.n // 2000)
        n_investors = max(5, self.n // 50)
        n_investments = max(5, self.n // 10)
        n_sectors = 8

        districts = self.bulk(
            District,
            [
                District(
                    name=f"{PREFIX} Huyện {i:02d}",
                    slug=f"syn-district-{i:02d}",
                    province=f"{PREFIX} Tỉnh",
                    is_synthetic=True,
                )
                for i in range(1, n_districts + 1)
            ],
        )
        zone = EconomicZone.objects.create(
            name=f"{PREFIX} Khu kinh tế cửa khẩu", slug="syn-zone", is_synthetic=True
        )
        gates = []
        kinds = [k for k, _ in Gate.Kind.choices]
        statuses = [s for s, _ in Gate.Status.choices]
        for i in range(1, n_gates + 1):
            lat, lon, approx = self.point()
            gates.append(
                Gate(
                    code=f"syn-gate-{i:06d}",
                    slug=f"syn-gate-{i:06d}",
                    name=f"{PREFIX} Cửa khẩu {i:06d}",
                    kind=rng.choice(kinds),
                    status=rng.choice(statuses),
                    province=f"{PREFIX} Tỉnh",
                    district=rng.choice(districts),
                    counterpart_name=f"{PREFIX} Counterpart {i:06d}",
                    counterpart_country="CN",
                    economic_zone=zone if rng.random() < 0.5 else None,
                    latitude=lat,
                    longitude=lon,
                    location_approximate=approx,
                    is_published=True,
                    is_synthetic=True,
                )
            )
        gates = self.bulk(Gate, gates)
        counts["gates"] = len(gates)
        self.bulk(
            GateEvent,
            [
                GateEvent(
                    gate=gate,
                    date=self.day(date(2000, 1, 1), 9000),
                    kind=GateEvent.Kind.OPENED,
                    title=f"{PREFIX} Opened",
                    source=self.source,
                    is_synthetic=True,
                )
                for gate in gates
            ],
        )
        self.bulk(
            TradeRecord,
            [
                TradeRecord(
                    gate=gate,
                    period_start=date(year, 1, 1),
                    period_end=date(year, 12, 31),
                    exports=self.money(1, 500),
                    imports=self.money(1, 500),
                    currency="USD",
                    source=self.source,
                    is_synthetic=True,
                )
                for gate in gates[: max(1, len(gates) // 2)]
                for year in (2022, 2023, 2024)
            ],
        )
        agencies = self.bulk(
            Agency,
            [
                Agency(
                    name=f"{PREFIX} Cơ quan {i:05d}", slug=f"syn-agency-{i:05d}", is_synthetic=True
                )
                for i in range(1, n_agencies + 1)
            ],
        )
        programmes = self.bulk(
            Programme,
            [
                Programme(
                    code=f"syn-programme-{i:05d}",
                    slug=f"syn-programme-{i:05d}",
                    name=f"{PREFIX} Chương trình {i:05d}",
                    kind=Programme.Kind.MEDIUM_TERM_PLAN,
                    start_year=2016 + 5 * (i % 3),
                    end_year=2020 + 5 * (i % 3),
                    allocated_capital=self.money(10_000, 900_000),
                    is_synthetic=True,
                )
                for i in range(1, n_programmes + 1)
            ],
        )
        counts["projects"], counts["allocations"] = self.projects(
            gates, agencies, programmes, districts
        )
        sectors = self.bulk(
            Sector,
            [
                Sector(name=f"{PREFIX} Lĩnh vực {i}", slug=f"syn-sector-{i}", is_synthetic=True)
                for i in range(1, n_sectors + 1)
            ],
        )
        investors = self.bulk(
            Investor,
            [
                Investor(
                    name=f"{PREFIX} Nhà đầu tư {i:06d}",
                    slug=f"syn-investor-{i:06d}",
                    kind=rng.choice([k for k, _ in Investor.Kind.choices]),
                    country=rng.choice(["CN", "JP", "KR", "AU", "VN", "SG", ""]),
                    is_published=True,
                    is_synthetic=True,
                )
                for i in range(1, n_investors + 1)
            ],
        )
        counts["investors"] = len(investors)
        counts["investments"] = self.investments(
            n_investments, investors, sectors, districts, gates
        )
        return counts

    def projects(self, gates, agencies, programmes, districts) -> tuple[int, int]:
        rng = self.rng
        categories = [c for c, _ in Project.Category.choices]
        types = [t for t, _ in Project.Type.choices] + [""]
        statuses = [s for s, _ in Project.Status.choices]
        funding = [f for f, _ in Project.FundingSource.choices]
        projects = RowWriter(
            Project,
            [
                *("code", "slug", "name", "programme", "category", "project_type", "status"),
                *("funding_source", "owner", "district", "total_investment", "currency"),
                *("approval_date", "planned_start", "planned_end", "actual_start", "actual_end"),
                *("progress_percent", "latitude", "longitude", "location_approximate"),
                *("is_published", "is_synthetic", "search_text"),
            ],
        )
        links = RowWriter(Project.gates.through, ["project", "gate"])
        allocations = RowWriter(
            YearlyAllocation, ["project", "year", "allocated", "disbursed", "is_synthetic"]
        )
        # search_text as Project.build_search_text() makes it: code, name, owner's name.
        owners = [(agency.pk, fold(agency.name)) for agency in agencies]
        name = f"{PREFIX} Dự án hạ tầng cửa khẩu"
        folded_name = fold(name)
        programme_ids = [programme.pk for programme in programmes]
        district_ids = [district.pk for district in districts]
        gate_ids = [gate.pk for gate in gates]
        progress_of = {"proposed": 0, "approved": 0, "in_operation": 100, "cancelled": None}
        made = allocations_made = 0
        for i in range(1, self.n + 1):
            status = rng.choice(statuses)
            approval = self.day(date(2012, 1, 1), 4700)
            planned_start = approval + timedelta(days=rng.randint(30, 400))
            planned_end = planned_start + timedelta(days=rng.randint(180, 1800))
            started = status in ("under_way", "in_operation", "suspended")
            actual_start = planned_start + timedelta(days=rng.randint(0, 200)) if started else None
            actual_end = (
                actual_start + timedelta(days=rng.randint(180, 2000))
                if status == "in_operation"
                else None
            )
            progress = progress_of[status] if status in progress_of else rng.randint(1, 99)
            lat, lon, approx = self.point()
            owner_id, owner_text = rng.choice(owners)
            code = f"syn-{i:07d}"
            pk = projects.add(
                code,
                code,
                f"{name} {i:07d}",
                rng.choice(programme_ids) if rng.random() < 0.7 else None,
                rng.choice(categories),
                rng.choice(types),
                status,
                rng.choice(funding),
                owner_id,
                rng.choice(district_ids),
                self.money(500, 2_000_000),
                "VND",
                approval,
                planned_start,
                planned_end,
                actual_start,
                actual_end,
                progress,
                lat,
                lon,
                approx,
                True,
                True,
                f"{code} {folded_name} {i:07d} {owner_text}",
            )
            for gate_id in rng.sample(gate_ids, k=min(len(gate_ids), rng.randint(0, 2))):
                links.add(pk, gate_id)
            for year in range(planned_start.year, planned_start.year + rng.randint(0, 5)):
                allocated = self.money(100, 200_000)
                disbursed = (allocated * Decimal(rng.randint(0, 100)) / 100).quantize(Decimal("1"))
                allocations.add(pk, year, allocated, disbursed, True)
                allocations_made += 1
            made += 1
            if made % BATCH == 0 or made == self.n:
                # Parents before their children.
                projects.flush()
                links.flush()
                allocations.flush()
            if made % 100_000 == 0:
                self.stdout.write(f"  {made:,} projects")
        reset_sequences([Project, Project.gates.through, YearlyAllocation])
        return made, allocations_made

    def investments(self, count, investors, sectors, districts, gates) -> int:
        rng = self.rng
        kinds = [k for k, _ in Investment.Kind.choices]
        statuses = [s for s, _ in Investment.Status.choices]
        investments = RowWriter(
            Investment,
            [
                *("code", "slug", "name", "kind", "capital", "currency", "date", "district"),
                *("gate", "status", "is_published", "is_synthetic", "search_text"),
            ],
        )
        investor_links = RowWriter(Investment.investors.through, ["investment", "investor"])
        sector_links = RowWriter(Investment.sectors.through, ["investment", "sector"])
        # search_text as Investment.build_search_text() makes it: code and name.
        name = f"{PREFIX} Dự án đầu tư"
        folded_name = fold(name)
        investor_ids = [investor.pk for investor in investors]
        sector_ids = [sector.pk for sector in sectors]
        district_ids = [district.pk for district in districts]
        gate_ids = [gate.pk for gate in gates]
        for i in range(1, count + 1):
            kind = rng.choice(kinds)
            currency = "VND" if kind == "domestic" else rng.choice(["USD", "VND", "JPY"])
            code = f"syn-inv-{i:07d}"
            pk = investments.add(
                code,
                code,
                f"{name} {i:07d}",
                kind,
                self.money(1, 50_000),
                currency,
                self.day(date(2005, 1, 1), 7300),
                rng.choice(district_ids),
                rng.choice(gate_ids) if rng.random() < 0.3 else None,
                rng.choice(statuses),
                True,
                True,
                f"{code} {folded_name} {i:07d}",
            )
            for investor_id in rng.sample(
                investor_ids, k=min(len(investor_ids), rng.randint(1, 3))
            ):
                investor_links.add(pk, investor_id)
            for sector_id in rng.sample(sector_ids, k=rng.randint(1, 2)):
                sector_links.add(pk, sector_id)
            if i % BATCH == 0 or i == count:
                investments.flush()
                investor_links.flush()
                sector_links.flush()
        reset_sequences([Investment, Investment.investors.through, Investment.sectors.through])
        return count


class Command(BaseCommand):
    help = (
        "Replace the synthetic data with N synthetic projects (and gates, allocations, "
        "investors and investments in proportion), deterministic by --seed. Real data is "
        "never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, required=True, help="Number of projects.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--delete", action="store_true", help="Only delete the synthetic data.")

    def handle(self, *args, **options):
        if not getattr(settings, "TRACKER_ALLOW_SYNTHETIC", False):
            raise CommandError(
                "Synthetic data is disabled here (DJANGO_ALLOW_SYNTHETIC is off, as in production)."
            )
        count = options["projects"]
        if not 0 <= count <= MAX_PROJECTS:
            raise CommandError(f"--projects must be between 0 and {MAX_PROJECTS:,}.")
        began = time.monotonic()
        try:
            deleted = delete_synthetic()
        except ProtectedError as error:
            # Real records (a report, a citation…) made on synthetic ones: never deleted here.
            names = ", ".join(sorted({str(obj) for obj in error.protected_objects})[:5])
            raise CommandError(
                f"Synthetic data is referred to by real records ({names}); delete or move those "
                "first. Nothing was deleted."
            ) from None
        # Bulk writes send no signals: results kept in the cache are retired here.
        bump_data_version()
        if deleted:
            self.stdout.write(f"Deleted {deleted:,} synthetic rows.")
        if options["delete"]:
            return
        with transaction.atomic():
            counts = Generator(projects=count, seed=options["seed"], stdout=self.stdout).run()
        bump_data_version()
        if connection.vendor == "postgresql":
            # Fresh planner statistics: without them PostgreSQL plans the lists as if the tables
            # were empty (a page of under-way projects took 4 s instead of 0.1 s at 1M rows).
            # VACUUM marks the new rows visible to all, so that a page's ids are read from the
            # index alone (core.pagination) before autovacuum gets round to it. (VACUUM cannot
            # run inside a transaction: called inside one, ANALYZE only.)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        elapsed = time.monotonic() - began
        summary = ", ".join(f"{value:,} {name}" for name, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Synthetic data: {summary} in {elapsed:.1f} s."))
