import factory

from core.models import District, ReportedFigure, Source


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    code = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Bài báo {n}")
    url = "https://example.org/article"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"Huyện {n}")
    slug = factory.Sequence(lambda n: f"huyen-{n}")
    province = "Cao Bằng"


class ReportedFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportedFigure

    code = factory.Sequence(lambda n: f"figure-{n}")
    metric = ReportedFigure.Metric.PROJECT_COUNT
    label = "Dự án"
    value = 17
    unit = ReportedFigure.Unit.COUNT
    as_of = factory.Faker("date_object")
    source = factory.SubFactory(SourceFactory)
