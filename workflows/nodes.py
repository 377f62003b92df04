"""viewflow ``View`` nodes whose permissions follow the centre roles.

viewflow decides who may *execute* a task (its owner) and who may *assign* it; these
subclasses answer those questions with our roles: the centre's editors for the centre's own
tasks, the committee seat holder (or the chair) for committee tasks. Their execute URL also
turns a stale submission (the task was completed meanwhile, or is being completed right now)
into a clear message instead of a bare 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from viewflow.workflow import flow
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.flow import utils as flow_utils
from viewflow.workflow.status import STATUS

from crdla.access import programmes as access
from crdla.centres.models import CommitteeSeat


def task_centre_id(task):
    """The centre of the programme a task belongs to (cached on the task)."""
    cached = getattr(task, "_wf_centre_id", None)
    if cached is None:
        from .models import ProgrammeProcess

        cached = (
            ProgrammeProcess.objects.filter(pk=task.process_id)
            .values_list("programme__centre_id", flat=True)
            .first()
        )
        task._wf_centre_id = cached
    return cached


def wrap_execute_view(flow_task, origin_view):
    """viewflow's own task wrapper, plus a clear message when the task was already handled."""
    inner = flow_utils.wrap_view(flow_task, origin_view)

    def view(request, *args, **kwargs):
        try:
            return inner(request, *args, **kwargs)
        except FlowLockFailed:
            messages.warning(
                request,
                _(
                    "Une autre personne enregistre cette étape en ce moment. "
                    "Rechargez la page dans un instant."
                ),
            )
            return redirect(flow_task.flow_class.instance.reverse("inbox"))
        except PermissionDenied:
            task = flow_task.flow_class.task_class._default_manager.filter(
                pk=kwargs.get("task_pk")
            ).first()
            if (
                task is None
                or task.status not in (STATUS.DONE, STATUS.CANCELED)
                or not flow_task.can_view(request.user, task)
            ):
                raise
            who = task.owner.get_full_name() or task.owner.username if task.owner else "—"
            messages.warning(
                request,
                _(
                    "Cette étape a déjà été traitée (%(who)s, le %(when)s). "
                    "Votre saisie n'a pas été enregistrée."
                )
                % {
                    "who": who,
                    "when": task.finished.strftime("%d/%m/%Y à %H:%M") if task.finished else "—",
                },
            )
            return redirect(
                flow_task.flow_class.instance.reverse("process_detail", args=[task.process_id])
            )

    view.__name__ = getattr(origin_view, "__name__", "execute")
    return view


class CentreTask(flow.View):
    """A human task of the programme process, visible to the people of the programme's centre."""

    @property
    def view_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/execute/",
            wrap_execute_view(self, self.view),
            name="execute",
        )

    def can_view(self, user, task):
        return access.can_view_centre(user, task_centre_id(task))

    def can_unassign(self, user, task):
        return task.owner_id == user.pk or access.is_site_admin(user)


class EditorTask(CentreTask):
    """Done by the centre's editors: any of them may act on it, whoever it is assigned to."""

    def can_execute(self, user, task):
        return task.owner_id is not None and access.is_centre_editor(user, task_centre_id(task))

    def can_assign(self, user, task):
        return not task.owner_id and access.is_centre_editor(user, task_centre_id(task))


class CommitteeTask(CentreTask):
    """Done by one committee seat (an institution), or by the chair when ``institution`` is None."""

    def __init__(self, view, institution=None, **kwargs):
        super().__init__(view, **kwargs)
        self.institution = institution

    def seat_holder_id(self, task):
        seats = CommitteeSeat.objects.filter(centre_id=task_centre_id(task))
        if self.institution:
            seats = seats.filter(institution=self.institution)
        else:
            seats = seats.filter(is_chair=True)
        return seats.values_list("user_id", flat=True).first()

    def can_assign(self, user, task):
        return not task.owner_id and user.is_authenticated and user.pk == self.seat_holder_id(task)

    def can_view(self, user, task):
        """A review's page follows the sealed-review rule of the access policy."""
        if self.institution is None:
            return super().can_view(user, task)
        from .models import ProgrammeProcess

        process = ProgrammeProcess.objects.select_related("programme").get(pk=task.process_id)
        return access.can_open_review_task(user, task, process.programme)
