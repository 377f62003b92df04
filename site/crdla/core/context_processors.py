from crdla.centres.models import CentrePage


def navigation(request):
    """The main menu: the live, public centres (one cheap query, evaluated lazily)."""
    return {
        "nav_centres": CentrePage.objects.live()
        .public()
        .only("title", "url_path", "short_name")
        .order_by("path"),
    }
