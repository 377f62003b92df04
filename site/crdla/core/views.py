from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render


def healthz(request):
    """Liveness probe for the load balancer and docker-compose."""
    return HttpResponse("ok", content_type="text/plain")


def server_error(request):
    """Our own 500 page, rendered without a request context that could fail again."""
    return HttpResponseServerError(render(request, "500.html").content)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static icon."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("img/favicon.ico"), permanent=True)
