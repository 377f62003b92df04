"""Media on S3-compatible object storage, private: the bucket is never the way in.

Objects are written with a private ACL (no public-read grant) and their URLs are the site's
own ``/media/<key>``, never a bucket address nor a pre-signed query string: images are served
by ``crdla.access.views.serve_media`` and documents by Wagtail's ``serve_view`` (its
``before_serve_document`` hook), so the access policy decides for every file, as it does
with the local file system. Production selects it when ``AWS_STORAGE_BUCKET_NAME`` is set
(``crdla.settings.production``).
"""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PrivateMediaStorage(S3Storage):
    querystring_auth = False

    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(name).lstrip("/")
