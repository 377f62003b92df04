"""docker-compose.yml checked without an engine (no Docker here): every service has a
healthcheck, the web one on /readyz/, and the application services get the environment that
.ci/stack.py gives the same processes (issue 12)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
STACK_VARIABLES = {
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "ELASTICSEARCH_URL",
    "EMAIL_URL",
    "WAGTAILADMIN_BASE_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
}


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_services_and_healthchecks():
    services = compose()["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "elasticsearch", "mailpit"} <= set(
        services
    )
    for name, service in services.items():
        if name != "beat":  # beat has no port or command to probe; the worker's ping covers it
            assert "healthcheck" in service, name
    assert any("/readyz/" in part for part in services["web"]["healthcheck"]["test"])
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert all(depends[d]["condition"] == "service_healthy" for d in depends)


def test_application_environment_matches_the_stack():
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        assert STACK_VARIABLES <= set(services[name]["environment"]), name
    assert services["web"]["environment"]["DJANGO_SETTINGS_MODULE"] == "crdla.settings.production"
    stack_source = (ROOT / ".ci" / "stack.py").read_text()
    for variable in STACK_VARIABLES:
        assert f"{variable}=" in stack_source, variable
