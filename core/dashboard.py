"""The dashboard's headline figures: each computed live from the records, set beside the figures
officially reported for the same thing, with a flag where the two disagree."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from gates.selectors import gate_kind_summary, trade_by_period
from investment.models import Investment
from investment.selectors import investment_capital_summary
from projects.models import Project
from projects.selectors import capital_summary, project_status_summary

from .charts import bar_rows
from .models import ReportedFigure
from .selectors import dashboard_reported_figures

ABOUT_TOLERANCE = Decimal("0.05")


@dataclass
class Reported:
    figure: ReportedFigure
    differs: bool


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


def agrees(recorded, figure: ReportedFigure) -> bool:
    """Whether a recorded value is what the reported figure says, given its qualifier."""
    if recorded is None:
        return False
    recorded, value = Decimal(recorded), figure.value
    qualifier = ReportedFigure.Qualifier
    return {
        qualifier.MORE_THAN: recorded > value,
        qualifier.AT_LEAST: recorded >= value,
        qualifier.LESS_THAN: recorded < value,
        qualifier.ABOUT: abs(recorded - value) <= value * ABOUT_TOLERANCE,
    }.get(figure.qualifier, recorded == value)


def headline(key, title, figures, *, count=None, amounts=(), note="") -> Headline:
    amounts = list(amounts)
    by_currency = dict(amounts)
    reported = []
    for figure in figures:
        recorded = by_currency.get(figure.currency, 0) if figure.currency else count
        reported.append(Reported(figure, differs=not agrees(recorded, figure)))
    return Headline(key, title, count, amounts, reported, note)


def dashboard() -> dict:
    """Everything the dashboard shows, in a fixed number of queries."""
    figures = dashboard_reported_figures()
    used: set[str] = set()

    def take(*metrics):
        used.update(metrics)
        return [f for metric in metrics for f in figures.get(metric, [])]

    statuses = project_status_summary()
    by_status = {row["status"]: row for row in statuses}
    capital = capital_summary()
    investments = {row["kind"]: row for row in investment_capital_summary()}
    metric = ReportedFigure.Metric

    project_headlines = [
        headline(
            "projects",
            _("Projects"),
            take(metric.PROJECT_COUNT),
            count=sum(row["count"] for row in statuses),
        ),
        headline(
            "in_operation",
            _("Projects in operation"),
            take(metric.PROJECTS_IN_OPERATION),
            count=by_status[Project.Status.IN_OPERATION]["count"],
        ),
        headline(
            "under_way",
            _("Projects under way"),
            take(metric.PROJECTS_UNDER_WAY),
            count=by_status[Project.Status.UNDER_WAY]["count"],
        ),
        headline(
            "capital_allocated",
            _("Capital allocated"),
            take(metric.CAPITAL_ALLOCATED),
            amounts=[(row["currency"], row["allocated"]) for row in capital["per_currency"]],
            note=_("Sum of the yearly allocations recorded for each project."),
        ),
    ]
    fdi = investments[Investment.Kind.FDI]
    oda = merge_totals(
        investments[Investment.Kind.ODA_LOAN], investments[Investment.Kind.ODA_GRANT]
    )
    aid = investments[Investment.Kind.NGO_AID]
    investment_headlines = [
        headline(
            "fdi_count", _("FDI projects"), take(metric.FDI_PROJECT_COUNT), count=fdi["count"]
        ),
        headline(
            "fdi_investors",
            _("FDI investors"),
            take(metric.FDI_INVESTOR_COUNT),
            count=fdi["investors"],
        ),
        headline(
            "fdi_capital",
            _("FDI registered capital"),
            take(metric.FDI_REGISTERED_CAPITAL),
            amounts=fdi["totals"],
        ),
        headline("oda", _("ODA capital"), take(metric.ODA_SIGNED), amounts=oda),
        headline("aid", _("Non-governmental aid"), take(metric.AID_VALUE), amounts=aid["totals"]),
    ]
    trade_figures = take(metric.TRADE_TURNOVER, metric.TRADE_REVENUE, metric.BUDGET_SHARE)
    trade = trade_by_period()
    gate_kinds = gate_kind_summary()
    return {
        "project_headlines": project_headlines,
        "statuses": statuses,
        "capital": capital,
        "capital_years": bar_rows(
            capital["years"], lambda y: y["allocated"], lambda y: y["currency"]
        ),
        "gate_kinds": bar_rows(gate_kinds, lambda k: k["count"]),
        "gate_total": sum(k["count"] for k in gate_kinds),
        "investment_headlines": investment_headlines,
        "investment_kinds": list(investments.values()),
        "trade": bar_rows(trade, lambda t: t["total"], lambda t: t["currency"]),
        "trade_figures": trade_figures,
        "other_figures": [
            f for metric_value, group in figures.items() if metric_value not in used for f in group
        ],
    }


def merge_totals(*rows) -> list[tuple[str, object]]:
    """Per-currency totals of several kinds together (one currency at a time)."""
    merged: dict[str, object] = {}
    for row in rows:
        for currency, amount in row["totals"]:
            merged[currency] = merged.get(currency, 0) + amount
    return sorted(merged.items())
