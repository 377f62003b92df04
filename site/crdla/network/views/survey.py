"""Aggregate results of a satisfaction survey, for the network's animator, and CSV export."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from crdla.core.csv_export import safe_writer

from ..access import is_network_animator, network_officers
from ..models import SurveyPage, SurveySubmission
from .spaces import private


def survey_for(request, page_id):
    survey = get_object_or_404(SurveyPage, pk=page_id)
    if not is_network_animator(request.user, survey.network):
        raise PermissionDenied
    return survey


def aggregate(survey):
    """Per question: answer counts (with percentages for the chart) and numeric averages."""
    submissions = list(SurveySubmission.objects.filter(page=survey))
    results = []
    for field in survey.get_form_fields():
        values = [s.form_data.get(field.clean_name) for s in submissions]
        values = [v for v in values if v not in (None, "", [])]
        flat = []
        for value in values:
            flat.extend(value if isinstance(value, list) else [value])
        counts = {}
        if field.field_type in ("radio", "dropdown", "checkboxes", "multiselect", "checkbox"):
            separator = "\n" if "\n" in field.choices else ","
            choices = [c.strip() for c in field.choices.split(separator) if c.strip()]
            if field.field_type == "checkbox":
                choices = [True, False]
            counts = {str(c): 0 for c in choices}
            for value in flat:
                counts[str(value)] = counts.get(str(value), 0) + 1
        numbers = []
        for value in flat:
            try:
                numbers.append(float(str(value).replace(",", ".")))
            except ValueError:
                pass
        total = len(values)
        results.append(
            {
                "label": field.label,
                "answers": total,
                "counts": [
                    (label, count, round(100 * count / total) if total else 0)
                    for label, count in counts.items()
                ],
                "average": round(sum(numbers) / len(numbers), 2)
                if numbers and len(numbers) == len(flat)
                else None,
                "texts": flat if not counts and not numbers else [],
            }
        )
    return submissions, results


@private
def survey_results(request, page_id):
    survey = survey_for(request, page_id)
    submissions, results = aggregate(survey)
    return render(
        request,
        "network/survey_results.html",
        {
            "survey": survey,
            "answer_count": len(submissions),
            "officer_count": network_officers(survey.network).count(),
            "results": results,
        },
    )


@private
def survey_export(request, page_id):
    survey = survey_for(request, page_id)
    fields = list(survey.get_form_fields())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="enquete-{survey.year}.csv"'
    response.write("\ufeff")
    writer = safe_writer(response)
    writer.writerow(["Date", *[f.label for f in fields]])
    for submission in SurveySubmission.objects.filter(page=survey).order_by("submit_time"):
        row = [submission.submit_time.strftime("%d/%m/%Y %H:%M")]
        for field in fields:
            value = submission.form_data.get(field.clean_name, "")
            row.append(", ".join(map(str, value)) if isinstance(value, list) else value)
        writer.writerow(row)
    return response
