"""Models shared by every domain: sources, citations, reported figures, districts."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .codelists import CURRENCY_CHOICES, CURRENCY_CODES
from .text import fold

MONEY_DIGITS = 20
MONEY_PLACES = 2


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    """An amount of money. Its currency lives in its own field beside it; the model's
    ``clean()`` and a named CHECK constraint keep it non-negative."""
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return models.DecimalField(
        verbose_name, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, **kwargs
    )


def currency_field(verbose_name=None, **kwargs) -> models.CharField:
    kwargs.setdefault("default", "VND")
    return models.CharField(
        verbose_name or _("currency"), max_length=3, choices=CURRENCY_CHOICES, **kwargs
    )


def currency_constraint(model_name: str, field: str = "currency") -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": CURRENCY_CODES}), name=f"{model_name}_{field}_valid"
    )


def coordinates_constraints(model_name: str) -> list[models.CheckConstraint]:
    """Latitude in [-90, 90], longitude in [-180, 180], both given or neither."""
    return [
        models.CheckConstraint(
            condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            name=f"{model_name}_latitude_range",
        ),
        models.CheckConstraint(
            condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
            name=f"{model_name}_longitude_range",
        ),
        models.CheckConstraint(
            condition=Q(latitude__isnull=True, longitude__isnull=True)
            | Q(latitude__isnull=False, longitude__isnull=False),
            name=f"{model_name}_coordinates_both_or_neither",
        ),
    ]


def non_negative(model_name: str, *fields: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
            name=f"{model_name}_{field}_non_negative",
        )
        for field in fields
    ]


class DatePrecision(models.TextChoices):
    """How much of a date the source gives: 2013 is stored as 2013-01-01 with precision year."""

    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class CoordinatesMixin(models.Model):
    """A point on the map, optionally flagged as approximate."""

    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_approximate = models.BooleanField(
        _("approximate position"),
        default=False,
        help_text=_("Tick when the point is only roughly known (for example a commune centre)."),
    )

    class Meta:
        abstract = True

    def clean_coordinates(self, errors: dict) -> None:
        lat, lon = self.latitude, self.longitude
        if lat is not None and not -90 <= lat <= 90:
            errors.setdefault("latitude", []).append(_("Latitude must be between -90 and 90."))
        if lon is not None and not -180 <= lon <= 180:
            errors.setdefault("longitude", []).append(_("Longitude must be between -180 and 180."))
        if (lat is None) != (lon is None):
            field = "longitude" if lon is None else "latitude"
            errors.setdefault(field, []).append(_("Give both latitude and longitude, or neither."))

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class SearchableModel(models.Model):
    """Keeps a folded copy of the searchable text so search ignores diacritics and case.

    Subclasses list their fields in ``SEARCH_FIELDS``; ``search_text`` is rebuilt on every
    ``save()`` and by ``build_search_text()`` for bulk inserts. PostgreSQL adds a trigram index
    on it (migration), so ``search_text__contains`` stays fast at a million rows.
    """

    SEARCH_FIELDS: tuple[str, ...] = ()

    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        parts = []
        for name in self.SEARCH_FIELDS:
            value = getattr(self, name, "")
            if value:
                parts.append(fold(value))
        return " ".join(parts)


class SyntheticMixin(models.Model):
    """Rows made by ``generate_synthetic`` for load tests, never real data."""

    is_synthetic = models.BooleanField(
        _("synthetic"),
        default=False,
        editable=False,
        db_index=True,
        help_text=_("Made by the synthetic data generator for load tests; not real data."),
    )

    class Meta:
        abstract = True


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Everything for staff who may view the model in the admin; the published rest for
        everyone else."""
        opts = self.model._meta
        if user is not None and any(
            user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
            for action in ("view", "change")
        ):
            return self
        return self.published()


class PublishableMixin(models.Model):
    """A record the public sees only once a manager has published it."""

    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "A draft is seen by staff only: not on the public site, the open API, the exports "
            "or OC4IDS. Only a manager can publish."
        ),
    )

    class Meta:
        abstract = True


def draft_index(model_name: str) -> models.Index:
    """The drafts are few: a partial index finds them without indexing every published row."""
    return models.Index(
        fields=["id"], condition=Q(is_published=False), name=f"{model_name}_draft_idx"
    )


def quote_field() -> models.TextField:
    return models.TextField(
        _("quoted wording"), blank=True, help_text=_("Word for word, in the source's language.")
    )


def quote_translation_field() -> models.TextField:
    return models.TextField(
        _("quoted wording, in English"),
        blank=True,
        help_text=_("A translation of the quoted wording, where the source is not in English."),
    )


class Source(SearchableModel, SyntheticMixin, models.Model):
    """A public document a record comes from: a newspaper article, a decision, a web page."""

    SEARCH_FIELDS = ("code", "title", "publisher", "url")

    class Kind(models.TextChoices):
        NEWS = "news", _("News article")
        LEGAL = "legal", _("Legal document")
        REPORT = "report", _("Official report")
        REFERENCE = "reference", _("Reference page")
        DATASET = "dataset", _("Dataset")
        OTHER = "other", _("Other")

    code = models.SlugField(
        _("code"),
        max_length=64,
        unique=True,
        help_text=_("Short stable key, for example article-2020-11-29 or g4."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title


class Citation(models.Model):
    """Links any record to a source it comes from, with the quoted wording when there is one."""

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    quote = quote_field()
    quote_en = quote_translation_field()
    note = models.CharField(_("note"), max_length=500, blank=True)
    note_en = models.CharField(_("note in English"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["source__code", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="citation_target_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "content_type", "object_id"], name="citation_unique_per_record"
            )
        ]

    def __str__(self) -> str:
        return str(self.source)


class District(SearchableModel, SyntheticMixin, models.Model):
    """A district of the province (the administrative unit the sources name)."""

    SEARCH_FIELDS = ("name", "province")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    province = models.CharField(_("province"), max_length=120)

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["province", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="district_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ReportedFigure(SearchableModel, SyntheticMixin, models.Model):
    """A figure as an official or press report states it, for example "17 projects (11/2020)".

    Shown beside what the database records; never used to invent the records it summarises.
    """

    SEARCH_FIELDS = ("code", "label", "label_en", "quote", "quote_en")

    class Metric(models.TextChoices):
        PROJECT_COUNT = "project_count", _("Number of projects")
        PROJECTS_IN_OPERATION = "projects_in_operation", _("Projects in operation")
        PROJECTS_UNDER_WAY = "projects_under_way", _("Projects under way")
        CAPITAL_ALLOCATED = "capital_allocated", _("Capital allocated")
        TOTAL_INVESTMENT = "total_investment", _("Total investment")
        FDI_PROJECT_COUNT = "fdi_project_count", _("Number of FDI projects")
        FDI_PROJECTS_OPERATING = "fdi_projects_operating", _("FDI projects in operation")
        FDI_INVESTOR_COUNT = "fdi_investor_count", _("Number of FDI investors")
        FDI_REGISTERED_CAPITAL = "fdi_registered_capital", _("FDI registered capital")
        ODA_SIGNED = "oda_signed", _("ODA newly signed")
        AID_VALUE = "aid_value", _("Non-governmental aid")
        TRADE_TURNOVER = "trade_turnover", _("Import-export turnover")
        TRADE_REVENUE = "trade_revenue", _("Revenue from import-export")
        BUDGET_SHARE = "budget_share", _("Share of provincial budget revenue")
        BORDER_LENGTH = "border_length", _("Length of the border")
        LENGTH = "length", _("Length")
        AREA = "area", _("Area")
        OTHER = "other", _("Other")

    class Unit(models.TextChoices):
        COUNT = "count", _("count")
        MONEY = "money", _("money")
        PERCENT = "percent", _("percent")
        KILOMETRE = "km", _("kilometres")
        HECTARE = "ha", _("hectares")
        MONTH = "month", _("months")

    class Qualifier(models.TextChoices):
        EXACT = "exact", _("exactly")
        MORE_THAN = "more_than", _("more than")
        ABOUT = "about", _("about")
        AT_LEAST = "at_least", _("at least")
        LESS_THAN = "less_than", _("less than")

    code = models.SlugField(_("code"), max_length=100, unique=True)
    metric = models.CharField(_("what"), max_length=32, choices=Metric.choices)
    label = models.CharField(
        _("label"), max_length=300, help_text=_("What the figure counts, in the report's terms.")
    )
    label_en = models.CharField(_("label in English"), max_length=300, blank=True)
    qualifier = models.CharField(
        _("qualifier"), max_length=16, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    value = models.DecimalField(_("value"), max_digits=MONEY_DIGITS, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=CURRENCY_CHOICES,
        blank=True,
        help_text=_("Only for money; amounts in different currencies are never added."),
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    as_of = models.DateField(_("as of"), help_text=_("The date the figure describes."))
    as_of_precision = models.CharField(
        _("precision of the date"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="figures"
    )
    quote = quote_field()
    quote_en = quote_translation_field()
    note = models.TextField(_("note"), blank=True)
    note_en = models.TextField(_("note in English"), blank=True)
    # What the figure is about, if it is about one record (a programme, a project, an investor).
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("subject type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        ordering = ["-as_of", "metric", "code"]
        indexes = [
            models.Index(fields=["metric", "as_of"], name="figure_metric_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="figure_subject_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0), name="reportedfigure_value_non_negative"
            ),
            models.CheckConstraint(
                condition=(Q(unit="money") & Q(currency__in=CURRENCY_CODES))
                | (~Q(unit="money") & Q(currency="")),
                name="reportedfigure_currency_iff_money",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="reportedfigure_period_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(unit="percent", value__lte=100) | ~Q(unit="percent"),
                name="reportedfigure_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(subject_type__isnull=True, subject_id__isnull=True)
                | Q(subject_type__isnull=False, subject_id__isnull=False),
                name="reportedfigure_subject_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.value is not None and self.value < 0:
            errors.setdefault("value", []).append(_("A reported figure cannot be negative."))
        if self.unit == self.Unit.MONEY and not self.currency:
            errors.setdefault("currency", []).append(_("A sum of money needs its currency."))
        if self.unit and self.unit != self.Unit.MONEY and self.currency:
            errors.setdefault("currency", []).append(_("Only sums of money have a currency."))
        if self.unit == self.Unit.PERCENT and self.value is not None and self.value > 100:
            errors.setdefault("value", []).append(_("A percentage cannot exceed 100."))
        check_period(self.period_start, self.period_end, errors, end_field="period_end")
        if (self.subject_type_id is None) != (self.subject_id is None):
            errors.setdefault("subject_id", []).append(
                _("Give both the subject type and its id, or neither.")
            )
        elif self.subject_id is not None:
            self.clean_subject(errors)
        if errors:
            raise ValidationError(errors)

    def clean_subject(self, errors: dict) -> None:
        """The subject must exist: a figure never points at nothing. Inside a transaction the
        subject's row is locked until it ends, so it cannot be deleted before the figure is
        saved (deleting it checks for figures about it, see ``core.deletion``)."""
        try:
            model = self.subject_type.model_class()
        except ContentType.DoesNotExist:
            return  # an unknown subject type: the field's own check says so
        if model is None:
            errors.setdefault("subject_type", []).append(_("This kind of record no longer exists."))
            return
        using = router.db_for_write(model)
        rows = model._base_manager.using(using).filter(pk=self.subject_id).order_by()
        if transaction.get_connection(using).in_atomic_block:
            rows = rows.select_for_update()
        if not rows.exists():
            errors.setdefault("subject_id", []).append(
                _("There is no %(kind)s with the id %(id)s.")
                % {"kind": model._meta.verbose_name, "id": self.subject_id}
            )


def check_period(start, end, errors: dict, *, end_field: str) -> None:
    """Add an error on ``end_field`` when a period ends before it starts."""
    if start is not None and end is not None and end < start:
        errors.setdefault(end_field, []).append(_("The end cannot be before the start."))


def check_non_negative(instance, fields, errors: dict) -> None:
    for field in fields:
        value = getattr(instance, field)
        if value is not None and value < 0:
            errors.setdefault(field, []).append(_("This amount cannot be negative."))
