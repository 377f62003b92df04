"""Settings come from the environment and fail loudly and clearly when they are wrong."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from crdla.settings.base import database_from_env

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "url",
    ["postgres//nohost", "notascheme://x/y", "postgres://user@host:notaport/db", "mysql://"],
)
def test_malformed_database_url_gives_a_clear_error(monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured) as excinfo:
        database_from_env("sqlite:///unused.sqlite3")
    assert "DATABASE_URL est invalide" in str(excinfo.value)


def test_valid_database_urls_are_parsed(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://crdla:secret@db:5432/crdla")
    config = database_from_env("sqlite:///unused.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "crdla"
    monkeypatch.delenv("DATABASE_URL")
    config = database_from_env("sqlite:////tmp/x.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"


def run_manage(*args, env):
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "crdla.settings.production",
    "SECRET_KEY": "k" * 20 + "x9!Qz#Lm2$Vb7&Np4*Rt8^Wy3@Hc6%Jd5(Fg1)Ks0",
    "DATABASE_URL": "sqlite:////tmp/crdla-check-deploy.sqlite3",
    "ALLOWED_HOSTS": "crdla.example.org",
}


def test_production_refuses_to_start_without_required_variables():
    result = run_manage("check", env={"DJANGO_SETTINGS_MODULE": "crdla.settings.production"})
    assert result.returncode != 0
    assert "Variables d'environnement obligatoires manquantes en production" in result.stderr
    assert "SECRET_KEY" in result.stderr and "DATABASE_URL" in result.stderr


def test_production_refuses_a_malformed_database_url():
    result = run_manage("check", env={**PRODUCTION_ENV, "DATABASE_URL": "postgres//oops"})
    assert result.returncode != 0
    assert "DATABASE_URL est invalide" in result.stderr


def test_check_deploy_passes_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


STORAGE_PROBE = (
    "from django.core.files.storage import storages; s = storages['default']; "
    "print(type(s).__name__, getattr(s, 'default_acl', '-'), getattr(s, 'querystring_auth', '-'),"
    " s.url('original_images/plan d action.png'))"
)


def test_production_keeps_media_in_a_private_bucket_when_one_is_named():
    """Object storage (issue 12): private objects, URLs through the site's access views."""
    bucket = {
        "AWS_STORAGE_BUCKET_NAME": "crdla-media",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9",
        "AWS_ACCESS_KEY_ID": "cle",
        "AWS_SECRET_ACCESS_KEY": "secret",
    }
    result = run_manage("shell", "-c", STORAGE_PROBE, env={**PRODUCTION_ENV, **bucket})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "PrivateMediaStorage",
        "private",
        "False",
        "/media/original_images/plan%20d%20action.png",
    ]
    result = run_manage("shell", "-c", STORAGE_PROBE, env=PRODUCTION_ENV)
    assert result.stdout.strip().splitlines()[-1].split()[0] == "FileSystemStorage"


def literal_lists_of_base():
    """The lists written in settings/base.py, and every statement there that touches them."""
    import ast

    tree = ast.parse((ROOT / "site" / "crdla" / "settings" / "base.py").read_text())
    literals, touches = {}, []
    names = {"INSTALLED_APPS", "MIDDLEWARE", "CELERY_BEAT_SCHEDULE"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                name = getattr(target, "id", None) or getattr(
                    getattr(target, "value", None), "id", None
                )
                if name in names:
                    touches.append((name, node.lineno))
                    if isinstance(node, ast.Assign) and isinstance(node.value, ast.List):
                        literals[name] = ast.literal_eval(node.value)
        elif isinstance(node, ast.Attribute) and getattr(node.value, "id", None) in names:
            touches.append((node.value.id, node.lineno))  # .insert(), .append(), .update()…
        elif isinstance(node, ast.Name) and node.id in ("vars", "globals"):
            touches.append((node.id, node.lineno))
    return literals, touches


def test_base_settings_write_each_list_once_and_nothing_appends_later():
    literals, touches = literal_lists_of_base()
    assert sorted(name for name, _line in touches) == [
        "CELERY_BEAT_SCHEDULE",
        "INSTALLED_APPS",
        "MIDDLEWARE",
    ], touches
    assert set(literals) == {"INSTALLED_APPS", "MIDDLEWARE"}


def test_the_running_middleware_and_apps_are_the_lists_written_in_base(settings):
    """viewflow's AppConfig appends its middlewares unless VIEWFLOW["AUTOREGISTER"] is off:
    after start-up the order is still exactly the one base.py shows."""
    literals, _touches = literal_lists_of_base()
    assert list(settings.MIDDLEWARE) == literals["MIDDLEWARE"]
    assert list(settings.INSTALLED_APPS) == literals["INSTALLED_APPS"]
    assert "viewflow.middleware.SiteMiddleware" in literals["MIDDLEWARE"]
    assert literals["MIDDLEWARE"][-1] == "axes.middleware.AxesMiddleware"


def test_each_app_names_its_demo_loader_on_its_app_config():
    """load_initial_data runs them after the shared content, in the order of INSTALLED_APPS."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    loaders = [c.demo_loader for c in apps.get_app_configs() if getattr(c, "demo_loader", None)]
    assert loaders == [
        "crdla.network.demo.load_demo",
        "workflows.demo.load_demo",
        "search.demo.load_demo",
    ]
    assert all(callable(import_string(loader)) for loader in loaders)
