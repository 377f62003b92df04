"""Wagtail admin: a link to /pilotage/ and the programme tasks of each person on their
dashboard and in « Mon espace ». The committees are edited in ``crdla.centres.wagtail_hooks``."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from crdla.access import programmes as access
from crdla.accounts.workspace import (
    WorkspaceLink,
    WorkspaceRow,
    WorkspaceSection,
    may_use_admin,
)
from crdla.core.templatetags.french import echeance

from .services import task_deadline


class PilotageMenuItem(MenuItem):
    """Shown to the people who have something to do or to follow in /pilotage/."""

    def is_shown(self, request):
        return access.has_pilotage_access(request.user)


@hooks.register("register_admin_menu_item")
def register_pilotage_menu_item():
    # The label wraps in the sidebar (static/css/admin.css) instead of « Pilotage des progr… ».
    return PilotageMenuItem(
        _("Pilotage des programmes"),
        reverse("programme:index"),
        icon_name="tasks",
        order=260,
    )


OPEN_TASKS = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
TASKS_SHOWN = 15


def open_tasks_for(user):
    """The open programme tasks ``user`` has to do (assigned to them) and, for a centre's
    editors, every open task of their centres' programmes; soonest first."""
    tasks = Task.objects.filter(flow_task_type="HUMAN", status__in=OPEN_TASKS)
    mine = tasks.filter(owner=user)
    editor_centres = access.editor_centre_ids(user)
    if editor_centres:
        mine = mine | tasks.filter(
            process__programmeprocess__programme__centre_id__in=editor_centres
        )
    return list(
        mine.distinct()
        .select_related("owner", "process__programmeprocess__programme__centre")
        .order_by("created")[:TASKS_SHOWN]
    )


def task_row(task, user):
    process = task.process.programmeprocess
    programme = process.programme
    centre = programme.centre
    facts = [
        f"{programme.title} ({programme.year}) — {centre.short_name or centre.title}",
        task.get_status_display(),
    ]
    deadline = task_deadline(task, process)
    if deadline:
        facts.append(gettext("échéance : %(date)s") % {"date": echeance(deadline)})
    if task.owner_id and task.owner_id != user.pk:
        facts.append(
            gettext("par %(name)s") % {"name": task.owner.get_full_name() or task.owner.username}
        )
    url = reverse(f"programme:{task.flow_task.name}:index", args=[task.process_id, task.pk])
    return WorkspaceRow(str(task.title), url, facts)


@hooks.register("register_workspace_sections")
def programme_section(user):
    if not access.has_pilotage_access(user):
        return None
    is_editor = bool(access.editor_centre_ids(user))
    return WorkspaceSection(
        key="programmes",
        heading=gettext("Programmes d'actions de mon centre")
        if is_editor
        else gettext("Mes avis et décisions à rendre"),
        order=20,
        rows=[task_row(task, user) for task in open_tasks_for(user)],
        empty=gettext("Aucune tâche en attente."),
        links=[
            WorkspaceLink(gettext("Mes tâches de pilotage"), reverse("programme:inbox")),
            WorkspaceLink(gettext("Pilotage des programmes"), reverse("programme:index")),
        ],
    )


@hooks.register("register_workspace_landing")
def committee_lands_on_inbox(user):
    """A committee member who does not use the admin starts on their task inbox."""
    if access.committee_seats(user) and not may_use_admin(user):
        return reverse("programme:inbox")
    return None
