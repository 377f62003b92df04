from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from crdla.core import views as core_views
from crdla.core.feeds import LatestResourcesFeed
from crdla.opendata.api import api_router
from crdla.pagecache import routing as page_routing
from workflows import tracker

urlpatterns = [
    path("healthz/", core_views.healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("flux/ressources/", LatestResourcesFeed(), name="feed-resources"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("api/v2/", api_router.urls)]
urlpatterns += [path("", include("crdla.opendata.urls"))]
urlpatterns += [path("recherche/", include("search.urls"))]
urlpatterns += [path("pilotage/", include("workflows.urls"))]
urlpatterns += [path("", include("crdla.network.urls"))]
urlpatterns += [path("", include("crdla.resources.urls"))]
urlpatterns += [path("programmes/", tracker.programme_tracker, name="programme-tracker")]

# Wagtail's page serving comes last: it catches every remaining URL. Pages are routed from the
# cache (crdla.pagecache.routing), Wagtail's own views serve the rest (_util/…).
urlpatterns += [
    re_path(r"^(?!_util/)((?:[\w\-]+/)*)$", page_routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]

handler500 = "crdla.core.views.server_error"
