"""Configuration refuses unsafe production settings; the command line sets up a store."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlmodel import Session, func, select
from starlette.testclient import TestClient

from app.auth.models import Membership, Role, User
from app.cli import main
from app.config import PROJECT_ROOT, Settings
from app.db import make_engine
from app.org.models import Organisation
from tests.e2e.conftest import _wait_until_up


def test_production_refuses_the_default_secret() -> None:
    with pytest.raises(ValidationError, match="SHIFT_SECRET_KEY"):
        Settings.model_validate({"SHIFT_ENV": "production"})


def test_production_refuses_demo_mode() -> None:
    with pytest.raises(ValidationError, match="SHIFT_DEMO_MODE"):
        Settings.model_validate(
            {"SHIFT_ENV": "production", "secret_key": "x" * 40, "demo_mode": True}
        )


def test_production_starts_with_a_real_secret() -> None:
    settings = Settings.model_validate({"SHIFT_ENV": "production", "secret_key": "x" * 40})
    assert not settings.is_development


def test_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/elsewhere.db")
    monkeypatch.setenv("SHIFT_SESSION_IDLE_MINUTES", "15")
    settings = Settings()
    assert settings.database_url == "sqlite:////tmp/elsewhere.db"
    assert settings.session_idle_minutes == 15


def run_cli(
    tmp_path: Path, *arguments: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}",
        "SHIFT_ARGON2_MEMORY_COST": "64",
        "SHIFT_ARGON2_TIME_COST": "1",
        "SHIFT_ARGON2_PARALLELISM": "1",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *arguments],
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "command", ["serve", "worker", "migrate", "demo-data", "create-admin", "check"]
)
def test_every_command_explains_itself(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: shift-companion" in capsys.readouterr().out


def test_migrate_demo_data_and_check_set_up_a_fresh_store(tmp_path: Path) -> None:
    assert run_cli(tmp_path, "check").returncode == 1  # nothing there yet
    assert run_cli(tmp_path, "migrate").returncode == 0
    loaded = run_cli(tmp_path, "demo-data", SHIFT_DEMO_MODE="true")
    assert loaded.returncode == 0
    assert "Demo data loaded" in loaded.stdout
    again = run_cli(tmp_path, "demo-data", SHIFT_DEMO_MODE="true")
    assert "not loaded" in again.stdout
    check = run_cli(tmp_path, "check")
    assert check.returncode == 0
    assert "ok" in check.stdout


def test_demo_data_reset_empties_the_store_and_loads_the_demo_again(tmp_path: Path) -> None:
    run_cli(tmp_path, "migrate")
    run_cli(tmp_path, "demo-data", SHIFT_DEMO_MODE="true")
    added = run_cli(
        tmp_path,
        "create-admin",
        "--email=boss@example.org",
        "--name=Bea Boss",
        "--organisation=Acme Care",
        "--password-stdin",
        stdin="violet harbour kettle 77\n",
    )
    assert added.returncode == 0, added.stderr
    assert run_cli(tmp_path, "demo-data", "--reset").returncode == 2  # demo mode only
    reset = run_cli(tmp_path, "demo-data", "--reset", SHIFT_DEMO_MODE="true")
    assert reset.returncode == 0, reset.stderr
    assert "Demo data loaded." in reset.stdout
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    with Session(engine) as session:
        names = session.exec(select(Organisation.name)).all()
        emails = set(session.exec(select(User.email)).all())
    engine.dispose()
    assert names == ["Demo Care Group"]
    assert "boss@example.org" not in emails
    assert "carer@rosewood.demo" in emails
    assert run_cli(tmp_path, "check").returncode == 0


def test_serve_listens_where_host_and_port_say(tmp_path: Path) -> None:
    run_cli(tmp_path, "migrate")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PYTHONUNBUFFERED": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--demo-logins"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}", server)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"Shift Companion is starting at http://127.0.0.1:{port}" in output
    assert "carer@rosewood.demo" in output
    # SQLite: one process, so the background jobs run in it
    assert "Background jobs (reminders, push delivery) run in this process." in output


def test_the_worker_runs_until_sigterm(tmp_path: Path) -> None:
    run_cli(tmp_path, "migrate")
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "worker"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert worker.stdout is not None
    assert worker.stdout.readline().startswith("Worker running")  # its signal handlers are set
    worker.terminate()
    output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert "Worker stopped." in output


def test_make_run_takes_its_port_and_host_from_the_command_line() -> None:
    planned = subprocess.run(
        [shutil.which("make") or "make", "-n", "run", "PORT=9123", "HOST=0.0.0.0"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "serve --demo-logins --host 0.0.0.0 --port 9123" in planned.stdout


def test_demo_data_is_refused_outside_demo_mode(tmp_path: Path) -> None:
    run_cli(tmp_path, "migrate")
    refused = run_cli(tmp_path, "demo-data")
    assert refused.returncode == 2
    assert "SHIFT_DEMO_MODE" in refused.stderr
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(User)).one() == 0
    engine.dispose()


def test_create_admin_makes_an_organisation_admin_who_can_sign_in(tmp_path: Path) -> None:
    run_cli(tmp_path, "migrate")
    created = run_cli(
        tmp_path,
        "create-admin",
        "--email",
        "Boss@Example.org",
        "--name",
        "Bea Boss",
        "--organisation",
        "Acme Care",
        "--password-stdin",
        stdin="violet harbour kettle 77\n",
    )
    assert created.returncode == 0, created.stderr
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    with Session(engine) as session:
        user = session.exec(select(User)).one()
        membership = session.exec(select(Membership)).one()
    engine.dispose()
    assert user.email == "boss@example.org"
    assert membership.role == Role.admin
    assert membership.site_id is None


def test_create_admin_refuses_a_weak_password(tmp_path: Path) -> None:
    run_cli(tmp_path, "migrate")
    refused = run_cli(
        tmp_path,
        "create-admin",
        "--email",
        "boss@example.org",
        "--name",
        "Bea",
        "--organisation",
        "Acme",
        "--password-stdin",
        stdin="password1234\n",
    )
    assert refused.returncode == 2
    assert "password" in refused.stderr


def test_a_production_process_will_not_start_with_the_default_secret(tmp_path: Path) -> None:
    refused = run_cli(tmp_path, "check", SHIFT_ENV="production")
    assert refused.returncode == 2
    assert "SHIFT_SECRET_KEY" in refused.stderr


def test_health_reports_the_database(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_reports_an_unreachable_database() -> None:
    from app.main import create_app
    from tests.conftest import settings_for

    app = create_app(settings_for("postgresql+psycopg://postgres@127.0.0.1:9/nowhere"))
    with TestClient(app) as client:
        response = client.get("/healthz")
    app.state.engine.dispose()
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_the_readme_points_only_at_what_a_reader_of_the_repo_has(client: TestClient) -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert "../" not in readme  # nothing outside the repository
    for path in ("/api/openapi.json", "/api/docs"):
        assert f"`{path}`" in readme
        assert client.get(path).status_code == 200, path
    for command in ("make reset-demo", "--demo-logins", "PORT=9000"):
        assert command in readme
