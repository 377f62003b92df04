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


@register.filter
def euros(value):
    """A decimal (or its string from a JSON snapshot) as French money: « 1 500,00 »."""
    from decimal import Decimal, InvalidOperation

    from django.utils.formats import number_format

    if value in (None, ""):
        return "—"
    try:
        value = Decimal(str(value))
    except InvalidOperation:
        return value
    return number_format(value, decimal_pos=2, force_grouping=True)
