"""The public programme tracker (/programmes/): every centre's programmes by year.

Public means approved: a programme still in preparation or under review shows its status
only; the figures (budget by funder, ETP, actions, indicators against their targets, report
dates) come from the version the committee approved, never from a draft or a review.
"""

import re

from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from crdla import access
from crdla.centres.models import CentrePage
from crdla.pagecache import generation

from .models import ActionProgramme, ProgrammePage, ProgrammeStatus, ReportKind
from .services import report_due_date
from .snapshots import approved_context, with_public_figures

YEAR_RE = re.compile(r"[0-9]{4}")
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]{1,100}")

PREPARATION = ("preparation", _("En préparation"))
REVIEW = ("review", _("En cours d'examen par le comité"))
APPROVED = ("approved", _("Validé"))
FOLLOW_UP = ("follow_up", _("En suivi"))
EVALUATED = ("evaluated", _("Évalué"))
NOT_APPROVED = ("rejected", _("Non validé"))
PUBLIC_STATUSES = [PREPARATION, REVIEW, APPROVED, FOLLOW_UP, EVALUATED, NOT_APPROVED]


def public_status(programme, has_reports):
    """The stage shown to the public (a revision is still « in preparation »)."""
    if programme.status == ProgrammeStatus.SUBMITTED:
        return REVIEW
    if programme.status == ProgrammeStatus.APPROVED:
        return FOLLOW_UP if has_reports else APPROVED
    if programme.status == ProgrammeStatus.EVALUATED:
        return EVALUATED
    if programme.status == ProgrammeStatus.REJECTED:
        return NOT_APPROVED
    return PREPARATION


def report_schedule(programme, reports):
    """Each follow-up report: filed on (and acknowledged on), or due by."""
    filed = {report.kind: report for report in reports}
    return [
        {
            "label": kind.label,
            "report": filed.get(kind.value),
            "due": report_due_date(programme, kind.value),
        }
        for kind in ReportKind
    ]


def tracker_rows(programmes):
    """One entry per programme: public status, and the approved figures when there are some."""
    page_by_programme = {
        page.programme_id: page
        for page in access.public_pages(ProgrammePage.objects.all()).filter(
            programme__in=programmes
        )
    }
    rows = []
    for programme in programmes:
        reports = list(programme.reports.all())
        status_code, status_label = public_status(programme, bool(reports))
        row = {
            "programme": programme,
            "status": status_code,
            "status_label": status_label,
            "page": page_by_programme.get(programme.pk),
        }
        if programme.status in (ProgrammeStatus.APPROVED, ProgrammeStatus.EVALUATED):
            row.update(approved_context(programme))
            row["reports"] = report_schedule(programme, reports)
            row["evaluation"] = getattr(programme, "evaluation", None)
        rows.append(row)
    return rows


def filter_options(request):
    """The centres and years the tracker can be filtered by, read once per cache generation."""

    def read():
        programmes = ActionProgramme.objects.filter(
            centre__in=access.public_pages(CentrePage.objects.all())
        )
        centres = (
            access.public_pages(CentrePage.objects.all())
            .filter(action_programmes__isnull=False)
            .distinct()
        )
        return {
            "centres": [(centre.slug, str(centre)) for centre in centres],
            "years": sorted(set(programmes.values_list("year", flat=True)), reverse=True),
        }

    return generation.remember_for_request(request, "crdla-tracker-options", read)


def programme_tracker(request):
    """Public list of the centres' action programmes, filtered by ``centre`` and ``annee``.

    The rows are rendered once per cache generation and filter (``{% fragment_cache %}`` in
    the template; every change of programme data bumps the generation, ``workflows.signals``):
    they are computed only when the fragment is not cached.
    """
    options = filter_options(request)
    programmes = with_public_figures(
        ActionProgramme.objects.filter(
            centre__live=True, centre__in=access.public_pages(CentrePage.objects.all())
        )
        .select_related("centre", "evaluation")
        .order_by("-year", "centre__path")
    )
    selected = {}
    centre = request.GET.get("centre", "").strip()[:100]
    if SLUG_RE.fullmatch(centre) and any(slug == centre for slug, _label in options["centres"]):
        programmes = programmes.filter(centre__slug=centre)
        selected["centre"] = centre
    year = request.GET.get("annee", "").strip()[:4]
    if YEAR_RE.fullmatch(year) and int(year) in options["years"]:
        programmes = programmes.filter(year=int(year))
        selected["annee"] = year
    context = {
        "rows": SimpleLazyObject(lambda: tracker_rows(list(programmes))),
        "selected": selected,
        "centre_options": options["centres"],
        "year_options": [(str(y), str(y)) for y in options["years"]],
        "statuses": [label for code, label in PUBLIC_STATUSES if code != NOT_APPROVED[0]],
    }
    return render(request, "workflows/tracker.html", context)
