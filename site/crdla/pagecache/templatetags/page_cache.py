"""``{% fragment_cache "name" key… [per_hour] %}…{% endfragment_cache %}``: a template fragment
kept until the cache generation changes (a publication, a taxonomy or settings change…), and
with ``per_hour`` until the hour changes as well (lists that depend on the clock: upcoming and
past events).

Django's ``{% cache %}`` with the generation, the language and the visitor's audience added to
the key, and bypassed in Wagtail previews (a preview shows the draft, which does not bump the
generation). The audience (public, or the DLA network) is in every key so that a fragment
rendered for a DLA officer, which may hold « réseau DLA » content, is never served to anyone
else, whatever the template around it does. Two audiences suffice because the pages these
fragments list (resources, news, events, centres) are either public or « réseau DLA »: any
restriction set on them is normalised to the network's (``access.sync_restriction_from_visibility``),
so an administrator and a DLA officer read the same ones.
"""

import hashlib

from django import template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from crdla.access import visible_audiences
from crdla.pagecache import generation

register = template.Library()
TIMEOUT = 3600


class FragmentCacheNode(template.Node):
    def __init__(self, nodelist, name, vary_on, per_hour=False):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on
        self.per_hour = per_hour

    def render(self, context):
        request = context.get("request")
        current = generation.for_request(request) if request is not None else None
        if current is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        parts = [str(current), translation.get_language() or "", audience(request)]
        parts.append(self.name.resolve(context))
        parts += [str(value.resolve(context)) for value in self.vary_on]
        if self.per_hour:
            parts.append(timezone.now().strftime("%Y-%m-%dT%H"))
        key = "crdla-fragment:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
        content = generation.remember(key, lambda: str(self.nodelist.render(context)), TIMEOUT)
        return mark_safe(content)  # noqa: S308 (rendered by the template engine itself)


def audience(request):
    """``public`` or ``public,dla``: which content the visitor may see, read once per request."""
    if not hasattr(request, "crdla_audience"):
        user = getattr(request, "user", None)
        request.crdla_audience = ",".join(visible_audiences(user) if user else ["public"])
    return request.crdla_audience


@register.tag
def fragment_cache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% fragment_cache "nom" [clés…] %}')
    per_hour = "per_hour" in bits[2:]
    vary_on = [parser.compile_filter(b) for b in bits[2:] if b != "per_hour"]
    nodelist = parser.parse(("endfragment_cache",))
    parser.delete_first_token()
    return FragmentCacheNode(nodelist, parser.compile_filter(bits[1]), vary_on, per_hour)
