"""The admin form of a call for tenders: it knows which officer is typing.

« DLA émetteur » is a list of the DLA the access policy lets the user publish for (not a
page chooser opened at the root); a new call starts with the officer's DLA, its département
as the structure's and as the territory, and the centre sector left to choose.
"""

from wagtail.admin.forms import WagtailAdminPageForm

from crdla import access


class CallForTendersPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if "dla" in self.fields and user is not None:
            choices = access.dla_choices(user)
            current = self.instance.dla_id if self.instance.pk else None
            if current is not None and not choices.filter(pk=current).exists():
                # Editing someone else's call: keep its DLA selectable.
                choices = choices | type(self.instance.dla).objects.filter(pk=current)
            self.fields["dla"].queryset = choices.select_related("departement")
            self.fields["dla"].empty_label = None if choices.count() == 1 else "---------"
        if self.instance.pk is None and not self.is_bound and user is not None:
            dla = access.default_dla(user)
            if dla is not None:
                # ``initial`` holds the empty instance's values (None, []): replace them.
                self.initial["dla"] = self.initial.get("dla") or dla.pk
                self.initial["departement"] = self.initial.get("departement") or dla.departement_id
                self.initial["territories"] = self.initial.get("territories") or [
                    dla.departement_id
                ]
            if not self.initial.get("contact_email") and user.email:
                self.initial["contact_email"] = user.email
                self.initial["contact_name"] = user.get_full_name() or user.username
