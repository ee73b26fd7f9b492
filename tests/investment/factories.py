import factory

from investment.models import Investment, Investor


class InvestorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Investor

    is_published = True

    name = factory.Sequence(lambda n: f"Công ty {n}")
    slug = factory.Sequence(lambda n: f"investor-{n}")
    kind = Investor.Kind.FOREIGN_COMPANY
    country = "CN"


class InvestmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Investment
        skip_postgeneration_save = True

    is_published = True

    code = factory.Sequence(lambda n: f"investment-{n}")
    slug = factory.Sequence(lambda n: f"investment-{n}")
    name = factory.Sequence(lambda n: f"Dự án FDI {n}")
    kind = Investment.Kind.FDI
    capital = 21_675_000
    currency = "USD"

    @factory.post_generation
    def investors(self, create, extracted, **kwargs):
        if create:
            self.investors.set(extracted or [InvestorFactory()])
