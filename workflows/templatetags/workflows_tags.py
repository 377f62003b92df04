"""Template tags of the programme process."""

from django import template

from workflows import permissions

register = template.Library()


@register.inclusion_tag("workflows/includes/nav_link.html", takes_context=True)
def pilotage_nav_link(context):
    """A "Pilotage" entry in the main menu for editors, committee members and administrators."""
    request = context.get("request")
    user = getattr(request, "user", None)
    show = bool(user and user.is_authenticated and permissions.has_pilotage_access(user))
    return {"show": show, "request": request}
