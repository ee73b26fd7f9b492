import datetime

import factory

from gates.models import Gate, GateEvent, TradeRecord
from tests.core.factories import DistrictFactory, SourceFactory


class GateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gate

    is_published = True

    code = factory.Sequence(lambda n: f"gate-{n}")
    slug = factory.Sequence(lambda n: f"gate-{n}")
    name = factory.Sequence(lambda n: f"Cửa khẩu {n}")
    kind = Gate.Kind.MAIN
    district = factory.SubFactory(DistrictFactory)
    counterpart_name = "Long Bang"


class GateEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GateEvent

    gate = factory.SubFactory(GateFactory)
    date = datetime.date(2023, 12, 28)
    kind = GateEvent.Kind.UPGRADED_INTERNATIONAL
    title = "Nâng cấp"
    source = factory.SubFactory(SourceFactory)


class TradeRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TradeRecord

    gate = factory.SubFactory(GateFactory)
    period_start = datetime.date(2018, 1, 1)
    period_end = datetime.date(2018, 1, 31)
    exports = 3_270_000
    imports = 5_600_000
    currency = "USD"
    source = factory.SubFactory(SourceFactory)
