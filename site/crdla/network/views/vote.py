"""Views of the common programme vote (mounted under /reseaux/vote/).

Who may submit and who may vote is the status machine's answer (``flows.CommonProgrammeFlow``:
each transition's permission); these views ask it, then run the transition.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import inlineformset_factory
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..access import is_network_animator, is_network_member, networks_of
from ..flows import NO_ACTION, CommonProgrammeFlow, cast_vote, start_programme, submit_programme
from ..models import ProgrammeAction, RegionalProgramme, RegionalProgrammeStatus, VoteChoice
from .spaces import private


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = RegionalProgramme
        fields = ["year", "title", "introduction"]


ActionFormSet = inlineformset_factory(
    RegionalProgramme,
    ProgrammeAction,
    fields=["need", "title", "description", "order"],
    extra=2,
    can_delete=True,
    widgets={"description": forms.Textarea(attrs={"rows": 3})},
)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=gettext_lazy("Votre vote"),
        choices=VoteChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choisissez « pour » ou « contre ».")},
    )
    comment = forms.CharField(
        label=gettext_lazy("Commentaire"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Obligatoire pour un vote « contre » : expliquez votre objection."),
    )

    def clean(self):
        data = super().clean()
        if data.get("choice") == VoteChoice.AGAINST and not data.get("comment", "").strip():
            self.add_error("comment", _("Expliquez votre objection pour un vote « contre »."))
        return data


def programme_for(request, pk, animator=False):
    programme = get_object_or_404(RegionalProgramme.objects.select_related("network"), pk=pk)
    if not is_network_member(request.user, programme.network):
        raise PermissionDenied
    if animator and not is_network_animator(request.user, programme.network):
        raise PermissionDenied
    return programme


@private
def programme_list(request):
    networks = list(networks_of(request.user))
    if not networks:
        raise PermissionDenied
    animated = [n for n in networks if is_network_animator(request.user, n)]
    return render(
        request,
        "network/vote/programme_list.html",
        {
            "programmes": RegionalProgramme.objects.filter(network__in=networks).select_related(
                "network"
            ),
            "can_create": bool(animated),
        },
    )


@private
def programme_create(request):
    animated = [n for n in networks_of(request.user) if is_network_animator(request.user, n)]
    if not animated:
        raise PermissionDenied
    network = animated[0]
    form = ProgrammeForm(request.POST or None, initial={"year": timezone.now().year + 1})
    if request.method == "POST" and form.is_valid():
        if RegionalProgramme.objects.filter(
            network=network, year=form.cleaned_data["year"]
        ).exists():
            form.add_error("year", _("Un programme commun existe déjà pour cette année."))
        else:
            programme = start_programme(
                network,
                form.cleaned_data["year"],
                form.cleaned_data["title"],
                request.user,
                form.cleaned_data["introduction"],
            )
            return redirect("network:programme-edit", pk=programme.pk)
    return render(request, "network/vote/programme_form.html", {"form": form, "formset": None})


@private
def programme_edit(request, pk):
    programme = programme_for(request, pk, animator=True)
    if programme.status != RegionalProgrammeStatus.DRAFT:
        messages.error(request, _("Le programme ne peut être modifié que pendant sa rédaction."))
        return redirect("network:programme-detail", pk=programme.pk)
    form = ProgrammeForm(request.POST or None, instance=programme)
    formset = ActionFormSet(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        form.save()
        formset.save()
        messages.success(request, _("Le programme est enregistré."))
        return redirect("network:programme-detail", pk=programme.pk)
    return render(
        request,
        "network/vote/programme_form.html",
        {"form": form, "formset": formset, "programme": programme},
    )


def detail_context(request, programme, vote_form=None):
    flow = CommonProgrammeFlow(programme)
    may_vote = flow.allows("vote", request.user)
    return {
        "programme": programme,
        "actions": programme.actions.all(),
        "ballot": programme.current_ballots().filter(voter=request.user).first(),
        "vote_form": (vote_form or VoteForm()) if may_vote else None,
        "is_animator": flow.is_animator(request.user),
        "may_submit": flow.allows("submit", request.user)
        and flow.submit.can_proceed(check_conditions=False),
        "ballots": programme.current_ballots().select_related("voter"),
        "past_ballots": programme.votes.exclude(round=programme.round)
        .exclude(choice="")
        .select_related("voter")
        .order_by("-round", "pk"),
    }


@private
def programme_detail(request, pk):
    programme = programme_for(request, pk)
    return render(request, "network/vote/programme_detail.html", detail_context(request, programme))


@private
@require_POST
def programme_submit(request, pk):
    programme = programme_for(request, pk)
    flow = CommonProgrammeFlow(programme)
    if not flow.allows("submit", request.user):
        raise PermissionDenied
    if not flow.submit.can_proceed(check_conditions=False):
        messages.error(request, _("Le programme n'est plus en rédaction."))
    elif not flow.submit.can_proceed():
        messages.error(request, NO_ACTION)
    elif submit_programme(programme):
        messages.success(request, _("Le vote est ouvert : les chargés de mission sont prévenus."))
    return redirect("network:programme-detail", pk=programme.pk)


@private
@require_POST
def programme_vote(request, pk):
    programme = programme_for(request, pk)
    if not CommonProgrammeFlow(programme).allows("vote", request.user):
        raise PermissionDenied
    form = VoteForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "network/vote/programme_detail.html",
            detail_context(request, programme, vote_form=form),
            status=400,
        )
    ballot = cast_vote(
        programme, request.user, form.cleaned_data["choice"], form.cleaned_data["comment"]
    )
    if ballot is None:  # the round closed or the ballot was cast meanwhile
        raise PermissionDenied
    messages.success(request, _("Votre vote est enregistré."))
    return redirect("network:programme-detail", pk=programme.pk)
