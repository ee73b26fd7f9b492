"""Investors and the FDI, ODA, aid and domestic investment projects they bring."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.codelists import COUNTRY_CHOICES, COUNTRY_CODES
from core.models import (
    District,
    PublishableMixin,
    PublishableQuerySet,
    SearchableModel,
    SyntheticMixin,
    check_non_negative,
    currency_constraint,
    currency_field,
    draft_index,
    money_field,
    non_negative,
)
from gates.models import Gate


class Sector(SearchableModel, SyntheticMixin, models.Model):
    """A sector an investment works in (agriculture, health, clean water, …)."""

    SEARCH_FIELDS = ("name", "name_en")

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Investor(SearchableModel, PublishableMixin, SyntheticMixin, models.Model):
    """A company, development partner, NGO or government that invests or gives aid."""

    class Kind(models.TextChoices):
        FOREIGN_COMPANY = "foreign_company", _("Foreign company")
        DOMESTIC_COMPANY = "domestic_company", _("Domestic company")
        DEVELOPMENT_PARTNER = "development_partner", _("Development partner")
        NGO = "ngo", _("Non-governmental organisation")
        GOVERNMENT = "government", _("Government")

    SEARCH_FIELDS = ("name", "name_en")

    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    country = models.CharField(
        _("country"),
        max_length=2,
        choices=COUNTRY_CHOICES,
        blank=True,
        help_text=_("Leave empty when the sources do not say."),
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    citations = GenericRelation("core.Citation")

    objects = PublishableQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("investor")
        verbose_name_plural = _("investors")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["kind", "name"], name="investor_kind_idx"),
            models.Index(fields=["country", "name"], name="investor_country_idx"),
            models.Index(fields=["name"], name="investor_name_idx"),
            draft_index("investor"),
        ]
        permissions = [("publish_investor", _("Can publish investors"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(country="") | Q(country__in=COUNTRY_CODES),
                name="investor_country_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("investment:investor-detail", args=[self.slug])


class InvestmentQuerySet(PublishableQuerySet):
    def with_list_related(self, user=None):
        return self.select_related("district", "gate").prefetch_related(
            models.Prefetch("investors", queryset=Investor.objects.visible_to(user)), "sectors"
        )


class Investment(SearchableModel, PublishableMixin, SyntheticMixin, models.Model):
    """An investment or aid project of one or several investors."""

    class Kind(models.TextChoices):
        FDI = "fdi", _("Foreign direct investment")
        ODA_LOAN = "oda_loan", _("ODA loan")
        ODA_GRANT = "oda_grant", _("ODA grant")
        NGO_AID = "ngo_aid", _("Non-governmental aid")
        DOMESTIC = "domestic", _("Domestic investment")

    class CapitalType(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        COMMITTED = "committed", _("Committed")
        DISBURSED = "disbursed", _("Disbursed")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        LICENSED = "licensed", _("Licensed or signed")
        NOT_IMPLEMENTED = "not_implemented", _("Not yet implemented")
        UNDER_WAY = "under_way", _("Under way")
        IN_OPERATION = "in_operation", _("In operation")
        COMPLETED = "completed", _("Completed")
        TERMINATED = "terminated", _("Terminated")

    SEARCH_FIELDS = ("code", "name", "name_en", "description", "description_en")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    name = models.CharField(_("name"), max_length=400)
    name_en = models.CharField(_("name in English"), max_length=400, blank=True)
    investors = models.ManyToManyField(
        Investor, verbose_name=_("investors"), related_name="investments"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    capital = money_field(_("capital"))
    currency = currency_field()
    capital_type = models.CharField(
        _("capital is"),
        max_length=16,
        choices=CapitalType.choices,
        default=CapitalType.REGISTERED,
    )
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Registration, licence or signature date.")
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="investments"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investments",
    )
    gate = models.ForeignKey(
        Gate,
        verbose_name=_("gate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investments",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.LICENSED
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    citations = GenericRelation("core.Citation")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = InvestmentQuerySet.as_manager()

    history = HistoricalRecords(
        excluded_fields=["search_text"], m2m_fields=["investors", "sectors"]
    )

    class Meta:
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["kind", "name"], name="investment_kind_idx"),
            models.Index(fields=["status", "name"], name="investment_status_idx"),
            models.Index(fields=["currency", "capital"], name="investment_capital_idx"),
            models.Index(fields=["date"], name="investment_date_idx"),
            models.Index(fields=["name"], name="investment_name_idx"),
            draft_index("investment"),
        ]
        permissions = [
            ("publish_investment", _("Can publish investment projects")),
            ("import_records", _("Can import spreadsheets of investment projects")),
        ]
        constraints = [
            *non_negative("investment", "capital"),
            currency_constraint("investment"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list] = {}
        check_non_negative(self, ["capital"], errors)
        if errors:
            raise ValidationError(errors)
