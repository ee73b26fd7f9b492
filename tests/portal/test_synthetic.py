"""generate_synthetic: deterministic by seed, always marked synthetic, never touching real data."""

import pytest
from django.core.management import CommandError, call_command

from core.models import Source
from gates.models import Gate
from investment.models import Investment, Investor
from projects.models import Project, YearlyAllocation

FIELDS = [
    "code",
    "name",
    "status",
    "category",
    "total_investment",
    "approval_date",
    "planned_end",
    "progress_percent",
    "latitude",
    "longitude",
    "programme__code",
    "owner__slug",
    "district__slug",
]


def content():
    return {
        "projects": list(Project.objects.order_by("code").values_list(*FIELDS)),
        "gates": list(
            Project.gates.through.objects.order_by("project__code", "gate__code").values_list(
                "project__code", "gate__code"
            )
        ),
        "allocations": list(
            YearlyAllocation.objects.order_by("project__code", "year").values_list(
                "project__code", "year", "allocated", "disbursed"
            )
        ),
        "investments": list(
            Investment.objects.order_by("code").values_list(
                "code", "kind", "capital", "currency", "date"
            )
        ),
    }


@pytest.mark.django_db
def test_same_seed_gives_the_same_data():
    call_command("generate_synthetic", projects=300, seed=7, verbosity=0)
    first = content()
    call_command("generate_synthetic", projects=300, seed=7, verbosity=0)
    assert content() == first
    assert len(first["projects"]) == 300
    call_command("generate_synthetic", projects=300, seed=8, verbosity=0)
    assert content()["projects"] != first["projects"]


@pytest.mark.django_db
def test_everything_generated_is_marked_synthetic(demo_data):
    real_projects = set(Project.objects.values_list("pk", flat=True))
    call_command("generate_synthetic", projects=200, seed=1, verbosity=0)
    synthetic = Project.objects.filter(is_synthetic=True)
    assert synthetic.count() == 200
    assert all(p.code.startswith("syn-") and p.name.startswith("[SYN]") for p in synthetic)
    for model in (Gate, Investor, Investment, YearlyAllocation):
        assert model.objects.filter(is_synthetic=True).exists()
    for model in (Gate, Investor, Investment):
        names = model.objects.filter(is_synthetic=True).values_list("name", flat=True)
        assert all(name.startswith("[SYN]") for name in names)
    assert Source.objects.get(is_synthetic=True).title.startswith("[SYN]")
    # The real records are untouched and still not synthetic.
    assert set(Project.objects.filter(is_synthetic=False).values_list("pk", flat=True)) == (
        real_projects
    )


@pytest.mark.django_db
def test_delete_removes_only_synthetic_rows(demo_data):
    real = Project.objects.count(), Gate.objects.count()
    call_command("generate_synthetic", projects=100, seed=2, verbosity=0)
    call_command("generate_synthetic", projects=0, delete=True, verbosity=0)
    assert (Project.objects.count(), Gate.objects.count()) == real
    assert not Project.objects.filter(is_synthetic=True).exists()


@pytest.mark.django_db
def test_generated_rows_satisfy_every_invariant():
    call_command("generate_synthetic", projects=150, seed=4, verbosity=0)
    for project in Project.objects.all()[:150]:
        project.full_clean()
    for allocation in YearlyAllocation.objects.all()[:300]:
        allocation.full_clean()


@pytest.mark.django_db
def test_generated_rows_are_searchable():
    call_command("generate_synthetic", projects=20, seed=4, verbosity=0)
    assert Project.objects.filter(search_text__contains="du an ha tang").count() == 20


@pytest.mark.django_db
@pytest.mark.parametrize("count", [-1, 10_000_000])
def test_out_of_range_counts_are_refused(count):
    with pytest.raises(CommandError):
        call_command("generate_synthetic", projects=count, verbosity=0)
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_refused_where_synthetic_data_is_disabled(settings):
    settings.TRACKER_ALLOW_SYNTHETIC = False
    with pytest.raises(CommandError):
        call_command("generate_synthetic", projects=10, verbosity=0)
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_deleting_synthetic_data_never_takes_a_real_record_with_it(settings):
    from projects.models import ProgressReport

    settings.TRACKER_ALLOW_SYNTHETIC = True
    call_command("generate_synthetic", projects=5, verbosity=0)
    project = Project.objects.filter(is_synthetic=True).first()
    ProgressReport.objects.create(project=project, date="2025-01-01", status=project.status)
    with pytest.raises(CommandError, match="referred to by real records"):
        call_command("generate_synthetic", projects=0, delete=True, verbosity=0)
    assert Project.objects.filter(is_synthetic=True).count() == 5
    assert ProgressReport.objects.count() == 1
