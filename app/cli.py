"""The ``shift-companion`` command: serve, worker, migrate, demo-data, create-admin, check."""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, datetime

from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app import migrate
from app.clock import SystemClock
from app.config import Settings, get_settings
from app.db import make_engine
from app.worker import run_worker


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="shift-companion",
        description="Shift Companion: run the service and look after its database.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve", help="start the web service", description="Start the web service with uvicorn."
    )
    serve.add_argument(
        "--host",
        default=os.environ.get("HOST", "127.0.0.1"),
        help="address to listen on (default: $HOST, or 127.0.0.1)",
    )
    serve.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT", "8000")),
        help="port to listen on (default: $PORT, or 8000)",
    )
    serve.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-* from the proxy in front (at SHIFT_FORWARDED_ALLOW_IPS)",
    )
    serve.add_argument(
        "--demo-logins",
        action="store_true",
        help="print the URL and the demo accounts with their password before starting",
    )
    serve.add_argument(
        "--worker",
        action="store_true",
        help="also run the background jobs (push delivery) in this process; always on with "
        "the embedded SQLite store, which has one process",
    )
    serve.set_defaults(handler=_serve)

    commands.add_parser(
        "worker",
        help="run the background jobs (push delivery, reminders) until stopped",
        description="Run the background jobs (push delivery every second, reminders twice a "
        "minute) until SIGTERM or Ctrl+C. With PostgreSQL, run one or more beside the web "
        "processes: they share the work without sending anything twice.",
    ).set_defaults(handler=_worker)

    commands.add_parser(
        "migrate",
        help="apply database migrations",
        description="Bring the database schema up to date.",
    ).set_defaults(handler=_migrate)

    demo = commands.add_parser(
        "demo-data",
        help="load the demo data into an empty store",
        description="Load demo data into an empty store (demo mode only). Without --sites: the "
        "small demo, Demo Care Group with two sites, its people, themes and logins, and --weeks "
        "of history. With --sites N: a provider at scale instead, Greenfield Care Group with N "
        "sites of about 30 staff and 12 people supported each, both themes at every site, and "
        "--months of history (about 1,700 engagement notes a site a month) with the same "
        "planted patterns and interaction snapshots; written with COPY on PostgreSQL. Its "
        "logins are quality@greenfield.demo (quality lead) and manager@greenfield.demo (the "
        "first site's manager), with the demo password; no other account can sign in. "
        "--weeks belongs to the small demo and --months to the provider: give one or the other.",
    )
    demo.add_argument(
        "--reset",
        action="store_true",
        help="first remove everything in the store (every table rebuilt), so the demo starts clean",
    )
    demo.add_argument(
        "--weeks",
        type=int,
        default=None,
        metavar="N",
        help="small demo: weeks of history before the last day, with planted patterns "
        "(0 for none; default 12)",
    )
    demo.add_argument(
        "--sites",
        type=int,
        default=None,
        metavar="N",
        help="load a provider with N sites instead of the small demo (--sites 50: about 1,500 "
        "staff and 600 people supported)",
    )
    demo.add_argument(
        "--months",
        type=int,
        default=None,
        metavar="M",
        help="with --sites: months of history before the last day (default 12; --sites 50 "
        "--months 12 makes over a million engagement notes)",
    )
    demo.set_defaults(handler=_demo_data)

    admin = commands.add_parser(
        "create-admin",
        help="create an organisation's first admin",
        description="Create an admin account (and the organisation, if it does not exist yet). "
        "The password is read from the terminal, or from standard input with --password-stdin.",
    )
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", required=True)
    admin.add_argument("--organisation", required=True, help="organisation name")
    admin.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    admin.set_defaults(handler=_create_admin)

    commands.add_parser(
        "check-drift",
        help="raise drift alerts and propose lifecycle moves from the themes' signals",
        description="Read the signals of every theme being watched, at every site; raise a "
        "drift alert for each flag with none open and propose the lifecycle move the evidence "
        "supports. Run it daily (cron, a systemd timer).",
    ).set_defaults(handler=_check_drift)

    commands.add_parser(
        "check",
        help="check configuration and database health",
        description="Check the configuration, that the database answers, and that its schema is up to date.",
    ).set_defaults(handler=_check)

    arguments = parser.parse_args(argv)
    try:
        settings = get_settings()
    except ValidationError as error:
        print(f"Configuration error:\n{error}", file=sys.stderr)
        return 2
    return arguments.handler(arguments, settings)


def _check_drift(arguments: argparse.Namespace, settings: Settings) -> int:
    from app.governance.check import check_everywhere

    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        found = check_everywhere(session, now=datetime.now(UTC))
        session.commit()
    print(f"Drift alerts raised: {len(found.alerts)}. Lifecycle moves proposed: {found.proposals}.")
    return 0


def _serve(arguments: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from app.log_config import uvicorn_log_config

    if arguments.demo_logins:
        _print_demo_logins(f"http://{arguments.host}:{arguments.port}")
    stop = threading.Event()
    # uvicorn shuts down gracefully on SIGTERM or Ctrl+C, then raises the signal again to the
    # handler it found: this one, so the process goes on to stop its worker and exit 0.
    _stop_on_signals(stop)
    worker = None
    if arguments.worker or make_url(settings.database_url).get_backend_name() == "sqlite":
        worker = _start_worker_thread(settings, stop)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=arguments.host,
        port=arguments.port,
        proxy_headers=arguments.proxy_headers,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_level=settings.log_level.lower(),
        log_config=uvicorn_log_config(),
    )
    if worker is not None:
        stop.set()
        worker.join()
    return 0


def _start_worker_thread(settings: Settings, stop: threading.Event) -> threading.Thread:
    """The background jobs beside the web service, in a thread that finishes its round once
    ``stop`` is set, as the ``worker`` command does. A daemon, so a server that fails to start
    is not kept alive by it."""
    print("Background jobs (reminders, push delivery) run in this process.", flush=True)
    engine = make_engine(settings.database_url)
    arguments = (engine, settings, SystemClock(), stop)
    worker = threading.Thread(target=run_worker, args=arguments, name="worker", daemon=True)
    worker.start()
    return worker


def _stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and Ctrl+C set ``stop`` instead of ending the process where it stands."""
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda _number, _frame: stop.set())


def _worker(_arguments: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    stop = threading.Event()
    _stop_on_signals(stop)
    print("Worker running: push delivery and reminders. Stop with Ctrl+C or SIGTERM.", flush=True)
    run_worker(engine, settings, SystemClock(), stop)
    engine.dispose()
    print("Worker stopped.")
    return 0


def _print_demo_logins(url: str) -> None:
    from app.demo import DEMO_LOGINS, DEMO_PASSWORD

    print(f"\nShift Companion is starting at {url}\n")
    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for login in DEMO_LOGINS:
        where = login.site or "the whole organisation"
        print(f"  {login.email:<24} {login.role.label} — {where}")
    print()


def _migrate(_arguments: argparse.Namespace, settings: Settings) -> int:
    migrate.upgrade(settings.database_url)
    print("Database schema is up to date.")
    return 0


def _demo_data(arguments: argparse.Namespace, settings: Settings) -> int:
    from app.auth.passwords import Passwords
    from app.demo import load_demo_data

    if not settings.demo_mode:
        print("Demo data is only loaded in demo mode: set SHIFT_DEMO_MODE=true.", file=sys.stderr)
        return 2
    problem = _demo_options_problem(arguments)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    if arguments.reset:
        migrate.rebuild(settings.database_url)
        print("Store emptied: every table rebuilt.")
    if arguments.sites is not None:
        return _provider_data(arguments, settings)
    engine = make_engine(settings.database_url)
    with Session(engine, expire_on_commit=False) as session:
        loaded = load_demo_data(
            session,
            settings=settings,
            passwords=Passwords(settings),
            now=datetime.now(UTC),
            history_weeks=12 if arguments.weeks is None else arguments.weeks,
        )
        session.commit()
    print("Demo data loaded." if loaded else "The store already has data; demo data not loaded.")
    return 0


def _demo_options_problem(arguments: argparse.Namespace) -> str | None:
    """--weeks is the small demo's, --sites and --months the provider's."""
    if arguments.sites is None:
        if arguments.months is not None:
            return "--months is for a provider: give --sites too (or --weeks for the small demo)."
        if arguments.weeks is not None and arguments.weeks < 0:
            return "--weeks is 0 or more."
        return None
    if arguments.weeks is not None:
        return "--weeks is for the small demo: with --sites, give --months."
    if arguments.sites < 1:
        return "--sites is 1 or more."
    if arguments.months is not None and arguments.months < 1:
        return "--months is 1 or more."
    return None


def _provider_data(arguments: argparse.Namespace, settings: Settings) -> int:
    import time

    from app.auth.passwords import Passwords
    from app.demo import DEMO_PASSWORD
    from app.demo_provider import PROVIDER_LOGINS, PROVIDER_NAME, load_provider_data

    started = time.perf_counter()
    sites, months = arguments.sites, 12 if arguments.months is None else arguments.months
    written = 0

    def after_site(site: object) -> None:
        nonlocal written
        written += 1
        took = time.perf_counter() - started
        print(f"  site {written}/{sites} written ({took:.0f} s)", flush=True)

    print(f"Loading {PROVIDER_NAME}: {sites} sites, {months} months of history.", flush=True)
    engine = make_engine(settings.database_url)
    with Session(engine, expire_on_commit=False) as session:
        loaded = load_provider_data(
            session,
            settings=settings,
            passwords=Passwords(settings),
            now=datetime.now(UTC),
            sites=sites,
            months=months,
            after_site=after_site,
        )
        session.commit()
    if loaded is None:
        print("The store already has data; demo data not loaded (--reset empties it first).")
        return 0
    if engine.dialect.name == "postgresql":
        # Fresh planner statistics, so the first dashboards read millions of new rows by index.
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    print(f"{PROVIDER_NAME} loaded in {time.perf_counter() - started:.0f} s. Rows written:")
    for table, count in loaded.counts.items():
        print(f"  {table:<28} {count:>10,}")
    print(f"Logins (password: {DEMO_PASSWORD}):")
    for login in PROVIDER_LOGINS:
        where = loaded.sites[0].name if login.site else "every site"
        print(f"  {login.email:<28} {login.role.label} — {where}")
    return 0


def _create_admin(arguments: argparse.Namespace, settings: Settings) -> int:
    from app.auth.passwords import Passwords
    from app.errors import Invalid
    from app.org.admin import create_admin

    if arguments.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password for the new admin: ")
    engine = make_engine(settings.database_url)
    with Session(engine, expire_on_commit=False) as session:
        try:
            user = create_admin(
                session,
                organisation_name=arguments.organisation,
                email=arguments.email,
                name=arguments.name,
                password=password,
                passwords=Passwords(settings),
                now=datetime.now(UTC),
            )
        except Invalid as error:
            for field, reason in error.by_field().items():
                print(f"{field}: {reason}", file=sys.stderr)
            return 2
        session.commit()
    print(f"Admin {user.email} created.")
    return 0


def _check(_arguments: argparse.Namespace, settings: Settings) -> int:
    print(
        f"environment: {settings.environment}; demo mode: {'on' if settings.demo_mode else 'off'}"
    )
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        current = migrate.current_revision(engine)
    except SQLAlchemyError as error:
        print(f"database: unreachable ({type(error).__name__})", file=sys.stderr)
        return 1
    head = migrate.head_revision(settings.database_url)
    print(
        f"database: reachable ({engine.dialect.name}); schema {current or 'empty'}, latest {head}"
    )
    if current != head:
        print("schema is not up to date: run `shift-companion migrate`", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
