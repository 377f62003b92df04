"""The admin form of a resource: a new resource starts with its centre's sector ticked."""

from wagtail.admin.forms import WagtailAdminPageForm


class ResourcePageForm(WagtailAdminPageForm):
    """Pre-sets « Secteurs » to the sector of the centre the resource is written in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.is_bound and "sectors" in self.fields:
            centre = self.centre_of(self.parent_page)
            if centre is not None and centre.sector_id:
                self.initial["sectors"] = [centre.sector_id]

    @staticmethod
    def centre_of(parent_page):
        from crdla.centres.models import CentrePage

        if parent_page is None:
            return None
        return CentrePage.objects.ancestor_of(parent_page, inclusive=True).first()
