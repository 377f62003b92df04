# One image for web (gunicorn), Celery worker and beat.
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app:/app/site DJANGO_SETTINGS_MODULE=crdla.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 curl \
    && rm -rf /var/lib/apt/lists/* && useradd --create-home --uid 1000 crdla
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
# collectstatic needs settings but no real secrets or database.
RUN SECRET_KEY=collectstatic-only-$(head -c 48 /dev/urandom | base64) \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --no-input
RUN mkdir -p /app/media && chown -R crdla /app/media
USER crdla
EXPOSE 8000
CMD ["gunicorn", "crdla.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--max-requests", "5000", "--max-requests-jitter", "500", "--access-logfile", "-"]
