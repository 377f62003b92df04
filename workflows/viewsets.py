"""The /pilotage/ application: viewflow's own inbox, queue, archive, process and task pages,
scoped to the centres of the user and themed with our base template, plus the programme pages.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow import views as flow_views
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from crdla.access import programmes as access

from . import views
from .models import ProgrammeProcess

TASK_RELATED = ("owner", "process__programmeprocess__programme__centre")


def scope_tasks(queryset, user):
    """Tasks of the processes of the centres the user may see."""
    centre_ids = access.visible_centre_ids(user)
    if centre_ids is not None:
        queryset = queryset.filter(process__programmeprocess__programme__centre_id__in=centre_ids)
    return queryset


def scope_processes(queryset, user):
    centre_ids = access.visible_centre_ids(user)
    if centre_ids is not None:
        queryset = queryset.filter(programme__centre_id__in=centre_ids)
    return queryset


class TaskListMixin:
    """Our own template for viewflow's task lists, with the rows loaded in one query."""

    template_name = "workflows/programme/task_list_page.html"
    paginate_by = 50

    def get_queryset(self):
        return super().get_queryset().select_related(*TASK_RELATED)


class InboxView(TaskListMixin, flow_views.FlowInboxListView):
    list_kind = "inbox"


class QueueView(TaskListMixin, flow_views.FlowQueueListView):
    list_kind = "queue"

    @property
    def queryset(self):
        tasks = Task.objects.filter(
            process__flow_class=self.flow_class, flow_task_type="HUMAN", status=STATUS.NEW
        )
        return scope_tasks(tasks, self.request.user).order_by("-created")


class ArchiveView(TaskListMixin, flow_views.FlowArchiveListView):
    list_kind = "archive"


class AllTasksView(TaskListMixin, flow_views.DashboardTaskListView):
    list_kind = "tasks"

    @property
    def queryset(self):
        tasks = Task.objects.filter(process__flow_class=self.flow_class, flow_task_type="HUMAN")
        return scope_tasks(tasks, self.request.user).order_by("-created")


class ProcessListView(flow_views.DashboardProcessListView):
    template_name = "workflows/programme/process_list_page.html"
    paginate_by = 50

    def get_queryset(self):
        queryset = super().get_queryset().select_related("programme__centre")
        return scope_processes(queryset, self.request.user)


class ProcessDetailView(flow_views.DetailProcessView):
    """viewflow's process page: the full history, for the centre's editors and committee."""

    template_name = "workflows/programme/process_detail_page.html"

    def get_queryset(self):
        return ProgrammeProcess.objects.filter(flow_class=self.flow_class).select_related(
            "programme__centre"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rows = []
        for task in views.history_rows(user, self.object.programme, [self.object.pk]):
            can_view = hasattr(task.flow_task, "can_view") and task.flow_task.can_view(user, task)
            rows.append((task, can_view))
        context["rows"] = rows
        context["programme"] = self.object.programme
        return context


class ChartView(flow_views.FlowChartView):
    """The flow chart; a process's own chart only for the people of its centre."""

    def dispatch(self, request, *args, **kwargs):
        process_pk = kwargs.get("process_pk")
        if process_pk is not None:
            process = ProgrammeProcess.objects.filter(pk=process_pk).first()
            if process is None or not self.flow_class.instance.has_view_permission(
                request.user, process
            ):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PilotageViewset(FlowAppViewset):
    """viewflow's flow application for ProgrammeFlow, mounted at /pilotage/."""

    base_template_name = "workflows/pilotage_base.html"
    inbox_view_class = InboxView
    queue_view_class = QueueView
    archive_view_class = ArchiveView
    task_list_view_class = AllTasksView
    process_list_view_class = ProcessListView
    process_detail_view_class = ProcessDetailView
    chart_view_class = ChartView

    def has_view_permission(self, user, obj=None):
        # viewflow's SiteMiddleware asks this before every view; anonymous visitors go on to
        # the login_required wrapper of each URL, which sends them to the login page.
        if not user.is_authenticated:
            return True
        return super().has_view_permission(user, obj=obj)

    @property
    def index_path(self):
        return path("", views.OverviewView.as_view(), name="index")

    centre_dashboard_path = path(
        "centres/<int:centre_pk>/", views.CentreDashboardView.as_view(), name="centre_dashboard"
    )
    programme_detail_path = path(
        "programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"
    )
    programme_edit_path = path(
        "programmes/<int:pk>/modifier/", views.ProgrammeEditView.as_view(), name="programme_edit"
    )
    action_create_path = path(
        "programmes/<int:pk>/axes/<int:axis>/actions/ajouter/",
        views.ActionEditView.as_view(),
        name="action_create",
    )
    action_edit_path = path(
        "programmes/<int:pk>/actions/<int:action_pk>/modifier/",
        views.ActionEditView.as_view(),
        name="action_edit",
    )
    action_delete_path = path(
        "programmes/<int:pk>/actions/<int:action_pk>/supprimer/",
        views.ActionDeleteView.as_view(),
        name="action_delete",
    )
    financing_path = path(
        "programmes/<int:pk>/financement/",
        views.FinancingEditView.as_view(),
        name="financing_edit",
    )
    csv_path = path(
        "programmes/<int:pk>/export.csv", views.ProgrammeCSVView.as_view(), name="programme_csv"
    )
