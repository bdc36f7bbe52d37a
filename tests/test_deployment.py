"""The team stack (docker-compose.yml): its shape, its settings reaching the OpenSearch client, and the schema.

No Docker engine runs here, so the stack is never started by these tests. What they check: the file
as ``docker-compose config`` reads it and against the Compose specification's JSON schema (Debian's
docker-compose package brings both; ``.ci/run`` installs it), the promises of the README (security on, TLS, the admin password from .env, healthchecks, named
volumes, Dashboards under a profile), and that the app container's environment, read by
``Settings.from_env`` as the container would, gives an OpenSearch client with auth and verified TLS.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

from conclusio.settings import REPO_ROOT, Settings
from index.opensearch_store import Connection, connect

COMPOSE = REPO_ROOT / "docker-compose.yml"
SCHEMA_PLACES = (os.environ.get("COMPOSE_SPEC_SCHEMA", ""),
                 "/usr/lib/python3/dist-packages/compose/config/compose_spec.json")  # Debian's docker-compose
PASSWORD = "Str0ng!Passw0rd"
_VARIABLE = re.compile(r"\$\{(\w+)(?::?([-?])([^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} (the forms the file uses)."""
    def one(match: re.Match) -> str:
        name, kind, rest = match.groups()
        if name in env and env[name] != "":
            return env[name]
        if kind == "?":
            raise KeyError(f"{name}: {rest}")
        return rest or ""

    return _VARIABLE.sub(one, value)


def environment(service: dict, env: dict[str, str]) -> dict[str, str]:
    pairs = (item.split("=", 1) for item in service["environment"])
    return {key: interpolate(value, env) for key, value in pairs}


def test_the_file_is_valid_against_the_compose_specification(compose):
    schema_path = next((Path(p) for p in SCHEMA_PLACES if p and Path(p).exists()), None)
    if schema_path is None:
        pytest.skip("no copy of the Compose specification's schema here: set COMPOSE_SPEC_SCHEMA")
    from jsonschema import Draft7Validator

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    errors = sorted(Draft7Validator(schema).iter_errors(compose), key=lambda e: e.json_path)
    assert not errors, "\n".join(f"{e.json_path}: {e.message}" for e in errors)


def test_compose_itself_accepts_the_file(tmp_path):
    """``docker-compose config`` parses, interpolates and validates the file; it needs no engine."""
    import shutil
    import subprocess

    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose is not installed here (apt-get install docker-compose)")
    shutil.copy(COMPOSE, tmp_path / "docker-compose.yml")  # a folder without a developer's own .env
    command = [binary, "--project-directory", str(tmp_path), "--file", str(tmp_path / "docker-compose.yml"),
               "config", "--quiet"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENSEARCH_")}
    done = subprocess.run(command, env={**env, "OPENSEARCH_ADMIN_PASSWORD": PASSWORD}, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    refused = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0 and "OPENSEARCH_ADMIN_PASSWORD" in refused.stderr


def test_opensearch_runs_with_security_on_and_the_admin_password_from_env(compose):
    opensearch = compose["services"]["opensearch"]
    assert opensearch["image"].startswith("opensearchproject/opensearch:") and "2.19" in opensearch["image"]
    env = environment(opensearch, {"OPENSEARCH_ADMIN_PASSWORD": PASSWORD})
    assert "DISABLE_SECURITY_PLUGIN" not in env and "DISABLE_INSTALL_DEMO_CONFIG" not in env
    assert env["OPENSEARCH_INITIAL_ADMIN_PASSWORD"] == PASSWORD
    with pytest.raises(KeyError, match="OPENSEARCH_ADMIN_PASSWORD"):  # no .env, no stack
        environment(opensearch, {})
    check = " ".join(opensearch["healthcheck"]["test"])
    assert "https://localhost:9200" in check and "--cacert" in check
    assert "opensearch-knn" in check and "opensearch-neural-search" in check
    assert all(port.startswith("127.0.0.1:") for service in compose["services"].values() for port in service["ports"])


def test_every_service_has_a_healthcheck_named_volumes_and_dashboards_wait_behind_a_profile(compose):
    services = compose["services"]
    assert all("healthcheck" in service for service in services.values())
    assert services["dashboards"]["profiles"] == ["dashboards"]
    assert "https://" in environment(services["dashboards"], {})["OPENSEARCH_HOSTS"]
    for name in ("dashboards", "conclusio"):
        assert services[name]["depends_on"]["opensearch"]["condition"] == "service_healthy"
    named = set(compose["volumes"])
    for service in services.values():
        for mount in service.get("volumes", []):
            source = mount.split(":", 1)[0]
            assert source.startswith(".") or source in named, mount


def test_the_app_containers_environment_gives_an_authenticated_verified_tls_client(compose, tmp_path):
    env = environment(compose["services"]["conclusio"], {"OPENSEARCH_ADMIN_PASSWORD": PASSWORD})
    ca = tmp_path / "root-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", encoding="ascii")
    env["OPENSEARCH_CA_CERTS"] = str(ca)  # in the container: the CA on the shared opensearch-config volume
    settings = Settings.from_env(env)
    assert settings.backend == "opensearch" and settings.opensearch_url.startswith("https://")
    assert (settings.opensearch_user, settings.opensearch_password) == ("admin", PASSWORD)
    assert PASSWORD not in repr(settings)
    options = Connection.from_settings(settings).client_options()
    assert options["http_auth"] == ("admin", PASSWORD)
    assert options["use_ssl"] is True and options["verify_certs"] is True and options["ca_certs"] == str(ca)
    client = connect(Connection.from_settings(settings))  # the real client accepts them (it connects lazily)
    connection = client.transport.get_connection()
    assert connection.use_ssl and connection.host.startswith("https://")
    client.close()


def test_plain_http_and_unverified_tls_are_choices_of_the_settings():
    plain = Connection.from_settings(Settings.from_env({"OPENSEARCH_URL": "http://localhost:9200"})).client_options()
    assert "use_ssl" not in plain and "http_auth" not in plain
    unverified = Settings.from_env({"OPENSEARCH_URL": "https://localhost:9200", "OPENSEARCH_VERIFY_CERTS": "false"})
    assert Connection.from_settings(unverified).client_options()["verify_certs"] is False
    from conclusio.errors import SettingsError

    with pytest.raises(SettingsError, match="OPENSEARCH_VERIFY_CERTS"):
        Settings.from_env({"OPENSEARCH_VERIFY_CERTS": "maybe"})


def test_the_env_example_names_every_variable_the_file_needs():
    example = (REPO_ROOT / ".env.example").read_text(encoding="utf-8")
    required = set(re.findall(r"\$\{(\w+):\?", COMPOSE.read_text(encoding="utf-8")))
    assert required and all(f"{name}=" in example for name in required)
    assert ".env" in (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").split()
