"""The admin of every role: one dashboard panel per « Mon espace » section, one publish button
during a moderation, forms that do not fight their users (readable document titles, no
autosave behind an open dialog)."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from .workspace import WorkspacePanel, sections_for


@hooks.register("construct_homepage_panels")
def add_workspace_panels(request, panels):
    for section in sections_for(request.user):
        panels.append(WorkspacePanel(section))


@hooks.register("construct_page_action_menu")
def one_way_to_publish_during_moderation(menu_items, request, context):
    """While a page awaits moderation, its moderator publishes by « Approuver et publier »
    (which closes the moderation); « Publier » beside it would leave the task open."""
    if any(getattr(item, "name", None) == "approve" for item in menu_items):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("insert_global_admin_css")
def admin_css():
    """Sidebar labels wrap instead of being cut; the workspace panels' layout."""
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register("insert_global_admin_js")
def admin_forms_js():
    """Readable titles for new documents and images; autosave waits while a dialog is open
    (``static/js/admin-forms.js``)."""
    return format_html('<script src="{}" defer></script>', static("js/admin-forms.js"))
