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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.missing = set()

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if content is not None:
                raise
            self.missing.add(name)
            return name

    def post_process(self, *args, **kwargs):
        """Django's passes, then one line for the missing files (each was reported once per
        pass and per reference: over a hundred lines for viewflow's fonts)."""
        yield from super().post_process(*args, **kwargs)
        if self.missing:
            logger.warning(
                "%d fichier(s) statique(s) référencé(s) mais absent(s), laissé(s) tels quels : %s",
                len(self.missing),
                ", ".join(sorted(self.missing)[:3]) + ("…" if len(self.missing) > 3 else ""),
            )
