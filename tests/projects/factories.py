import datetime

import factory

from projects.models import Agency, Programme, Project, YearlyAllocation


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Ban Quản lý {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"programme-{n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"Chương trình {n}")
    start_year = 2016
    end_year = 2020
    allocated_capital = 513_200_000_000


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    is_published = True

    code = factory.Sequence(lambda n: f"project-{n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    name = factory.Sequence(lambda n: f"Dự án {n}")
    category = Project.Category.ROAD
    status = Project.Status.UNDER_WAY
    total_investment = 150_000_000_000
    planned_start = datetime.date(2020, 1, 1)
    planned_end = datetime.date(2022, 12, 31)
    progress_percent = 40

    @factory.post_generation
    def gates(self, create, extracted, **kwargs):
        if create and extracted:
            self.gates.set(extracted)


class YearlyAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearlyAllocation

    project = factory.SubFactory(ProjectFactory)
    year = 2020
    allocated = 50_000_000_000
    disbursed = 20_000_000_000
