"""Template tags of the programme process."""

from django import template

from crdla.access import programmes as access

register = template.Library()


@register.inclusion_tag("workflows/includes/nav_link.html", takes_context=True)
def pilotage_nav_link(context):
    """A "Pilotage" entry in the main menu for editors, committee members and administrators."""
    request = context.get("request")
    user = getattr(request, "user", None)
    show = bool(user and user.is_authenticated and access.has_pilotage_access(user))
    return {"show": show, "request": request}


@register.simple_tag(takes_context=True)
def task_summary(context, task):
    """What was recorded on a task, as the signed-in user may read it (reviews are sealed)."""
    request = context.get("request")
    process = task.process.coerced if hasattr(task.process, "coerced") else task.process
    return access.task_summary(request.user, task, process.programme)


@register.simple_tag
def task_deadline(task):
    """When ``task`` is due (``services.task_deadline``), or None."""
    from workflows.services import task_deadline as deadline_of

    process = task.process
    if not hasattr(process, "review_deadline"):
        process = process.programmeprocess  # loaded with the row by the task lists
    return deadline_of(task, process)
