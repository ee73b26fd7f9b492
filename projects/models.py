"""Border-gate infrastructure: programmes, projects, their yearly capital and their history."""

import re
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.images import ReencodedPhoto, reencode_photo
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
    currency_field,
    draft_index,
    money_field,
    non_negative,
)
from core.validators import validate_photo
from gates.models import Gate


def progress_field() -> models.DecimalField:
    """Physical progress, a percentage; ``progress_constraint`` and ``check_progress`` keep it
    within 0–100."""
    return models.DecimalField(
        _("physical progress (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )


def progress_constraint(model_name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(progress_percent__isnull=True)
        | Q(progress_percent__gte=0, progress_percent__lte=100),
        name=f"{model_name}_progress_range",
    )


def check_progress(value, errors: dict) -> None:
    if value is not None and not 0 <= value <= 100:
        errors.setdefault("progress_percent", []).append(
            _("Progress is a percentage between 0 and 100.")
        )


class Agency(SearchableModel, SyntheticMixin, models.Model):
    """A public body that owns projects (chủ đầu tư) or runs a programme."""

    SEARCH_FIELDS = ("name", "name_en")

    class Level(models.TextChoices):
        CENTRAL = "central", _("Central")
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District")

    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    level = models.CharField(
        _("level"), max_length=16, choices=Level.choices, default=Level.PROVINCE
    )

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(SearchableModel, SyntheticMixin, models.Model):
    """A programme or medium-term investment plan under which projects are funded."""

    SEARCH_FIELDS = ("code", "name", "name_en", "legal_reference")

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Programme")
        MEDIUM_TERM_PLAN = "medium_term_plan", _("Medium-term public investment plan")
        MASTER_PLAN = "master_plan", _("Master plan")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    name = models.CharField(_("name"), max_length=400)
    name_en = models.CharField(_("name in English"), max_length=400, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROGRAMME)
    legal_reference = models.CharField(
        _("legal reference"),
        max_length=300,
        blank=True,
        help_text=_("For example: 11-CTr/TU of 29/4/2016."),
    )
    issued_by = models.CharField(_("issued by"), max_length=300, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    allocated_capital = money_field(_("capital allocated"))
    currency = currency_field()
    planned_project_count = models.PositiveIntegerField(
        _("planned number of projects"), null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    citations = GenericRelation("core.Citation")

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_year", "name"]
        constraints = [
            *non_negative("programme", "allocated_capital"),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(end_year__gte=F("start_year")),
                name="programme_end_year_after_start",
            ),
            currency_constraint("programme"),
        ]
        indexes = [models.Index(fields=["-start_year", "name"], name="programme_order_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:programme-detail", args=[self.slug])

    def clean(self) -> None:
        errors: dict[str, list] = {}
        check_non_negative(self, ["allocated_capital"], errors)
        check_period(self.start_year, self.end_year, errors, end_field="end_year")
        if errors:
            raise ValidationError(errors)


class ProjectQuerySet(PublishableQuerySet):
    def with_list_related(self, user=None):
        """The row's programme, owner and district, and the gates ``user`` may see (published
        ones for the public)."""
        return self.select_related("programme", "owner", "district").prefetch_related(
            models.Prefetch("gates", queryset=Gate.objects.visible_to(user))
        )

    def with_allocations(self):
        """Prefetch the yearly allocations, in year order."""
        return self.prefetch_related(
            models.Prefetch("allocations", queryset=YearlyAllocation.objects.order_by("year"))
        )

    def with_sources(self):
        return self.prefetch_related("citations__source")


def disbursement_rate(disbursed, allocated):
    """``disbursed`` as a percentage of ``allocated``, or None when nothing was allocated: the
    one rate of the tracker (a year, a project, a programme, a currency's total)."""
    if not allocated:
        return None
    return (disbursed or 0) / allocated * 100


class Project(SearchableModel, CoordinatesMixin, PublishableMixin, SyntheticMixin, models.Model):
    """An infrastructure project at or for the border gates."""

    class Category(models.TextChoices):
        ROAD = "road", _("Road")
        BRIDGE = "bridge", _("Bridge")
        INSPECTION = "inspection", _("Inspection and control facilities")
        LOGISTICS = "logistics", _("Logistics and transshipment")
        PLANNING = "planning", _("Planning")
        MARKET = "market", _("Market")
        TOURISM = "tourism", _("Tourism")
        OTHER = "other", _("Other")

    class Type(models.TextChoices):
        # The OC4IDS projectType codelist (closed), so the export maps one to one.
        CONSTRUCTION = "construction", _("New construction")
        REHABILITATION = "rehabilitation", _("Rehabilitation")
        REPLACEMENT = "replacement", _("Replacement")
        EXPANSION = "expansion", _("Expansion")
        DECOMMISSIONING = "decommissioning", _("Decommissioning")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        UNDER_WAY = "under_way", _("Under way")
        IN_OPERATION = "in_operation", _("In operation")
        SUSPENDED = "suspended", _("Suspended")
        CANCELLED = "cancelled", _("Cancelled")

    class FundingSource(models.TextChoices):
        CENTRAL_BUDGET = "central_budget", _("Central state budget")
        PROVINCIAL_BUDGET = "provincial_budget", _("Provincial budget")
        STATE_BUDGET = "state_budget", _("State budget (level not stated)")
        ODA = "oda", _("ODA")
        PPP = "ppp", _("Public-private partnership")
        PRIVATE = "private", _("Private")
        MIXED = "mixed", _("Mixed")
        NOT_STATED = "not_stated", _("Not stated")

    SEARCH_FIELDS = ("code", "name", "name_en", "description", "description_en", "owner_name")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    name = models.CharField(_("name"), max_length=400)
    name_en = models.CharField(_("name in English"), max_length=400, blank=True)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    gates = models.ManyToManyField(
        Gate, verbose_name=_("gates served"), blank=True, related_name="projects"
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    project_type = models.CharField(_("type"), max_length=16, choices=Type.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    funding_source = models.CharField(
        _("funding source"),
        max_length=20,
        choices=FundingSource.choices,
        default=FundingSource.NOT_STATED,
    )
    owner = models.ForeignKey(
        Agency,
        verbose_name=_("owner agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    total_investment = money_field(_("total investment"))
    currency = currency_field()
    approval_date = models.DateField(_("approval date"), null=True, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    progress_percent = progress_field()
    length_km = models.DecimalField(
        _("length (km)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    citations = GenericRelation("core.Citation")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["search_text"], m2m_fields=["gates"])

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["status", "name"], name="project_status_idx"),
            models.Index(fields=["category", "name"], name="project_category_idx"),
            models.Index(fields=["funding_source", "name"], name="project_funding_idx"),
            models.Index(fields=["name"], name="project_name_idx"),
            # The sorts of the public list are indexed by projects/migrations/0010 (on
            # PostgreSQL with the filtered columns included, core.db.sort_index).
            models.Index(fields=["planned_end"], name="project_planned_end_idx"),
            draft_index("project"),
        ]
        permissions = [
            ("publish_project", _("Can publish projects")),
            (
                "override_status",
                _("Can make any status change, reopening a cancelled project included"),
            ),
            (
                "import_records",
                _("Can import spreadsheets of projects and yearly allocations"),
            ),
        ]
        constraints = [
            *non_negative("project", "total_investment", "length_km"),
            progress_constraint("project"),
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True)
                | Q(planned_end__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="project_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_start__isnull=True)
                | Q(actual_end__isnull=True)
                | Q(actual_end__gte=F("actual_start")),
                name="project_actual_end_after_start",
            ),
            *coordinates_constraints("project"),
            currency_constraint("project"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project-detail", args=[self.slug])

    @property
    def owner_name(self) -> str:
        return self.owner.name if self.owner_id else ""

    def clean(self) -> None:
        errors: dict[str, list] = {}
        check_non_negative(self, ["total_investment", "length_km"], errors)
        check_progress(self.progress_percent, errors)
        check_period(self.planned_start, self.planned_end, errors, end_field="planned_end")
        check_period(self.actual_start, self.actual_end, errors, end_field="actual_end")
        self.clean_coordinates(errors)
        if errors:
            raise ValidationError(errors)


class YearlyAllocation(SyntheticMixin, models.Model):
    """Capital allocated to a project for one year, and how much of it was disbursed.

    Amounts are in the project's currency, so a project's years can always be added up.
    """

    # Real data: a project with allocations, events or reports is not deleted (core.deletion).
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="allocations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    allocated = money_field(_("capital allocated"), null=False, blank=False)
    disbursed = money_field(_("disbursed"), null=False, blank=False, default=0)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("yearly allocation")
        verbose_name_plural = _("yearly allocations")
        ordering = ["project", "year"]
        indexes = [models.Index(fields=["year"], name="allocation_year_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year"], name="yearlyallocation_one_per_year"
            ),
            *non_negative("yearlyallocation", "allocated", "disbursed"),
            models.CheckConstraint(
                condition=Q(disbursed__lte=F("allocated")),
                name="yearlyallocation_disbursed_within_allocated",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1945, year__lte=2100), name="yearlyallocation_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} – {self.year}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        check_non_negative(self, ["allocated", "disbursed"], errors)
        if self.year is not None and not 1945 <= self.year <= 2100:
            errors.setdefault("year", []).append(_("The year must be between 1945 and 2100."))
        if (
            self.allocated is not None
            and self.disbursed is not None
            and "disbursed" not in errors
            and self.disbursed > self.allocated
        ):
            errors.setdefault("disbursed", []).append(
                _("Disbursed cannot exceed the capital allocated for the year.")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def disbursement_rate(self):
        return disbursement_rate(self.disbursed, self.allocated)


class ProjectEvent(SyntheticMixin, models.Model):
    """A dated event in a project's life: approval, groundbreaking, completion, a report."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        CAPITAL_ALLOCATED = "capital_allocated", _("Capital allocated")
        STARTED = "started", _("Construction started")
        DESIGN_CHANGED = "design_changed", _("Design changed")
        COMPLETED = "completed", _("Completed")
        IN_OPERATION = "in_operation", _("In operation")
        REPORTED = "reported", _("Reported")
        OTHER = "other", _("Other")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="events"
    )
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("what happened"), max_length=300)
    title_en = models.CharField(_("what happened, in English"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="project_events"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project event")
        verbose_name_plural = _("project events")
        ordering = ["project", "date", "pk"]
        indexes = [models.Index(fields=["date"], name="projectevent_date_idx")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


# What ``ReportPhoto.save`` names a stored file: a random key and the re-encoded format.
STORED_NAME = re.compile(r"[0-9a-f]{32}\.(jpg|png)")


def stored_name(filename: str) -> str:
    """The name a photo's file is stored under: the one ``ReportPhoto.save`` chose, never the
    uploader's (no path tricks, no clashes, no ``.html``)."""
    name = PurePosixPath(filename).name
    return name if STORED_NAME.fullmatch(name) else f"{uuid.uuid4().hex}.jpg"


def report_photo_path(photo, filename: str) -> str:
    return f"reports/{photo.report.project_id}/{stored_name(filename)}"


def report_thumbnail_path(photo, filename: str) -> str:
    """Beside the photo: ``reports/<project>/<key>-thumbnail.jpg``."""
    key, extension = stored_name(filename).split(".")
    return f"reports/{photo.report.project_id}/{key}-thumbnail.{extension}"


class ProgressReport(models.Model):
    """A dated report on a project by provincial staff: where it stands, in numbers and words.

    Posting one (``projects.services.report_post``) brings the project's status and progress to
    what the report says, under the status rules.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="reports"
    )
    date = models.DateField(_("report date"))
    status = models.CharField(_("status"), max_length=16, choices=Project.Status.choices)
    progress_percent = progress_field()
    disbursed_to_date = money_field(
        _("disbursed to date"), help_text=_("In the project's currency, since the start.")
    )
    narrative = models.TextField(_("what happened"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["project", "-date", "-pk"]
        indexes = [
            models.Index(fields=["project", "-date"], name="progressreport_project_idx"),
            models.Index(fields=["date"], name="progressreport_date_idx"),
        ]
        constraints = [
            *non_negative("progressreport", "disbursed_to_date"),
            progress_constraint("progressreport"),
        ]

    def __str__(self) -> str:
        return f"{self.project} – {self.date:%d/%m/%Y}" if self.date else str(self.project)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        check_non_negative(self, ["disbursed_to_date"], errors)
        check_progress(self.progress_percent, errors)
        if self.date and self.date > timezone.localdate():
            errors.setdefault("date", []).append(_("A report cannot be dated in the future."))
        if errors:
            raise ValidationError(errors)


class ReportPhoto(models.Model):
    """A photo attached to a progress report, with a thumbnail for the public pages.

    Every new photo is decoded and re-encoded before it is stored (``core.images``): no EXIF
    (GPS position, camera), no colour profile, text or trailing bytes; upright, at most 4,000 px
    on its longest side, with a 480 px thumbnail made at the same time. ``save()`` stores only
    the re-encoded files, so no way of writing a photo (the admin's inline rows and photo form,
    ``report_photo_save``, a bare ``objects.create``) stores an upload as it came; the work is
    done once, by ``full_clean()`` when it runs (a file that cannot be decoded is then refused
    with a message beside the field), else by ``save()`` (``ValidationError``).

    Deleting a photo keeps its files: its history still names them, and restoring the deleted
    photo (or an older version) brings them back.
    """

    # Part of the report: deleted with it once the admin's confirmation page has listed it.
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=report_photo_path, validators=[validate_photo])
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    # Empty for a photo whose file could not be re-encoded when thumbnails came in (0008): the
    # public page then shows the photo itself, scaled down.
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to=report_thumbnail_path, blank=True, editable=False
    )
    thumbnail_width = models.PositiveSmallIntegerField(
        _("thumbnail width"), null=True, blank=True, editable=False
    )
    thumbnail_height = models.PositiveSmallIntegerField(
        _("thumbnail height"), null=True, blank=True, editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name

    def save(self, *args, **kwargs) -> None:
        reencoded = self.reencoded()
        if reencoded is not None:
            self.store(reencoded)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "image" in update_fields:
                kwargs["update_fields"] = {
                    *update_fields,
                    "thumbnail",
                    "thumbnail_width",
                    "thumbnail_height",
                }
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None) -> None:
        """The field checks, then (when the photo passed them) its decoding and re-encoding,
        kept for ``save()``: a truncated or undecodable file is refused here, with the message
        of ``validate_photo``."""
        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "image" not in errors and "image" not in (exclude or ()):
            try:
                self.reencoded()
            except ValidationError as error:
                errors["image"] = error.error_list
        if errors:
            raise ValidationError(errors)

    def reencoded(self) -> ReencodedPhoto | None:
        """The new upload re-encoded, with its thumbnail (worked out once per upload); None when
        the photo is not a new upload (a stored file is never re-encoded again)."""
        if not self.image or self.image._committed:
            return None
        upload = self.image.file
        cached = getattr(self, "_reencoded", None)
        if cached is None or cached[0] is not upload:
            cached = self._reencoded = (upload, reencode_photo(self.image))
        return cached[1]

    def store(self, reencoded: ReencodedPhoto) -> None:
        """Write the re-encoded photo and its thumbnail under one random key; only their bytes
        ever reach the storage, never the upload's."""
        key = uuid.uuid4().hex
        photo, thumbnail = reencoded.photo, reencoded.thumbnail
        self.image.save(f"{key}.{photo.extension}", ContentFile(photo.content), save=False)
        self.thumbnail.save(
            f"{key}.{thumbnail.extension}", ContentFile(thumbnail.content), save=False
        )
        self.thumbnail_width, self.thumbnail_height = thumbnail.width, thumbnail.height
        self._reencoded = None
