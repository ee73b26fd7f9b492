"""Reads shared by every part of the site: reported figures and sources."""

from collections import defaultdict

from django.db.models import Q

from .models import ReportedFigure


def reported_figure_list():
    """Every reported figure with its source, the latest first."""
    return ReportedFigure.objects.select_related("source", "subject_type").order_by(
        "-as_of", "code", "pk"
    )


def reported_figures_for(record):
    """The figures officially reported about one record (a project, programme or investor)."""
    meta = record._meta
    return (
        ReportedFigure.objects.filter(
            subject_type__app_label=meta.app_label,
            subject_type__model=meta.model_name,
            subject_id=record.pk,
        )
        .select_related("source")
        .order_by("metric", "as_of", "pk")
    )


def dashboard_reported_figures() -> dict[str, list[ReportedFigure]]:
    """Province-wide figures (no subject, or a programme as subject), grouped by metric."""
    figures = (
        ReportedFigure.objects.filter(
            Q(subject_type__isnull=True) | Q(subject_type__model="programme")
        )
        .select_related("source")
        .order_by("metric", "-as_of", "pk")
    )
    grouped: dict[str, list[ReportedFigure]] = defaultdict(list)
    for figure in figures:
        grouped[figure.metric].append(figure)
    return dict(grouped)
