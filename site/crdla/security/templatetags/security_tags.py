from django import template

register = template.Library()


@register.filter
def in_minutes(delta):
    """A timedelta as a whole number of minutes (at least 1), for the lockout message."""
    return max(1, int(delta.total_seconds() // 60))
