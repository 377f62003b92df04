"""Frozen JSON copies of a programme, and what the public page and the CSV export read from them."""

from decimal import Decimal

from django.db.models import Prefetch

from .models import (
    ZERO,
    Action,
    ActionProgramme,
    FollowUpReport,
    LeadKind,
    ProgrammeAxisBlock,
    ProgrammeVersion,
)


def _dec(value):
    return None if value is None else str(value)


def programme_tree(programme):
    """Axis blocks with their actions and indicators, in two queries."""
    return (
        ProgrammeAxisBlock.objects.filter(programme=programme)
        .select_related("axis")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.order_by("order", "pk").prefetch_related("indicators"),
            )
        )
    )


def build_snapshot(programme: ActionProgramme) -> dict:
    """Everything the committee sees of a programme, as plain JSON (decimals as strings)."""
    axes = []
    etp_by_kind = {kind.value: ZERO for kind in LeadKind}
    total_budget = total_etp = ZERO
    for block in programme_tree(programme):
        actions = []
        for action in block.actions.all():
            etp_by_kind[action.lead_kind] += action.etp
            total_budget += action.budget
            total_etp += action.etp
            actions.append(
                {
                    "id": action.pk,
                    "title": action.title,
                    "description": action.description,
                    "deliverables": action.deliverables,
                    "calendar": action.calendar,
                    "lead_kind": action.lead_kind,
                    "lead_label": action.get_lead_kind_display(),
                    "lead_name": action.lead_name,
                    "etp": _dec(action.etp),
                    "budget": _dec(action.budget),
                    "indicators": [
                        {
                            "id": indicator.pk,
                            "label": indicator.label,
                            "unit": indicator.unit,
                            "target": _dec(indicator.target),
                        }
                        for indicator in action.indicators.all()
                    ],
                }
            )
        axes.append(
            {
                "number": block.axis.number,
                "name": block.axis.name,
                "objectives": block.objectives,
                "actions": actions,
            }
        )
    lines, total_financing = programme.financing_plan()
    return {
        "centre": str(programme.centre),
        "year": programme.year,
        "title": programme.title,
        "summary": programme.summary,
        "axes": axes,
        "financing": [
            {
                "funder": line.funder,
                "funder_label": line.get_funder_display(),
                "detail": line.detail,
                "amount": _dec(line.amount),
                "share": _dec(share),
            }
            for line, share in lines
        ],
        "totals": {
            "budget": _dec(total_budget),
            "financing": _dec(total_financing),
            "etp": _dec(total_etp),
            "etp_by_profile": [
                {"label": str(kind.label), "etp": _dec(etp_by_kind[kind.value])}
                for kind in LeadKind
            ],
        },
    }


def reports_newest_first():
    """The follow-up reports with their indicator values, the most recent first."""
    return FollowUpReport.objects.order_by("-filed_at").prefetch_related("indicator_values")


def latest_actuals(programme):
    """Indicator actuals from the most recent report: {indicator id: (actual, report kind)}.

    Reads the reports ``with_public_figures`` prefetched when they are there.
    """
    prefetched = getattr(programme, "_prefetched_objects_cache", {}).get("reports")
    if prefetched is not None:
        report = max(prefetched, key=lambda r: r.filed_at, default=None)
    else:
        report = reports_newest_first().filter(programme=programme).first()
    if report is None:
        return {}, None
    return {value.indicator_id: value.actual for value in report.indicator_values.all()}, report


def indicator_rows(snapshot, actuals):
    """Flat rows (axis, action, indicator, unit, target, actual, percent) for charts and CSV."""
    rows = []
    for axis in snapshot["axes"]:
        for action in axis["actions"]:
            for indicator in action["indicators"]:
                target = Decimal(indicator["target"]) if indicator["target"] else None
                actual = actuals.get(indicator["id"])
                percent = None
                if target and actual is not None:
                    percent = int(actual * 100 / target)
                rows.append(
                    {
                        "axis": axis["number"],
                        "action": action["title"],
                        "label": indicator["label"],
                        "unit": indicator["unit"],
                        "target": target,
                        "actual": actual,
                        "percent": percent,
                        "bar": min(percent, 100) if percent is not None else 0,
                    }
                )
    return rows


def approved_context(programme):
    """What the public may see of a programme: its approved version and the latest actuals.

    Nothing of a draft, of a version under review or of the committee's reviews: only the
    snapshot the committee approved, with the indicator values of the latest report.
    """
    version = programme.approved_version
    if version is None:
        return {"snapshot": None}
    snapshot = version.snapshot
    actuals, report = latest_actuals(programme)
    for axis in snapshot["axes"]:
        for action in axis["actions"]:
            for indicator in action["indicators"]:
                indicator["actual"] = actuals.get(indicator["id"])
    return {
        "snapshot": snapshot,
        "latest_report": report,
        "indicator_rows": indicator_rows(snapshot, actuals),
        "programme": programme,
    }


def with_public_figures(programmes):
    """``programmes`` (a queryset) with what ``approved_context`` reads, in three queries.

    The public tracker lists every programme with its approved figures: without this, each
    row would cost a query for its approved version and two for its latest report.
    """
    return programmes.prefetch_related(
        Prefetch("reports", queryset=reports_newest_first()),
        Prefetch(
            "versions",
            queryset=ProgrammeVersion.objects.filter(is_approved=True).order_by("-number"),
            to_attr="approved_versions",
        ),
    )


def page_context(page):
    """Context of the public programme page."""
    if page.programme is None:
        return {"snapshot": None}
    return approved_context(page.programme)
