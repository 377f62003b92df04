"""Exchange spaces: contents for members only (``crdla.access.spaces`` decides who sees what).

Outsiders get a 404, so a space's existence is not leaked; its managers (the network's animator,
the site administrators) see that it exists and manage it, but read it only once they joined.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from crdla.access import spaces as space_access

from ..access import network_officers
from ..models import ExchangeSpace, SpaceMembership, SpaceReply, SpaceThread


def private(view):
    """Login required, never cached, never indexed."""

    @login_required
    @never_cache
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def space_for(request, pk, manage=False, read=False):
    """The space if the user may see it (404 otherwise); 403 when they may not manage it
    (``manage``) or read its contents (``read``)."""
    space = get_object_or_404(ExchangeSpace.objects.select_related("network"), pk=pk)
    user = request.user
    if not space_access.can_see_space(user, space):
        raise Http404
    if manage and not space_access.can_manage_space(user, space):
        raise PermissionDenied
    if read and not space_access.can_read_space(user, space):
        raise PermissionDenied
    space.user_is_animator = space_access.can_manage_space(user, space)
    space.user_is_member = space_access.is_space_member(user, space)
    space.user_can_read = space_access.can_read_space(user, space)
    space.user_can_post = space_access.can_post_in_space(user, space)
    space.user_can_join = space_access.can_join_space(user, space)
    return space


def add_member(space, user, role):
    """Add ``user`` to the space and tell its members, in the space itself."""
    membership, created = SpaceMembership.objects.get_or_create(
        space=space, user=user, defaults={"role": role}
    )
    if created:
        name = user.get_full_name() or user.username
        SpaceThread.objects.create(
            space=space,
            author=user,
            is_system=True,
            title=_("%(name)s a rejoint l'espace") % {"name": name},
            body=_("%(name)s est membre de l'espace (%(role)s) depuis le %(date)s.")
            % {
                "name": name,
                "role": membership.get_role_display(),
                "date": timezone.localtime().strftime("%d/%m/%Y"),
            },
        )
    return membership


class ThreadForm(forms.ModelForm):
    class Meta:
        model = SpaceThread
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}


class ReplyForm(forms.ModelForm):
    class Meta:
        model = SpaceReply
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}


class SpaceForm(forms.ModelForm):
    class Meta:
        model = ExchangeSpace
        fields = ["title", "description"]


class AddMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label=gettext_lazy("Personne"),
        queryset=get_user_model().objects.none(),
        error_messages={"invalid_choice": gettext_lazy("Cette personne est introuvable.")},
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Rôle"),
        choices=[
            (role.value, role.label)
            for role in (SpaceMembership.Role.OFFICER, SpaceMembership.Role.PARTNER)
        ],
    )

    def __init__(self, *args, space, **kwargs):
        super().__init__(*args, **kwargs)
        officers = network_officers(space.network)
        if "partner" == (self.data.get("role") if self.data else None):
            users = get_user_model().objects.filter(is_active=True)
        else:
            users = officers
        self.fields["user"].queryset = users.exclude(
            pk__in=space.memberships.values("user")
        ).order_by("last_name", "username")


@private
def space_list(request):
    """The spaces the user belongs to, and those they manage."""
    user = request.user
    return render(
        request,
        "network/spaces/space_list.html",
        {
            "spaces": space_access.visible_spaces(user).select_related("network"),
            "can_create": space_access.managed_networks(user).exists(),
        },
    )


@private
def space_create(request):
    """The animator creates a space in their network."""
    networks = list(space_access.managed_networks(request.user)[:1])
    if not networks:
        raise PermissionDenied
    form = SpaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        space = form.save(commit=False)
        space.network = networks[0]
        space.save()
        messages.success(request, _("L'espace d'échanges est créé : ajoutez-y des membres."))
        return redirect("network:space-members", pk=space.pk)
    return render(request, "network/spaces/space_form.html", {"form": form})


@private
def space_detail(request, pk):
    """Threads and members of the space and the form to start one (members); for a manager
    who is not a member, only the space's title, its management links and « Rejoindre »."""
    space = space_for(request, pk)
    form = ThreadForm(request.POST or None)
    if request.method == "POST":
        if not space.user_can_post:
            raise PermissionDenied
        if form.is_valid():
            thread = form.save(commit=False)
            thread.space, thread.author = space, request.user
            thread.save()
            return redirect("network:space-thread", pk=space.pk, thread_pk=thread.pk)
    readable = space.user_can_read
    return render(
        request,
        "network/spaces/space_detail.html",
        {
            "space": space,
            "threads": space.threads.select_related("author") if readable else [],
            "memberships": space.memberships.select_related("user") if readable else [],
            "form": form,
        },
    )


@private
def thread_detail(request, pk, thread_pk):
    """A thread with its replies and the reply form (members)."""
    space = space_for(request, pk, read=True)
    thread = get_object_or_404(space.threads.select_related("author"), pk=thread_pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST":
        if not space.user_can_post or thread.is_system:
            raise PermissionDenied
        if form.is_valid():
            reply = form.save(commit=False)
            reply.thread, reply.author = thread, request.user
            reply.save()
            return redirect("network:space-thread", pk=space.pk, thread_pk=thread.pk)
    return render(
        request,
        "network/spaces/thread_detail.html",
        {
            "space": space,
            "thread": thread,
            "replies": thread.replies.select_related("author"),
            "form": form,
        },
    )


@private
@require_POST
def space_join(request, pk):
    """A manager joins the space to read it; the members see it in the space."""
    space = space_for(request, pk)
    if not space.user_can_join:
        raise PermissionDenied
    add_member(space, request.user, SpaceMembership.Role.MANAGER)
    messages.success(
        request,
        _("Vous avez rejoint l'espace « %(title)s » ; ses membres en sont informés.")
        % {"title": space},
    )
    return redirect("network:space-detail", pk=space.pk)


@private
@require_POST
def space_leave(request, pk):
    """A member leaves the space."""
    space = space_for(request, pk)
    if not space_access.can_leave_space(request.user, space):
        raise PermissionDenied
    space.memberships.filter(user=request.user).delete()
    space_access.forget(request.user)
    messages.success(request, _("Vous avez quitté l'espace « %(title)s ».") % {"title": space})
    if space_access.can_see_space(request.user, space):
        return redirect("network:space-detail", pk=space.pk)
    return redirect("network:space-list")


@private
@require_POST
def space_close(request, pk):
    """A manager closes the space (read-only for its members) or opens it again."""
    space = space_for(request, pk, manage=True)
    if "reopen" in request.POST:
        space.closed_at = None
        messages.success(request, _("L'espace est rouvert."))
    else:
        space.closed_at = timezone.now()
        messages.success(request, _("L'espace est fermé : ses membres le lisent, sans y écrire."))
    space.save(update_fields=["closed_at"])
    return redirect("network:space-detail", pk=space.pk)


@private
def space_members(request, pk):
    """The managers add and remove members."""
    space = space_for(request, pk, manage=True)
    form = AddMemberForm(request.POST or None, space=space)
    if request.method == "POST":
        if "remove" in request.POST:
            space.memberships.filter(pk=request.POST.get("remove")).delete()
            messages.success(request, _("Le membre a été retiré de l'espace."))
            return redirect("network:space-members", pk=space.pk)
        if form.is_valid():
            add_member(space, form.cleaned_data["user"], form.cleaned_data["role"])
            messages.success(request, _("Le membre a été ajouté à l'espace."))
            return redirect("network:space-members", pk=space.pk)
    return render(
        request,
        "network/spaces/space_members.html",
        {
            "space": space,
            "memberships": space.memberships.select_related("user"),
            "form": form,
        },
    )
