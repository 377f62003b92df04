from django.conf import settings
from django.utils import translation


def chosen_language(request):
    """The language of the selector's cookie when it is one of ours, French otherwise."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class FrenchFirstLocaleMiddleware:
    """French unless the visitor chose another language with the selector (language cookie).

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show an
    English interface to most visitors of a French public service whose browser is in English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
