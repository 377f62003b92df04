"""Admin panels in correct French: Wagtail's inline panel says « Ajouter un(e) <label> »."""

from wagtail.admin.panels import InlinePanel as WagtailInlinePanel


class InlinePanel(WagtailInlinePanel):
    """An inline panel whose add button has its own wording (``add_label``, « Ajouter un
    document »); ``label`` names one item (« Document joint 1 ») and ``heading`` the list."""

    def __init__(self, relation_name, add_label="", **kwargs):
        super().__init__(relation_name, **kwargs)
        self.add_label = add_label

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "add_label": self.add_label}
