"""``{% fragment_cache "name" key… %}…{% endfragment_cache %}``: a template fragment kept until
the cache generation changes (a publication, a taxonomy or settings change…).

Django's ``{% cache %}`` with the generation and the language added to the key, and bypassed in
Wagtail previews (a preview shows the draft, which does not bump the generation).
"""

import hashlib

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

from crdla.pagecache import generation

register = template.Library()
TIMEOUT = 3600


class FragmentCacheNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        request = context.get("request")
        current = generation.for_request(request) if request is not None else None
        if current is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        parts = [str(current), translation.get_language() or "", self.name.resolve(context)]
        parts += [str(value.resolve(context)) for value in self.vary_on]
        key = "crdla-fragment:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
        content = generation.remember(key, lambda: str(self.nodelist.render(context)), TIMEOUT)
        return mark_safe(content)  # noqa: S308 (rendered by the template engine itself)


@register.tag
def fragment_cache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% fragment_cache "nom" [clés…] %}')
    nodelist = parser.parse(("endfragment_cache",))
    parser.delete_first_token()
    return FragmentCacheNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
