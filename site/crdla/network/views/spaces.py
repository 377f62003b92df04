"""Exchange spaces: members only (others get a 404, so a space's existence is not leaked)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..access import is_network_animator, network_officers, networks_of
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


def space_for(request, pk, manage=False):
    """The space if the user is a member (or its network's animator); 404 otherwise."""
    space = get_object_or_404(ExchangeSpace.objects.select_related("network"), pk=pk)
    animator = is_network_animator(request.user, space.network)
    member = space.memberships.filter(user=request.user).exists()
    if not (member or animator):
        raise Http404
    if manage and not animator:
        raise PermissionDenied
    space.user_is_animator = animator
    space.user_is_member = member
    return space


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
    role = forms.ChoiceField(label=gettext_lazy("Rôle"), choices=SpaceMembership.Role.choices)

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
    """The spaces the user belongs to, and those they animate."""
    spaces = ExchangeSpace.objects.filter(memberships__user=request.user)
    animated = [n for n in networks_of(request.user) if is_network_animator(request.user, n)]
    managed = ExchangeSpace.objects.filter(network__in=animated)
    return render(
        request,
        "network/spaces/space_list.html",
        {
            "spaces": (spaces | managed).distinct().select_related("network"),
            "can_create": bool(animated),
        },
    )


@private
def space_create(request):
    """The animator creates a space in their network."""
    animated = [n for n in networks_of(request.user) if is_network_animator(request.user, n)]
    if not animated:
        raise PermissionDenied
    form = SpaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        space = form.save(commit=False)
        space.network = animated[0]
        space.save()
        messages.success(request, _("L'espace d'échanges est créé : ajoutez-y des membres."))
        return redirect("network:space-members", pk=space.pk)
    return render(request, "network/spaces/space_form.html", {"form": form})


@private
def space_detail(request, pk):
    """Threads of the space and the form to start one (members)."""
    space = space_for(request, pk)
    form = ThreadForm(request.POST or None)
    if request.method == "POST":
        if not space.user_is_member:
            raise PermissionDenied
        if form.is_valid():
            thread = form.save(commit=False)
            thread.space, thread.author = space, request.user
            thread.save()
            return redirect("network:space-thread", pk=space.pk, thread_pk=thread.pk)
    return render(
        request,
        "network/spaces/space_detail.html",
        {"space": space, "threads": space.threads.select_related("author"), "form": form},
    )


@private
def thread_detail(request, pk, thread_pk):
    """A thread with its replies and the reply form (members)."""
    space = space_for(request, pk)
    thread = get_object_or_404(space.threads.select_related("author"), pk=thread_pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST":
        if not space.user_is_member:
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
def space_leave(request, pk):
    """A member leaves the space."""
    space = space_for(request, pk)
    space.memberships.filter(user=request.user).delete()
    messages.success(request, _("Vous avez quitté l'espace « %(title)s ».") % {"title": space})
    return redirect("network:space-list")


@private
def space_members(request, pk):
    """The animator adds and removes members."""
    space = space_for(request, pk, manage=True)
    form = AddMemberForm(request.POST or None, space=space)
    if request.method == "POST":
        if "remove" in request.POST:
            space.memberships.filter(pk=request.POST.get("remove")).delete()
            messages.success(request, _("Le membre a été retiré de l'espace."))
            return redirect("network:space-members", pk=space.pk)
        if form.is_valid():
            SpaceMembership.objects.get_or_create(
                space=space,
                user=form.cleaned_data["user"],
                defaults={"role": form.cleaned_data["role"]},
            )
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
