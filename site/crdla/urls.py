import re

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from crdla.access import views as access_views
from crdla.accounts import views as accounts_views
from crdla.core import health
from crdla.core import views as core_views
from crdla.core.feeds import LatestResourcesFeed
from crdla.core.sitemap import PublicSitemap
from crdla.opendata.api import api_router
from crdla.pagecache import routing as page_routing
from crdla.security import password_reset
from workflows import tracker

urlpatterns = [
    path("healthz/", core_views.healthz, name="healthz"),
    path("readyz/", health.readyz, name="readyz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("mon-espace/", accounts_views.workspace, name="workspace"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe-oublie/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe-oublie/envoye/",
        password_reset.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "nouveau-mot-de-passe/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "nouveau-mot-de-passe/enregistre/",
        password_reset.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("langue/<str:code>/", core_views.choose_language, name="choose-language"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PublicSitemap}}, name="sitemap"),
    path("flux/ressources/", LatestResourcesFeed(), name="feed-resources"),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# /media/ in every environment: image files through the access policy (see crdla.access.views).
urlpatterns += [
    re_path(
        r"^{}(?P<path>.+)$".format(re.escape(settings.MEDIA_URL.lstrip("/"))),
        access_views.serve_media,
        name="media",
    )
]

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
