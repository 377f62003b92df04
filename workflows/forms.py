"""Forms of the programme process: drafting, reviews, decision, reports, evaluation."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crdla.centres.models import CentrePage
from crdla.core.templatetags.french import quantite

from .models import (
    Action,
    ActionProgramme,
    Decision,
    EvaluationRating,
    FinancingLine,
    Indicator,
    Opinion,
    ProgrammeAxisBlock,
)


class FrenchDecimalField(forms.DecimalField):
    """Accepts « 1 234,50 » as well as « 1234.50 »."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
            value = value.replace(",", ".")
        return super().to_python(value)


def french_decimals(db_field, **kwargs):
    if db_field.get_internal_type() == "DecimalField":
        kwargs["form_class"] = FrenchDecimalField
    return db_field.formfield(**kwargs)


class StartProgrammeForm(forms.Form):
    centre = forms.ModelChoiceField(
        label=_("Centre de ressources"), queryset=CentrePage.objects.none(), empty_label=None
    )
    year = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Intitulé"), max_length=255)
    summary = forms.CharField(label=_("Synthèse"), widget=forms.Textarea(attrs={"rows": 4}))
    copy_previous = forms.BooleanField(
        label=_("Reprendre le contenu du dernier programme du centre"), required=False
    )

    def __init__(self, *args, centre_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = CentrePage.objects.filter(pk__in=centre_ids).order_by(
            "title"
        )
        self.fields["year"].initial = timezone.localdate().year + 1

    def clean(self):
        data = super().clean()
        if data.get("centre") and data.get("year"):
            if ActionProgramme.objects.filter(centre=data["centre"], year=data["year"]).exists():
                raise ValidationError(
                    _("Ce centre a déjà un programme d'actions pour l'année %(year)s.")
                    % {"year": data["year"]}
                )
        return data


class ProgrammeInfoForm(forms.ModelForm):
    class Meta:
        model = ActionProgramme
        fields = ["title", "summary"]


class AxisObjectivesForm(forms.ModelForm):
    class Meta:
        model = ProgrammeAxisBlock
        fields = ["objectives"]
        widgets = {"objectives": forms.Textarea(attrs={"rows": 3})}


class ActionForm(forms.ModelForm):
    class Meta:
        formfield_callback = french_decimals
        model = Action
        fields = [
            "title",
            "description",
            "deliverables",
            "calendar",
            "lead_kind",
            "lead_name",
            "etp",
            "budget",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "deliverables": forms.Textarea(attrs={"rows": 2}),
        }


class IndicatorForm(forms.ModelForm):
    class Meta:
        formfield_callback = french_decimals
        model = Indicator
        fields = ["label", "unit", "target"]


IndicatorFormSet = forms.inlineformset_factory(
    Action, Indicator, form=IndicatorForm, extra=2, can_delete=True
)


class FinancingLineForm(forms.ModelForm):
    class Meta:
        formfield_callback = french_decimals
        model = FinancingLine
        fields = ["funder", "detail", "amount"]


FinancingFormSet = forms.inlineformset_factory(
    ActionProgramme, FinancingLine, form=FinancingLineForm, extra=2, can_delete=True
)


class ReviewForm(forms.Form):
    opinion = forms.ChoiceField(label=_("Avis"), choices=Opinion.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Commentaire"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Motivez votre avis ; les réserves éventuelles seront transmises au centre."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 5}))
    budget_allocated = FrenchDecimalField(
        label=_("Budget alloué (€)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Obligatoire pour valider le programme."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.APPROVE and data.get("budget_allocated") is None:
            self.add_error(
                "budget_allocated", _("Indiquez le budget alloué pour valider le programme.")
            )
        return data


class ReportForm(forms.Form):
    """A follow-up report: one actual per indicator, one spent amount per funder line."""

    comment = forms.CharField(
        label=_("Commentaire du centre"), widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, indicators=(), financing_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator_fields = []
        for indicator in indicators:
            name = f"actual_{indicator.pk}"
            self.fields[name] = FrenchDecimalField(
                label=f"{indicator.label} — {_('cible')} {quantite(indicator.target, indicator.unit)}",
                min_value=Decimal("0"),
                max_digits=12,
                decimal_places=2,
                initial=indicator.actual,
            )
            self.indicator_fields.append((indicator, self[name]))
        self.spending_fields = []
        for line in financing_lines:
            name = f"spent_{line.pk}"
            self.fields[name] = FrenchDecimalField(
                label=f"{line.get_funder_display()} — {_('dépensé (€)')}",
                min_value=Decimal("0"),
                max_digits=12,
                decimal_places=2,
            )
            self.spending_fields.append((line, self[name]))


class AcknowledgeForm(forms.Form):
    acknowledgement = forms.CharField(
        label=_("Observations du comité"), widget=forms.Textarea(attrs={"rows": 4})
    )


class EvaluationForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Appréciation"), choices=EvaluationRating.choices, widget=forms.RadioSelect
    )
    assessment = forms.CharField(label=_("Évaluation"), widget=forms.Textarea(attrs={"rows": 6}))
    recommendations = forms.CharField(
        label=_("Recommandations pour l'année suivante"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
