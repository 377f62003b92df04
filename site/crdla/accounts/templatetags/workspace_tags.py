"""The « Mon espace » entry of the public menu."""

from django import template

from crdla.accounts.workspace import sections_for

register = template.Library()


@register.inclusion_tag("accounts/workspace_menu.html", takes_context=True)
def workspace_menu(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    sections = sections_for(user) if user is not None else []
    return {"sections": [s for s in sections if s.menu_links], "request": request}
