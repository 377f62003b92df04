"""Static files for production: compressed, hashed names, far-future caching (WhiteNoise)."""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class TolerantManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, except that a stylesheet's reference to a file its package does not
    ship keeps its plain name instead of failing ``collectstatic``.

    viewflow 2.4 ships ``roboto-fontface.css`` whose ``url()`` point at fonts absent from the
    wheel, which made ``collectstatic`` fail with the production settings.
    """

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError as error:
            if content is not None:
                raise
            logger.warning("Fichier statique référencé mais absent, laissé tel quel : %s", error)
            return name
