"""``/media/``: image files served according to the access policy, in every environment.

Originals (``original_images/``) and renditions (``images/``) of an image are served to
whoever may see the image (``can_view_media``): anonymous visitors are sent to the login page
and signed-in users without access get a 403. Public images are marked cacheable by shared
caches (a reverse proxy or CDN in front of the site may keep them); the others are
``private, no-store``. Document files are only ever served through ``/documents/<id>/<name>``
(Wagtail's view and its ``before_serve_document`` hook), never from ``/media/``.
"""

import mimetypes
import posixpath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe
from wagtail.images import get_image_model

from .hooks import refuse
from .media import MediaAudience, can_view_media, media_audience

PUBLIC_MAX_AGE = 300  # an image stops being public when its last public page is unpublished


def _image_for(path):
    Image = get_image_model()
    if path.startswith("original_images/"):
        return Image.objects.filter(file=path).first()
    if path.startswith("images/"):
        Rendition = Image.get_rendition_model()
        rendition = Rendition.objects.filter(file=path).select_related("image").first()
        return rendition.image if rendition else None
    return None


@require_safe
def serve_media(request, path):
    path = posixpath.normpath(path).lstrip("/")
    if path.startswith("..") or "\x00" in path:
        raise Http404
    image = _image_for(path)
    if image is None or not default_storage.exists(path):
        raise Http404
    public = media_audience(image) == MediaAudience.PUBLIC
    if not public and not can_view_media(request.user, image):
        return refuse(request)
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
    if public:
        response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    else:
        response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
