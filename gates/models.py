"""Border gates, openings and markets, their history and the trade that crosses them."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.codelists import COUNTRY_CHOICES, COUNTRY_CODES, CURRENCY_CHOICES
from core.models import (
    CoordinatesMixin,
    DatePrecision,
    District,
    PublishableMixin,
    PublishableQuerySet,
    SearchableModel,
    Source,
    SyntheticMixin,
    check_non_negative,
    check_period,
    coordinates_constraints,
    currency_constraint,
    draft_index,
    money_field,
    non_negative,
)


class EconomicZone(SearchableModel, SyntheticMixin, models.Model):
    """A border-gate economic zone, or one of its sub-zones."""

    SEARCH_FIELDS = ("name", "name_en", "legal_reference")

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_zones",
    )
    legal_reference = models.CharField(_("legal reference"), max_length=300, blank=True)
    area_ha = models.DecimalField(
        _("area (ha)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    citations = GenericRelation("core.Citation")

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("economic zone")
        verbose_name_plural = _("economic zones")
        ordering = ["name"]
        constraints = [
            *non_negative("economiczone", "area_ha"),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="economiczone_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("zones:zone-detail", args=[self.slug])

    def clean(self) -> None:
        errors: dict[str, list] = {}
        check_non_negative(self, ["area_ha"], errors)
        if self.pk and self.parent_id == self.pk:
            errors.setdefault("parent", []).append(_("A zone cannot be part of itself."))
        if errors:
            raise ValidationError(errors)


class GateQuerySet(PublishableQuerySet):
    def with_list_related(self):
        return self.select_related("district", "parent", "economic_zone")

    def with_public_openings(self, user=None):
        return self.prefetch_related(
            models.Prefetch(
                "openings", queryset=self.model.objects.visible_to(user).order_by("name")
            )
        )


class Gate(SearchableModel, CoordinatesMixin, PublishableMixin, SyntheticMixin, models.Model):
    """A border gate, border opening or border market on the Vietnamese side."""

    class Kind(models.TextChoices):
        INTERNATIONAL = "international", _("International border gate")
        MAIN = "main", _("Main (bilateral) border gate")
        SECONDARY = "secondary", _("Secondary border gate")
        OPENING = "opening", _("Border opening")
        MARKET = "market", _("Border market")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        NOT_IN_USE = "not_in_use", _("Not in use")
        CLOSED = "closed", _("Closed")

    SEARCH_FIELDS = (
        *("name", "name_en", "code", "counterpart_name", "counterpart_locality", "district_name"),
    )

    code = models.SlugField(_("code"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    province = models.CharField(_("province"), max_length=120, default="Cao Bằng")
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gates",
    )
    location_unconfirmed = models.BooleanField(
        _("location unconfirmed"),
        default=False,
        help_text=_("Tick when the sources do not confirm the district or position."),
    )
    counterpart_name = models.CharField(
        _("counterpart across the border"), max_length=200, blank=True
    )
    counterpart_country = models.CharField(
        _("counterpart country"), max_length=2, choices=COUNTRY_CHOICES, default="CN"
    )
    counterpart_locality = models.CharField(_("counterpart locality"), max_length=300, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("belongs to the gate pair"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="openings",
        help_text=_("For an opening or lane inside a gate pair: the main gate of the pair."),
    )
    economic_zone = models.ForeignKey(
        EconomicZone,
        verbose_name=_("economic zone"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gates",
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    citations = GenericRelation("core.Citation")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = GateQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("border gate")
        verbose_name_plural = _("border gates")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["kind", "name"], name="gate_kind_idx"),
            models.Index(fields=["status", "name"], name="gate_status_idx"),
            models.Index(fields=["name"], name="gate_name_idx"),
            draft_index("gate"),
        ]
        permissions = [("publish_gate", _("Can publish border gates"))]
        constraints = [
            *coordinates_constraints("gate"),
            models.CheckConstraint(
                condition=Q(counterpart_country__in=COUNTRY_CODES),
                name="gate_counterpart_country_valid",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="gate_not_own_pair"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("gates:gate-detail", args=[self.slug])

    @property
    def district_name(self) -> str:
        return self.district.name if self.district_id else ""

    def clean(self) -> None:
        errors: dict[str, list] = {}
        self.clean_coordinates(errors)
        if self.pk and self.parent_id == self.pk:
            errors.setdefault("parent", []).append(_("A gate cannot belong to itself."))
        if errors:
            raise ValidationError(errors)


class GateEvent(SyntheticMixin, models.Model):
    """A dated event in a gate's history: opened, upgrade proposed, upgraded, …"""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        AGREEMENT = "agreement", _("Agreement signed")
        UPGRADE_PROPOSED = "upgrade_proposed", _("Upgrade proposed")
        UPGRADE_PLANNED = "upgrade_planned", _("Upgrade planned")
        UPGRADED_MAIN = "upgraded_main", _("Recognised as a main gate")
        UPGRADED_INTERNATIONAL = "upgraded_international", _("Upgraded to international")
        FACILITY = "facility", _("Facility completed")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")
        OTHER = "other", _("Other")

    # Real data: a gate with events is not deleted (core.deletion); its events go first.
    gate = models.ForeignKey(
        Gate, verbose_name=_("gate"), on_delete=models.PROTECT, related_name="events"
    )
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("what happened"), max_length=300)
    title_en = models.CharField(_("what happened, in English"), max_length=300, blank=True)
    legal_reference = models.CharField(_("legal reference"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="gate_events"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gate event")
        verbose_name_plural = _("gate events")
        ordering = ["gate", "date", "pk"]
        indexes = [models.Index(fields=["date"], name="gateevent_date_idx")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


class TradeRecord(SyntheticMixin, models.Model):
    """Trade through one gate, or through the whole province when no gate is set, over a period."""

    gate = models.ForeignKey(
        Gate,
        verbose_name=_("gate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trade_records",
        help_text=_("Leave empty for the whole province."),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    exports = money_field(_("exports"))
    imports = money_field(_("imports"))
    turnover = money_field(_("import-export turnover"))
    currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCY_CHOICES, default="USD"
    )
    revenue_collected = money_field(_("revenue collected"))
    revenue_currency = models.CharField(
        _("currency of revenue"), max_length=3, choices=CURRENCY_CHOICES, default="VND"
    )
    note = models.TextField(_("note"), blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="trade_records"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trade record")
        verbose_name_plural = _("trade records")
        ordering = ["-period_start", "pk"]
        indexes = [models.Index(fields=["period_start", "period_end"], name="trade_period_idx")]
        constraints = [
            *non_negative("traderecord", "exports", "imports", "turnover", "revenue_collected"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="traderecord_period_end_after_start",
            ),
            currency_constraint("traderecord"),
            currency_constraint("traderecord", "revenue_currency"),
            models.CheckConstraint(
                condition=Q(exports__isnull=False)
                | Q(imports__isnull=False)
                | Q(turnover__isnull=False)
                | Q(revenue_collected__isnull=False),
                name="traderecord_has_a_figure",
            ),
        ]

    def __str__(self) -> str:
        where = self.gate.name if self.gate_id else _("whole province")
        return f"{where}: {self.period_start:%m/%Y}–{self.period_end:%m/%Y}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        check_non_negative(self, ["exports", "imports", "turnover", "revenue_collected"], errors)
        check_period(self.period_start, self.period_end, errors, end_field="period_end")
        if all(
            getattr(self, f) is None
            for f in ("exports", "imports", "turnover", "revenue_collected")
        ):
            errors.setdefault("turnover", []).append(
                _("Give at least one figure: exports, imports, turnover or revenue.")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def total(self):
        """Turnover as reported, else exports plus imports when both are known."""
        if self.turnover is not None:
            return self.turnover
        if self.exports is not None and self.imports is not None:
            return self.exports + self.imports
        return None
