"""The query-string filters of the public listings, declared with django-filter.

A value that does not validate is ignored like an empty filter: a listing reached by a
hand-edited or outdated link shows its results, never an error. ``selected`` is what applied,
for the listing's form and its pagination links.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError


class ListingFilterSet(django_filters.FilterSet):
    """A FilterSet bound to the request's query string; invalid values are left out."""

    @property
    def selected(self):
        self.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if value}


class PatternField(forms.CharField):
    """A stripped value cut to ``max_length`` characters that must match ``pattern``
    (a slug, a number): anything else never reaches the database."""

    def __init__(self, *, pattern, max_length=100, **kwargs):
        self.pattern, self.cut = pattern, max_length
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value)[: self.cut]

    def validate(self, value):
        super().validate(value)
        if value and not self.pattern.fullmatch(value):
            raise ValidationError("invalid", code="invalid")


class PatternFilter(django_filters.CharFilter):
    field_class = PatternField
