"""Views of the programme process.

Task views run inside viewflow's task wrapper (``request.activation``, flow lock, owner
check); the drafting, dashboard and export views check the centre roles themselves.
"""

from functools import cached_property

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from crdla.access import programmes as access
from crdla.centres.models import CentrePage
from crdla.core.csv_export import safe_writer

from . import forms, services
from .models import (
    Action,
    ActionProgramme,
    CommitteeDecision,
    CommitteeReview,
    Decision,
    FollowUpReport,
    Indicator,
    ProgrammeAxisBlock,
    ProgrammeEvaluation,
    ProgrammeProcess,
    ReportIndicatorValue,
    ReportSpending,
)
from .snapshots import indicator_rows, latest_actuals, programme_tree

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def programme_url(programme):
    return reverse("programme:programme_detail", args=[programme.pk])


# --- flow task views ---------------------------------------------------------------------------


class TaskFormView(generic.FormView):
    """A viewflow task form: validates, records the domain data, completes the task."""

    template_name = "workflows/task_form.html"

    @property
    def activation(self):
        return self.request.activation

    @property
    def process(self):
        return self.activation.process

    @cached_property
    def programme(self):
        return self.process.programme

    def get_context_data(self, **kwargs):
        kwargs.setdefault("programme", self.programme)
        kwargs.setdefault("task", self.activation.task)
        kwargs.setdefault("flow_task", self.activation.flow_task)
        kwargs.setdefault("version", services.current_version(self.programme))
        return super().get_context_data(**kwargs)

    def complete(self, summary):
        """Record who did it (any editor may act on an editor task) and move the flow on."""
        task = self.activation.task
        task.owner = self.request.user
        task.data = {**(task.data or {}), "summary": summary}
        self.activation.execute()

    def get_success_url(self):
        return programme_url(self.programme)


class StartProgrammeView(generic.FormView):
    """Start node: an editor opens next year's programme for one of their centres."""

    template_name = "workflows/start.html"
    form_class = forms.StartProgrammeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["centre_ids"] = access.editor_centre_ids(self.request.user)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        programme = services.create_programme(
            data["centre"],
            data["year"],
            data["title"],
            data["summary"],
            self.request.user,
            copy_previous=data["copy_previous"],
        )
        activation = self.request.activation
        activation.process.programme = programme
        activation.execute()
        messages.success(
            self.request,
            _("Le programme « %(title)s » est créé : complétez-le puis soumettez-le au comité.")
            % {"title": programme.title},
        )
        return HttpResponseRedirect(programme_url(programme))


class SubmitProgrammeView(TaskFormView):
    """Draft task: submit to the committee once every rule of a complete programme is met."""

    template_name = "workflows/submit.html"
    form_class = django_forms.Form

    def get_context_data(self, **kwargs):
        kwargs.setdefault("problems", services.submission_problems(self.programme))
        kwargs["previous_reviews"] = access.visible_reviews(
            self.request.user,
            self.programme,
            CommitteeReview.objects.filter(programme=self.programme, round=self.programme.round),
        )
        kwargs["previous_decision"] = CommitteeDecision.objects.filter(
            programme=self.programme, round=self.programme.round
        ).first()
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        problems = services.submission_problems(self.programme)
        if problems:
            messages.error(
                self.request,
                _("Le programme ne peut pas encore être soumis : corrigez les points listés."),
            )
            return self.render_to_response(self.get_context_data(form=form, problems=problems))
        version = services.submit(self.process, self.request.user)
        self.complete(_("Version %(number)s soumise au comité.") % {"number": version.number})
        messages.success(
            self.request,
            _("Le programme est soumis au comité de pilotage (version %(number)s).")
            % {"number": version.number},
        )
        return HttpResponseRedirect(self.get_success_url())


class ReviewView(TaskFormView):
    """Review task: one institution's opinion on the submitted version."""

    template_name = "workflows/review.html"
    form_class = forms.ReviewForm

    def get_context_data(self, **kwargs):
        # In a revision round, the reviewer reads what their institution said last time.
        previous = (
            CommitteeReview.objects.filter(
                programme=self.programme,
                institution=self.activation.flow_task.institution,
                round__lt=self.programme.round,
            )
            .select_related("reviewer")
            .order_by("-round")
            .first()
        )
        if previous is not None and access.can_see_review(self.request.user, previous):
            kwargs["previous_review"] = previous
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        institution = self.activation.flow_task.institution
        review = CommitteeReview.objects.create(
            programme=self.programme,
            version=services.current_version(self.programme),
            round=self.programme.round,
            institution=institution,
            reviewer=self.request.user,
            **form.cleaned_data,
        )
        self.complete(f"{review.get_opinion_display()} — {review.comment}")
        messages.success(self.request, _("Votre avis est enregistré. Merci."))
        return HttpResponseRedirect(self.get_success_url())


class DecisionView(TaskFormView):
    """Chair decision after all the reviews of the round."""

    template_name = "workflows/decision.html"
    form_class = forms.DecisionForm

    def get_initial(self):
        return {"budget_allocated": self.programme.total_financing}

    def get_context_data(self, **kwargs):
        kwargs["reviews"] = access.visible_reviews(
            self.request.user,
            self.programme,
            CommitteeReview.objects.filter(
                programme=self.programme, round=self.programme.round
            ).select_related("reviewer"),
        )
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        decision = CommitteeDecision.objects.create(
            programme=self.programme,
            round=self.programme.round,
            decision=data["decision"],
            comment=data["comment"],
            budget_allocated=data["budget_allocated"]
            if data["decision"] == Decision.APPROVE
            else None,
            decided_by=self.request.user,
        )
        if decision.decision == Decision.APPROVE:
            self.programme.budget_allocated = decision.budget_allocated
            self.programme.save(update_fields=["budget_allocated", "updated"])
        self.process.decision = decision.decision
        self.process.save(update_fields=["decision"])
        self.complete(f"{decision.get_decision_display()} — {decision.comment}")
        # Every committee member and the centre's editors learn the decision and the opinions.
        services.notify_on_commit(self.activation.task, "decided")
        messages.success(
            self.request,
            _("Décision enregistrée : %(decision)s.")
            % {"decision": decision.get_decision_display()},
        )
        return HttpResponseRedirect(self.get_success_url())


class ReportView(TaskFormView):
    """Follow-up report by the centre: indicator actuals, spending by funder, comment."""

    template_name = "workflows/report.html"
    form_class = forms.ReportForm
    kind = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["indicators"] = Indicator.objects.filter(
            action__axis_block__programme=self.programme, target__isnull=False
        ).order_by("action__axis_block__axis__number", "action__order", "action_id", "pk")
        kwargs["financing_lines"] = self.programme.financing_lines.all()
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs["kind_label"] = dict(FollowUpReport._meta.get_field("kind").choices)[self.kind]
        kwargs["due_date"] = services.report_due_date(self.programme, self.kind)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        report = FollowUpReport.objects.create(
            programme=self.programme,
            kind=self.kind,
            comment=form.cleaned_data["comment"],
            filed_by=self.request.user,
        )
        for indicator, field in form.indicator_fields:
            actual = form.cleaned_data[field.name]
            ReportIndicatorValue.objects.create(report=report, indicator=indicator, actual=actual)
            indicator.actual = actual
            indicator.save(update_fields=["actual"])
        ReportSpending.objects.bulk_create(
            ReportSpending(report=report, financing_line=line, spent=form.cleaned_data[f.name])
            for line, f in form.spending_fields
        )
        self.complete(_("%(kind)s déposé.") % {"kind": report.get_kind_display()})
        messages.success(self.request, _("Le bilan est déposé ; le comité en est informé."))
        return HttpResponseRedirect(self.get_success_url())


class AcknowledgeView(TaskFormView):
    """The committee acknowledges a follow-up report."""

    template_name = "workflows/acknowledge.html"
    form_class = forms.AcknowledgeForm
    kind = None

    def get_report(self):
        return get_object_or_404(FollowUpReport, programme=self.programme, kind=self.kind)

    def get_context_data(self, **kwargs):
        report = self.get_report()
        kwargs["report"] = report
        kwargs["values"] = report.indicator_values.select_related("indicator")
        kwargs["spendings"] = report.spendings.select_related("financing_line")
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        report = self.get_report()
        report.acknowledgement = form.cleaned_data["acknowledgement"]
        report.acknowledged_by = self.request.user
        report.acknowledged_at = timezone.now()
        report.save()
        self.complete(
            _("%(kind)s pris en compte — %(comment)s")
            % {"kind": report.get_kind_display(), "comment": report.acknowledgement}
        )
        messages.success(self.request, _("Le bilan est pris en compte."))
        return HttpResponseRedirect(self.get_success_url())


class EvaluationView(TaskFormView):
    """Yearly evaluation by the committee; closes the process."""

    template_name = "workflows/evaluation.html"
    form_class = forms.EvaluationForm

    def form_valid(self, form):
        evaluation = ProgrammeEvaluation.objects.create(
            programme=self.programme, evaluated_by=self.request.user, **form.cleaned_data
        )
        self.complete(f"{evaluation.get_rating_display()} — {evaluation.assessment}")
        messages.success(self.request, _("L'évaluation est enregistrée ; l'année est close."))
        return HttpResponseRedirect(self.get_success_url())


# --- programme pages (outside the task wrapper) ------------------------------------------------


class ProgrammeMixin(LoginRequiredMixin):
    """Loads the programme of the URL and checks that the user may see (or edit) it."""

    require_edit = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.programme = get_object_or_404(
            ActionProgramme.objects.select_related("centre"), pk=kwargs["pk"]
        )
        if not access.can_view_programme(request.user, self.programme):
            raise PermissionDenied
        if self.require_edit and not access.can_edit_programme(request.user, self.programme):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("programme", self.programme)
        return super().get_context_data(**kwargs)


def history(process_ids):
    """Every finished or open human step of the processes: who, what, when, with which comment."""
    return (
        Task.objects.filter(process_id__in=process_ids)
        .exclude(flow_task_type__in=["PARALLEL_GATEWAY", "JOIN", "SWITCH"])
        .exclude(status=STATUS.CANCELED)
        .select_related("owner")
        .order_by("created", "pk")
    )


def history_rows(user, programme, process_ids):
    """The history as ``user`` may read it: each task with its summary, reviews sealed."""
    tasks = list(history(process_ids))
    for task in tasks:
        task._wf_centre_id = programme.centre_id
        task.visible_summary = access.task_summary(user, task, programme, tasks)
    return tasks


class ProgrammeDetailView(ProgrammeMixin, generic.TemplateView):
    """Everything about one programme: content, totals, versions, reviews, reports, history."""

    template_name = "workflows/programme_detail.html"

    def get_context_data(self, **kwargs):
        programme = self.programme
        user = self.request.user
        process_ids = list(programme.processes.values_list("pk", flat=True))
        open_tasks = [
            task
            for task in Task.objects.filter(process_id__in=process_ids, status__in=OPEN)
            .filter(flow_task_type="HUMAN")
            .select_related("owner")
            if task.flow_task.can_execute(user, task) or task.flow_task.can_assign(user, task)
        ]
        plan, total = programme.financing_plan()
        kwargs.update(
            tree=programme_tree(programme),
            financing=plan,
            financing_total=total,
            can_edit=access.can_edit_programme(user, programme),
            versions=programme.versions.select_related("submitted_by"),
            reviews=access.visible_reviews(user, programme),
            pending_reviews=access.returned_review_count(programme),
            decisions=programme.decisions.select_related("decided_by"),
            reports=programme.reports.select_related("filed_by", "acknowledged_by"),
            evaluation=ProgrammeEvaluation.objects.filter(programme=programme).first(),
            history=history_rows(user, programme, process_ids),
            my_tasks=open_tasks,
            process=programme.current_process,
        )
        kwargs["public_page"] = getattr(programme, "page", None)
        return super().get_context_data(**kwargs)


class ProgrammeEditView(ProgrammeMixin, generic.TemplateView):
    """Title, summary and the objectives of the four axes, saved together or not at all."""

    template_name = "workflows/programme_edit.html"
    require_edit = True

    def get_forms(self):
        data = self.request.POST if self.request.method == "POST" else None
        info = forms.ProgrammeInfoForm(data, instance=self.programme, prefix="info")
        axes = [
            (block, forms.AxisObjectivesForm(data, instance=block, prefix=f"axis-{block.pk}"))
            for block in ProgrammeAxisBlock.objects.filter(programme=self.programme).select_related(
                "axis"
            )
        ]
        return info, axes

    def get(self, request, *args, **kwargs):
        info, axes = self.get_forms()
        return self.render_to_response(self.get_context_data(info_form=info, axis_forms=axes))

    def post(self, request, *args, **kwargs):
        info, axes = self.get_forms()
        if info.is_valid() and all(form.is_valid() for _block, form in axes):
            with transaction.atomic():
                info.save()
                for _block, form in axes:
                    form.save()
            messages.success(request, _("Le programme est enregistré."))
            return redirect(programme_url(self.programme))
        return self.render_to_response(self.get_context_data(info_form=info, axis_forms=axes))


class ActionEditView(ProgrammeMixin, generic.TemplateView):
    """An action and its indicators: both forms valid, or nothing is saved."""

    template_name = "workflows/action_form.html"
    require_edit = True

    def get_objects(self):
        if "action_pk" in self.kwargs:
            action = get_object_or_404(
                Action.objects.select_related("axis_block__axis"),
                pk=self.kwargs["action_pk"],
                axis_block__programme=self.programme,
            )
            return action.axis_block, action
        block = get_object_or_404(
            ProgrammeAxisBlock.objects.select_related("axis"),
            programme=self.programme,
            axis__number=self.kwargs["axis"],
        )
        return block, Action(axis_block=block)

    def get_forms(self, action):
        data = self.request.POST if self.request.method == "POST" else None
        return (
            forms.ActionForm(data, instance=action, prefix="action"),
            forms.IndicatorFormSet(data, instance=action, prefix="indicators"),
        )

    def get(self, request, *args, **kwargs):
        block, action = self.get_objects()
        form, formset = self.get_forms(action)
        return self.render_to_response(
            self.get_context_data(block=block, action=action, form=form, formset=formset)
        )

    def post(self, request, *args, **kwargs):
        block, action = self.get_objects()
        form, formset = self.get_forms(action)
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                action = form.save()
                formset.instance = action
                formset.save()
            messages.success(
                request, _("L'action « %(title)s » est enregistrée.") % {"title": action.title}
            )
            return redirect(programme_url(self.programme) + f"#axe-{block.axis.number}")
        messages.error(request, _("L'action n'a pas été enregistrée : corrigez les erreurs."))
        return self.render_to_response(
            self.get_context_data(block=block, action=action, form=form, formset=formset),
            status=400,
        )


class ActionDeleteView(ProgrammeMixin, generic.View):
    """Remove an action (and its indicators) from a draft."""

    require_edit = True

    def post(self, request, *args, **kwargs):
        action = get_object_or_404(
            Action, pk=kwargs["action_pk"], axis_block__programme=self.programme
        )
        action.delete()
        messages.success(request, _("L'action est supprimée."))
        return redirect(programme_url(self.programme))


class FinancingEditView(ProgrammeMixin, generic.TemplateView):
    """The financing plan by funder, saved as a whole or not at all."""

    template_name = "workflows/financing_form.html"
    require_edit = True

    def get_formset(self):
        data = self.request.POST if self.request.method == "POST" else None
        return forms.FinancingFormSet(data, instance=self.programme, prefix="financing")

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(formset=self.get_formset()))

    def post(self, request, *args, **kwargs):
        formset = self.get_formset()
        if formset.is_valid():
            with transaction.atomic():
                formset.save()
            messages.success(request, _("Le plan de financement est enregistré."))
            return redirect(programme_url(self.programme) + "#financement")
        messages.error(
            request, _("Le plan de financement n'a pas été enregistré : corrigez les erreurs.")
        )
        return self.render_to_response(self.get_context_data(formset=formset), status=400)


class ProgrammeCSVView(ProgrammeMixin, generic.View):
    """CSV export of a programme: actions, indicators with targets and actuals, financing."""

    def get(self, request, *args, **kwargs):
        programme = self.programme
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"programme-{programme.centre.slug}-{programme.year}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.write("\ufeff")  # so that spreadsheet software reads UTF-8
        writer = safe_writer(response)
        writer.writerow([_("Programme"), programme.title, programme.year, str(programme.centre)])
        writer.writerow([_("Statut"), programme.get_status_display()])
        writer.writerow([])
        writer.writerow(
            [
                _("Axe"),
                _("Action"),
                _("Pilotage"),
                _("ETP"),
                _("Budget (€)"),
                _("Indicateur"),
                _("Unité"),
                _("Cible"),
                _("Réalisé"),
            ]
        )
        for block in programme_tree(programme):
            for action in block.actions.all():
                indicators = list(action.indicators.all()) or [None]
                for indicator in indicators:
                    writer.writerow(
                        [
                            block.axis.number,
                            action.title,
                            action.get_lead_kind_display(),
                            action.etp,
                            action.budget,
                            indicator.label if indicator else "",
                            indicator.unit if indicator else "",
                            ""
                            if indicator is None or indicator.target is None
                            else indicator.target,
                            ""
                            if indicator is None or indicator.actual is None
                            else indicator.actual,
                        ]
                    )
        writer.writerow([])
        writer.writerow([_("Financeur"), _("Précision"), _("Montant (€)"), _("Part (%)")])
        plan, total = programme.financing_plan()
        for line, share in plan:
            writer.writerow([line.get_funder_display(), line.detail, line.amount, share])
        writer.writerow([_("Total"), "", total, "100"])
        return response


# --- dashboards --------------------------------------------------------------------------------


class OverviewView(LoginRequiredMixin, generic.TemplateView):
    """/pilotage/: the centres the user follows, their open tasks, and how to start a programme."""

    template_name = "workflows/overview.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not access.has_pilotage_access(user):
            raise PermissionDenied
        ids = access.visible_centre_ids(user)
        centres = CentrePage.objects.order_by("title")
        if ids is not None:
            centres = centres.filter(pk__in=ids)
        inbox = (
            Task.objects.filter(owner=user, status=STATUS.ASSIGNED, flow_task_type="HUMAN")
            .select_related("process__programmeprocess__programme__centre")
            .order_by("created")
        )
        kwargs.update(
            centres=centres,
            inbox=inbox,
            can_start=access.can_start_programme(user),
            start_url=reverse("programme:start:execute"),
        )
        return super().get_context_data(**kwargs)


class CentreDashboardView(LoginRequiredMixin, generic.TemplateView):
    """A centre's committee dashboard: programmes by year and status, open tasks, indicators."""

    template_name = "workflows/centre_dashboard.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.centre = get_object_or_404(CentrePage, pk=kwargs["centre_pk"])
        if not access.can_view_centre(request.user, self.centre.pk):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        programmes = list(ActionProgramme.objects.filter(centre=self.centre).order_by("-year"))
        selected = None
        wanted = self.request.GET.get("programme")
        if wanted:
            selected = next((p for p in programmes if str(p.pk) == wanted), None)
            if selected is None:
                raise Http404
        else:
            selected = next((p for p in programmes if p.approved_version), None)
        rows = []
        if selected is not None and selected.approved_version:
            actuals, _report = latest_actuals(selected)
            rows = indicator_rows(selected.approved_version.snapshot, actuals)
        open_tasks = (
            Task.objects.filter(
                process__in=ProgrammeProcess.objects.filter(programme__centre=self.centre),
                status__in=OPEN,
                flow_task_type="HUMAN",
            )
            .select_related("owner", "process__programmeprocess__programme")
            .order_by("created")
        )
        kwargs.update(
            centre=self.centre,
            programmes=programmes,
            selected=selected,
            indicator_rows=rows,
            open_tasks=open_tasks,
            members=self.centre.committee_seats.select_related("user"),
        )
        return super().get_context_data(**kwargs)
