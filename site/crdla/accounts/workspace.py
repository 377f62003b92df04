"""« Mon espace »: what each signed-in person works on, gathered from the applications.

Each application says what it offers a user in its own ``wagtail_hooks.py``:

- ``register_workspace_sections``: a function ``(user) -> WorkspaceSection | None`` (the
  actions, e.g. « Rédiger une ressource », the rows, e.g. my drafts with their state, and
  the links, e.g. the intranet). The admin dashboard shows one panel per section
  (``construct_homepage_panels``) and the public menu's « Mon espace » lists the actions
  and links of every section.
- ``register_workspace_landing``: a function ``(user) -> url | None``; after login a user
  lands on the first URL given (committee members on their task inbox), else on the admin
  dashboard when they may use it, else on the home page.

Who may do what is asked of ``crdla.access``; nothing here decides it.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent

SECTIONS_HOOK = "register_workspace_sections"
LANDING_HOOK = "register_workspace_landing"


@dataclass
class WorkspaceLink:
    label: str
    url: str
    primary: bool = False
    menu_only: bool = False  # e.g. « Tableau de bord »: pointless on the dashboard itself


@dataclass
class WorkspaceRow:
    """One item of work: its title and link, and short facts (state, deadline)."""

    title: str
    url: str
    facts: list = field(default_factory=list)


@dataclass
class WorkspaceSection:
    key: str
    heading: str
    order: int = 100
    actions: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    rows_heading: str = ""
    empty: str = ""
    links: list = field(default_factory=list)

    @property
    def menu_links(self):
        return [*self.actions, *self.links]

    @property
    def panel_links(self):
        return [link for link in self.links if not link.menu_only]


def sections_for(user):
    """Every section the applications offer ``user``, in their order."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_crdla_workspace", None)
    if cached is None:
        cached = [section for fn in hooks.get_hooks(SECTIONS_HOOK) if (section := fn(user))]
        cached.sort(key=lambda section: section.order)
        user._crdla_workspace = cached
    return cached


def may_use_admin(user):
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


def landing_url(user):
    """Where ``user`` starts after login."""
    for fn in hooks.get_hooks(LANDING_HOOK):
        url = fn(user)
        if url:
            return url
    if may_use_admin(user):
        return reverse("wagtailadmin_home")
    return "/"


class WorkspacePanel(Component):
    """A dashboard panel of the Wagtail admin home for one section."""

    template_name = "accounts/workspace_panel.html"

    def __init__(self, section):
        self.section = section
        self.order = section.order
        self.name = f"workspace-{section.key}"

    def get_context_data(self, parent_context):
        return {"section": self.section, "panel_id": self.name}


class WorkspaceMenuItem(MenuItem):
    """A sidebar entry whose address depends on the user (``url_for(user)``; hidden on None),
    e.g. « Rédiger une ressource » under the expert's own centre."""

    def __init__(self, label, url_for, **kwargs):
        super().__init__(label, "", **kwargs)
        self.url_for = url_for

    def is_shown(self, request):
        return bool(self.url_for(request.user))

    def render_component(self, request):
        return LinkMenuItemComponent(
            self.name,
            self.label,
            self.url_for(request.user),
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )
