"""The yearly satisfaction survey of a network's officers (Wagtail form builder)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField, AbstractFormSubmission

__all__ = ["SurveyPage", "SurveyField", "SurveySubmission"]


class SurveyField(AbstractFormField):
    """A question of the survey."""

    page = ParentalKey("SurveyPage", on_delete=models.CASCADE, related_name="form_fields")


class SurveyFormBuilder(FormBuilder):
    """A drop-down starts on « Choisissez… »: a required answer is never preselected."""

    def create_dropdown_field(self, field, options):
        field_ = super().create_dropdown_field(field, options)
        field_.choices = [("", _("Choisissez…")), *field_.choices]
        return field_


class SurveyPage(AbstractForm):
    """A satisfaction survey open to the network's officers, one answer each."""

    year = models.PositiveSmallIntegerField(_("année"))
    intro = models.TextField(_("introduction"), blank=True)
    thank_you_text = models.TextField(_("texte de remerciement"), blank=True)

    content_panels = AbstractForm.content_panels + [
        FieldPanel("year"),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Questions")),
        FieldPanel("thank_you_text"),
    ]
    parent_page_types = ["network.NetworkPage"]
    subpage_types = []
    search_fields = []
    form_builder = SurveyFormBuilder

    class Meta:
        verbose_name = _("enquête de satisfaction")
        verbose_name_plural = _("enquêtes de satisfaction")

    @property
    def network(self):
        return self.get_parent().specific

    def get_submission_class(self):
        return SurveySubmission

    def get_sitemap_urls(self, request=None):
        return []

    def process_form_submission(self, form):
        return SurveySubmission.objects.create(
            form_data=form.cleaned_data, page=self, user=form.user
        )

    def serve(self, request, *args, **kwargs):
        from crdla.network.access import is_network_animator, is_network_officer

        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        network = self.network
        if is_network_animator(request.user, network) and request.method == "GET":
            return redirect("network:survey-results", page_id=self.pk)
        if not is_network_officer(request.user, network):
            raise PermissionDenied
        existing = SurveySubmission.objects.filter(page=self, user=request.user).first()
        if existing:
            context = self.get_context(request)
            context["already_answered"] = existing
            return TemplateResponse(request, self.get_landing_page_template(request), context)
        try:
            with transaction.atomic():
                return super().serve(request, *args, **kwargs)
        except IntegrityError:  # a double submission: the first answer is kept
            context = self.get_context(request)
            context["already_answered"] = SurveySubmission.objects.get(page=self, user=request.user)
            return TemplateResponse(request, self.get_landing_page_template(request), context)


class SurveySubmission(AbstractFormSubmission):
    """An officer's answers; the unique constraint enforces one answer per officer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_submissions"
    )

    class Meta:
        verbose_name = _("réponse à l'enquête")
        verbose_name_plural = _("réponses à l'enquête")
        constraints = [
            models.UniqueConstraint(fields=["page", "user"], name="network_survey_one_answer")
        ]
