"""WSGI entry point (gunicorn crdla.wsgi with site/ on PYTHONPATH)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # site/
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))  # repository root

from django.core.wsgi import get_wsgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crdla.settings.production")
application = get_wsgi_application()
