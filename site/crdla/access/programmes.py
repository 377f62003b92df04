"""Who may see and do what in the programme process, and who may read the committee's reviews.

Centre editors are the members of the centre's editors group (``CentreGroup``, linked to the
centre by id, never found by its name); committee members are
the accounts linked to a centre's ``CommitteeSeat`` (the same seats the public page lists). Results are cached on the user object for the request.

Reviews are sealed until the chair decides the round they belong to:

- before the decision, a committee member sees their own institution's review and how many
  reviews were returned, nothing else; the chair sees every review of the round;
- once the round is decided (approved, sent back for revision or rejected), the centre's
  committee members, the centre's editors and the site administrators see them;
- the public never does (the public tracker and page show approved figures only).

This module sits below the ``workflows`` application: it reaches its models through the app
registry, never by importing it.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crdla.access.pages import member_of
from crdla.accounts import roles

SEALED_REVIEW = _("Avis scellé jusqu'à la décision de la présidence.")


def _model(name):
    return apps.get_model("workflows", name)


# --- roles ------------------------------------------------------------------------------------


def is_site_admin(user):
    return member_of(user, [roles.ADMINISTRATORS])


def editor_centre_ids(user):
    """Ids of the centres whose editors group the user belongs to."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_wf_editor_centres", None)
    if cached is None:
        links = apps.get_model("centres", "CentreGroup").objects.filter(
            role=roles.EDITORS, group__user=user
        )
        cached = set(links.values_list("centre_id", flat=True))
        user._wf_editor_centres = cached
    return cached


def centre_editors(centre_id):
    """The active accounts of the centre's editors group."""
    return get_user_model().objects.filter(
        is_active=True,
        groups__centre_link__centre_id=centre_id,
        groups__centre_link__role=roles.EDITORS,
    )


def committee_seats(user):
    """{centre id: seat} of the committees the user sits on."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_wf_seats", None)
    if cached is None:
        seats = apps.get_model("centres", "CommitteeSeat").objects.filter(user=user)
        cached = {seat.centre_id: seat for seat in seats}
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


def can_start_programme(user):
    return bool(editor_centre_ids(user))


def can_view_programme(user, programme):
    return can_view_centre(user, programme.centre_id)


def can_edit_programme(user, programme):
    """Only the centre's editors, and only while the programme is a draft or under revision."""
    return programme.is_editable and is_centre_editor(user, programme.centre_id)


# --- sealed reviews ----------------------------------------------------------------------------


def decided_rounds(programme):
    """The review rounds of ``programme`` the chair has decided (cached on the programme)."""
    cached = getattr(programme, "_access_decided_rounds", None)
    if cached is None:
        cached = set(
            _model("CommitteeDecision")
            .objects.filter(programme_id=programme.pk)
            .values_list("round", flat=True)
        )
        programme._access_decided_rounds = cached
    return cached


def can_see_round_reviews(user, programme, round_number, institution=None):
    """May ``user`` read the review of ``institution`` (any review when None) in that round?"""
    if not user.is_authenticated:
        return False
    centre_id = programme.centre_id
    seat = committee_seats(user).get(centre_id)
    if round_number in decided_rounds(programme):
        return bool(seat) or is_centre_editor(user, centre_id) or is_site_admin(user)
    if seat is None:
        return False
    return seat.is_chair or (institution is not None and seat.institution == institution)


def can_see_review(user, review, programme=None):
    """May ``user`` read this review's opinion and comment?"""
    programme = programme or review.programme
    if review.reviewer_id is not None and review.reviewer_id == user.pk:
        return True
    return can_see_round_reviews(user, programme, review.round, review.institution)


def visible_reviews(user, programme, reviews=None):
    """The reviews of ``programme`` (or the given ones) that ``user`` may read."""
    if reviews is None:
        reviews = programme.reviews.select_related("reviewer")
    return [review for review in reviews if can_see_review(user, review, programme)]


def decision_audience(programme):
    """Who is told of the chair's decision, with the round's opinions: the centre's committee
    members and its editors, the people who may read a decided round's reviews (see above)."""
    seats = apps.get_model("centres", "CommitteeSeat").objects.filter(
        centre_id=programme.centre_id, user__isnull=False
    )
    editors = centre_editors(programme.centre_id)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(pk__in=seats.values("user_id")) | Q(pk__in=editors.values("pk")))
        .order_by("pk")
    )


def returned_review_count(programme):
    """How many reviews were returned in the rounds not decided yet (no content)."""
    return programme.reviews.exclude(round__in=decided_rounds(programme)).count()


# --- the process's task history ---------------------------------------------------------------


def review_institution(task):
    """The institution of a review task, or None for any other task (duck typing on the node)."""
    return getattr(task.flow_task, "institution", None)


def task_round(task, process_tasks):
    """The review round a task belongs to: the drafting steps opened before it.

    Round n's reviews open when draft n is submitted, and draft n + 1 opens only once the chair
    has decided round n, so the drafts opened up to the review's opening are rounds 1 to n.
    """
    return sum(
        1
        for other in process_tasks
        if getattr(other.flow_task, "name", None) == "draft"
        and other.status != "CANCELED"
        and other.created <= task.created
    )


def can_see_task_result(user, task, programme, process_tasks=None):
    """May ``user`` read what was recorded on ``task`` (its summary, e.g. a review comment)?

    Only review tasks are sealed; any other task's summary is visible to whoever may see the
    programme's process.
    """
    institution = review_institution(task)
    if institution is None:
        return True
    if task.owner_id is not None and task.owner_id == user.pk:
        return True
    if process_tasks is None:
        process_tasks = list(task.__class__.objects.filter(process_id=task.process_id))
    return can_see_round_reviews(user, programme, task_round(task, process_tasks), institution)


def task_summary(user, task, programme, process_tasks=None):
    """The summary of ``task`` as ``user`` may see it: the recorded text, or a sealed mark."""
    summary = (task.data or {}).get("summary", "")
    if not summary:
        return ""
    if can_see_task_result(user, task, programme, process_tasks):
        return summary
    return SEALED_REVIEW


def can_open_review_task(user, task, programme):
    """The detail page of a review task: whoever may read that review (see above)."""
    return is_site_admin(user) or can_see_task_result(user, task, programme)
