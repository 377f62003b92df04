"""Who may see and do what in the programme process, by role and by centre.

Centre editors are the members of ``roles.editor_group_name(centre)``; committee seats come
from ``CommitteeMembership``. Results are cached on the user object for the request.
"""

from crdla.accounts import roles


def is_site_admin(user):
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_wf_is_admin", None)
    if cached is None:
        cached = user.groups.filter(name=roles.ADMINISTRATORS).exists()
        user._wf_is_admin = cached
    return cached


def editor_centre_ids(user):
    """Ids of the centres whose editors group the user belongs to."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_wf_editor_centres", None)
    if cached is None:
        from crdla.centres.models import CentrePage

        names = set(
            user.groups.filter(name__startswith=roles.EDITOR_PREFIX).values_list("name", flat=True)
        )
        cached = set()
        if names:
            cached = {
                centre.pk
                for centre in CentrePage.objects.only("pk", "title", "short_name")
                if roles.editor_group_name(centre) in names
            }
        user._wf_editor_centres = cached
    return cached


def committee_seats(user):
    """{centre id: membership} of the committees the user sits on."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_wf_seats", None)
    if cached is None:
        from .models import CommitteeMembership

        cached = {m.centre_id: m for m in CommitteeMembership.objects.filter(user=user)}
        user._wf_seats = cached
    return cached


def is_centre_editor(user, centre_id):
    return centre_id in editor_centre_ids(user)


def is_committee_member(user, centre_id):
    return centre_id in committee_seats(user)


def is_chair(user, centre_id):
    seat = committee_seats(user).get(centre_id)
    return bool(seat and seat.is_chair)


def can_view_centre(user, centre_id):
    """Editors and committee members of the centre, and site administrators."""
    return (
        is_site_admin(user)
        or is_centre_editor(user, centre_id)
        or is_committee_member(user, centre_id)
    )


def visible_centre_ids(user):
    """None means every centre (site administrators)."""
    if is_site_admin(user):
        return None
    return editor_centre_ids(user) | set(committee_seats(user))


def has_pilotage_access(user):
    """Whether /pilotage/ has anything for this user."""
    return is_site_admin(user) or bool(editor_centre_ids(user)) or bool(committee_seats(user))


def can_view_programme(user, programme):
    return can_view_centre(user, programme.centre_id)


def can_edit_programme(user, programme):
    """Only the centre's editors, and only while the programme is a draft or under revision."""
    return programme.is_editable and is_centre_editor(user, programme.centre_id)
