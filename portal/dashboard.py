"""The dashboard's headline figures: each computed live from the records, set beside the figures
officially reported for the same thing, with a flag where the two disagree."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import formatting
from core.charts import bar_rows
from core.formatting import money_scales
from core.models import ReportedFigure
from core.selectors import dashboard_reported_figures
from gates.selectors import gate_kind_summary, trade_by_period
from investment.models import Investment, Investor
from investment.selectors import investment_capital_summary, investor_kind_summary
from projects.models import Project
from projects.selectors import (
    capital_summary,
    programme_project_counts,
    project_status_summary,
)

ABOUT_TOLERANCE = Decimal("0.05")


class Comparison(models.TextChoices):
    AGREES = "agrees", _("agrees")
    DIFFERS = "differs", _("differs")
    NOT_RECORDED = "not_recorded", _("not recorded here")
    NOT_COMPARABLE = "not_comparable", _("another period")


@dataclass
class Reported:
    figure: ReportedFigure
    comparison: str
    recorded: object = None  # the recorded value it was compared with, in its scope

    @property
    def differs(self) -> bool:
        return self.comparison == Comparison.DIFFERS

    @property
    def label(self) -> str:
        return Comparison(self.comparison).label

    @property
    def scoped(self) -> bool:
        """Whether the figure is about a programme, not the whole province."""
        return self.figure.subject_type_id is not None


@dataclass
class Headline:
    """One figure as recorded here (a count, or amounts per currency) and as reported."""

    key: str
    title: str
    count: int | None = None
    amounts: list[tuple[str, object]] = field(default_factory=list)
    reported: list[Reported] = field(default_factory=list)
    note: str = ""

    @property
    def is_money(self) -> bool:
        return self.count is None

    @property
    def scales(self) -> dict:
        """One unit per currency for the amount recorded and the figures reported beside it."""
        reported = [
            (r.figure.currency, r.figure.value) for r in self.reported if r.figure.unit == "money"
        ]
        return money_scales([*self.amounts, *reported])


def agrees(recorded, figure: ReportedFigure) -> bool:
    """Whether a recorded value is what the reported figure says, given its qualifier."""
    recorded, value = Decimal(recorded), figure.value
    qualifier = ReportedFigure.Qualifier
    return {
        qualifier.MORE_THAN: recorded > value,
        qualifier.AT_LEAST: recorded >= value,
        qualifier.LESS_THAN: recorded < value,
        qualifier.ABOUT: abs(recorded - value) <= value * ABOUT_TOLERANCE,
    }.get(figure.qualifier, recorded == value)


def compare(figure: ReportedFigure, recorded) -> Reported:
    """Set a reported figure beside the value recorded for the same scope.

    A province-wide figure about a period (projects started 2016–2020) cannot be compared with
    today's totals; a scope in which nothing is recorded is "not recorded here", not a
    disagreement. Only like with like is called "agrees" or "differs".
    """
    if figure.subject_type_id is None and (figure.period_start or figure.period_end):
        return Reported(figure, Comparison.NOT_COMPARABLE)
    if not recorded:
        return Reported(figure, Comparison.NOT_RECORDED, recorded)
    state = Comparison.AGREES if agrees(recorded, figure) else Comparison.DIFFERS
    return Reported(figure, state, recorded)


def programme_of(figure: ReportedFigure):
    """The programme a figure is about, or None for a province-wide figure."""
    return figure.subject_id if figure.subject_type_id else None


def dashboard() -> dict:
    """Everything the dashboard shows, from a fixed number of queries: the selectors called
    here, once each; the functions below only compute from what they return."""
    figures = dashboard_reported_figures()
    statuses = project_status_summary()
    per_programme = programme_project_counts()
    capital = capital_summary()
    investments = investment_capital_summary()
    investor_kinds = investor_kind_summary()
    trade_rows = trade_by_period()
    kinds = gate_kind_summary()
    used: set[str] = set()  # the metrics already set beside a headline or a chart
    metric = ReportedFigure.Metric
    trade_figures = take(
        figures, used, metric.TRADE_TURNOVER, metric.TRADE_REVENUE, metric.BUDGET_SHARE
    )
    return {
        "project_headlines": project_headlines(figures, used, statuses, per_programme, capital),
        "statuses": statuses,
        "status_scales": money_scales(pair for row in statuses for pair in row["totals"]),
        "capital": capital,
        "capital_years": capital_years(capital),
        "capital_scales": money_scales(
            (row["currency"], amount)
            for row in [*capital["years"], *capital["per_currency"]]
            for amount in (row["allocated"], row["disbursed"])
        ),
        "gate_kinds": gate_kinds(kinds),
        "gate_total": sum(kind["count"] for kind in kinds),
        "investment_headlines": investment_headlines(figures, used, investments, investor_kinds),
        "investor_kinds": investor_kinds,
        "trade": trade(trade_rows),
        "trade_scales": money_scales((row["currency"], row["total"]) for row in trade_rows),
        "trade_figures": trade_figures,
        # Last: whatever the entries above did not take.
        "other_figures": other_figures(figures, used),
    }


def take(figures: dict, used: set, *metrics) -> list[ReportedFigure]:
    """The reported figures for these metrics, in order; the metrics are added to ``used``."""
    used.update(metrics)
    return [f for metric in metrics for f in figures.get(metric, [])]


def other_figures(figures: dict, used: set) -> list[ReportedFigure]:
    """The reported figures for metrics no headline or chart has taken."""
    return [f for metric, group in figures.items() if metric not in used for f in group]


def recorded_projects(per_programme: dict, figure: ReportedFigure, status=None) -> int:
    """How many projects are recorded in the figure's scope (its programme, or all), in a
    status or in any."""
    programme = programme_of(figure)
    return sum(
        n
        for (programme_id, state), n in per_programme.items()
        if (programme is None or programme_id == programme) and status in (None, state)
    )


def recorded_allocated(programme_capital: dict, figure: ReportedFigure):
    """The capital allocated in the figure's scope (its programme, or all), in its currency."""
    programme = programme_of(figure)
    return sum(
        total
        for (programme_id, currency), total in programme_capital.items()
        if (programme is None or programme_id == programme) and currency == figure.currency
    )


def counted(key, title, reported, count, recorded, note="") -> Headline:
    """A headline count, each reported figure set beside ``recorded(figure)``: the count
    recorded in that figure's scope."""
    found = [compare(f, recorded(f)) for f in reported]
    return Headline(key, title, count=count, reported=found, note=note)


def money(key, title, reported, amounts, note="") -> Headline:
    """A headline of ``(currency, amount)`` pairs, each reported figure set beside the amount
    recorded in its currency."""
    by_currency = dict(amounts)
    found = [compare(f, by_currency.get(f.currency)) for f in reported]
    return Headline(key, title, amounts=amounts, reported=found, note=note)


def project_headlines(figures, used, statuses, per_programme, capital) -> list[Headline]:
    """Projects in all, in operation and under way, and the capital allocated to them."""
    metric = ReportedFigure.Metric
    by_status = {row["status"]: row for row in statuses}
    in_operation, under_way = Project.Status.IN_OPERATION, Project.Status.UNDER_WAY
    return [
        counted(
            "projects",
            _("Projects"),
            take(figures, used, metric.PROJECT_COUNT),
            sum(row["count"] for row in statuses),
            lambda f: recorded_projects(per_programme, f),
        ),
        counted(
            "in_operation",
            _("Projects in operation"),
            take(figures, used, metric.PROJECTS_IN_OPERATION),
            by_status[in_operation]["count"],
            lambda f: recorded_projects(per_programme, f, in_operation),
        ),
        counted(
            "under_way",
            _("Projects under way"),
            take(figures, used, metric.PROJECTS_UNDER_WAY),
            by_status[under_way]["count"],
            lambda f: recorded_projects(per_programme, f, under_way),
        ),
        Headline(
            "capital_allocated",
            _("Capital allocated"),
            amounts=[(row["currency"], row["allocated"]) for row in capital["per_currency"]],
            reported=[
                compare(f, recorded_allocated(capital["programmes"], f))
                for f in take(figures, used, metric.CAPITAL_ALLOCATED)
            ],
            note=_("Sum of the yearly allocations recorded for each project."),
        ),
    ]


def investment_headlines(figures, used, investments, investor_kinds) -> list[Headline]:
    """FDI projects, foreign investors and registered capital; ODA and non-governmental aid
    committed.

    ``investments`` is ``investment_capital_summary()``: one row per kind of investment;
    ``investor_kinds`` is ``investor_kind_summary()``. The foreign investors are every foreign
    company recorded, whether or not one of its projects is recorded too."""
    metric = ReportedFigure.Metric
    by_kind = {row["kind"]: row for row in investments}
    foreign = next(
        row["count"] for row in investor_kinds if row["kind"] == Investor.Kind.FOREIGN_COMPANY
    )
    fdi = by_kind[Investment.Kind.FDI]
    oda_loan, oda_grant = by_kind[Investment.Kind.ODA_LOAN], by_kind[Investment.Kind.ODA_GRANT]
    aid = by_kind[Investment.Kind.NGO_AID]
    registered, committed = Investment.CapitalType.REGISTERED, Investment.CapitalType.COMMITTED
    return [
        counted(
            "fdi_count",
            _("FDI projects"),
            take(figures, used, metric.FDI_PROJECT_COUNT),
            fdi["count"],
            lambda f: fdi["count"],
        ),
        counted(
            "fdi_investors",
            _("Foreign investors"),
            take(figures, used, metric.FDI_INVESTOR_COUNT),
            foreign,
            lambda f: foreign,
            note=gettext(
                "Foreign companies recorded. Investors with an FDI project recorded here: %(n)s."
            )
            % {"n": formatting.format_number(fdi["investors"])},
        ),
        money(
            "fdi_capital",
            _("FDI registered capital"),
            take(figures, used, metric.FDI_REGISTERED_CAPITAL),
            fdi["totals"].get(registered, []),
            note=_("Registered capital only."),
        ),
        money(
            "oda",
            _("ODA capital committed"),
            take(figures, used, metric.ODA_SIGNED),
            merge_totals(
                oda_loan["totals"].get(committed, []), oda_grant["totals"].get(committed, [])
            ),
            note=_("Loans and grants as signed (committed)."),
        ),
        money(
            "aid",
            _("Non-governmental aid committed"),
            take(figures, used, metric.AID_VALUE),
            aid["totals"].get(committed, []),
        ),
    ]


def capital_years(capital: dict) -> list[dict]:
    """One bar per year and currency of capital allocated, scaled within its currency."""
    return bar_rows(capital["years"], lambda y: y["allocated"], lambda y: y["currency"])


def gate_kinds(kinds: list[dict]) -> list[dict]:
    """One bar per kind of gate, scaled to the most numerous kind."""
    return bar_rows(kinds, lambda k: k["count"])


def trade(trade_rows: list[dict]) -> list[dict]:
    """One bar per period and currency of recorded trade, scaled within its currency."""
    return bar_rows(trade_rows, lambda t: t["total"], lambda t: t["currency"])


def merge_totals(*pairs) -> list[tuple[str, object]]:
    """Several lists of ``(currency, amount)`` added up, one currency at a time."""
    merged: dict[str, object] = {}
    for pairs_of_one in pairs:
        for currency, amount in pairs_of_one:
            merged[currency] = merged.get(currency, 0) + amount
    return sorted(merged.items())
