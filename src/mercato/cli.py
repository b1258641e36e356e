"""`mercato`: serve, migrate, seed, user create, openapi — Medusa's CLI verbs, Python conventions.

Expected mistakes (a bad database URL, an existing user, a malformed seed file) end with one clear
line on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sys
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from mercato.config import get_settings

app = typer.Typer(help="Mercato: a Medusa v1 compatible commerce engine.", no_args_is_help=True)
user_app = typer.Typer(help="Manage admin users.", no_args_is_help=True)
app.add_typer(user_app, name="user")

T = TypeVar("T")

DEMO_ADMIN_EMAIL = "admin@mercato.local"


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(1)


def _run(step: Callable[[], Coroutine[Any, Any, T]]) -> T:
    from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

    from mercato.core.errors import MedusaError
    from mercato.seed.loader import SeedError

    try:
        return asyncio.run(step())
    except (ValueError, SeedError) as exc:
        _fail(str(exc))
    except MedusaError as exc:
        _fail(exc.message)
    except IntegrityError as exc:
        _fail(f"conflicts with data already in the database: {str(exc.orig).splitlines()[0]}")
    except (OperationalError, DBAPIError, OSError) as exc:
        _fail(f"cannot use the database {get_settings().database_url!r}: {str(exc).splitlines()[0]}")
    raise AssertionError("unreachable")


async def _with_tx(work: Callable[[Any], Awaitable[T]]) -> T:
    from mercato.db.registry import load_all_models
    from mercato.db.session import database_from_settings

    load_all_models()
    db = database_from_settings(get_settings())
    try:
        async with db.write_session() as tx:
            result = await work(tx)
            await tx.commit()
            return result
    finally:
        await db.dispose()


async def _migrate() -> list[str]:
    from mercato.db.migrate import migrate as run

    return list(await run(get_settings().database_url) or [])


@app.command()
def migrate() -> None:
    """Apply pending migrations (on an existing Medusa v1 database: stamp its baseline first)."""
    applied = _run(_migrate)
    typer.echo(f"migrations applied: {', '.join(applied)}" if applied else "database is up to date")


async def _seed_if_empty(demo: Path) -> tuple[str, str] | None:
    from sqlalchemy import func, select

    from mercato.modules.products.models import Product
    from mercato.modules.users.models import User
    from mercato.seed.loader import load_seed, read_seed_file
    from mercato.startup import prepare_store

    async def work(tx: Any) -> tuple[str, str] | None:
        await prepare_store(tx)
        users = (await tx.execute(select(func.count()).select_from(User))).scalar_one()
        products = (await tx.execute(select(func.count()).select_from(Product))).scalar_one()
        if users or products:
            return None
        await load_seed(tx, read_seed_file(demo))
        from mercato.modules.users.service import create_user_record

        password = secrets.token_urlsafe(9)
        await create_user_record(tx, email=DEMO_ADMIN_EMAIL, password=password, role="admin")
        return DEMO_ADMIN_EMAIL, password

    return await _with_tx(work)


async def _prepare_only() -> None:
    from mercato.startup import prepare_store

    await _with_tx(prepare_store)


@app.command(hidden=True)
def prepare(
    no_seed: Annotated[bool, typer.Option("--no-seed")] = False,
) -> None:
    """Migrate; on an empty database seed the demo store and print its admin user."""
    _run(_migrate)
    if no_seed:
        _run(_prepare_only)
        return
    created = _run(lambda: _seed_if_empty(Path(__file__).parent / "seed" / "demo.json"))
    if created:
        email, password = created
        typer.secho("Demo store created. Admin user:", fg=typer.colors.GREEN)
        typer.echo(f"  email:    {email}\n  password: {password}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 9000,
    no_seed: Annotated[
        bool, typer.Option("--no-seed", help="Do not load demo data into an empty database.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            help="Worker processes on PostgreSQL (SQLite uses one). 0: one per CPU core, as many "
            "as the database's free connections leave room for (40 each)."
        ),
    ] = 0,
) -> None:
    """Migrate, seed an empty database with demo data and an admin user, then serve the API."""
    import subprocess

    import uvicorn

    # Migrating and seeding run in a child process, so the server never holds Alembic, the
    # seed loader and their data in memory.
    step = [sys.executable, "-m", "mercato.cli", "prepare"] + (["--no-seed"] if no_seed else [])
    if subprocess.run(step, check=False).returncode != 0:
        raise typer.Exit(1)
    settings = get_settings()
    from mercato import workers as processes

    if settings.is_sqlite:
        workers = 1  # one writer at a time anyway: more processes would only wait on its lock
    elif workers <= 0:
        from mercato.db.session import CONNECTIONS_PER_PROCESS, free_connections

        free = _run(lambda: free_connections(settings.database_url))
        workers = processes.default_count(free, CONNECTIONS_PER_PROCESS)
    shown = f"{workers} processes, " if workers > 1 else ""
    typer.echo(f"Mercato listening on http://{host}:{port}  ({shown}database: {settings.database_url})")

    if workers > 1 and processes.supported():
        # a listening socket per process: see mercato.workers
        try:
            processes.run(host, port, workers, log_level="warning", access_log=False)
        except OSError as exc:
            typer.echo(f"cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
            raise typer.Exit(1) from None
        return
    uvicorn.run(
        "mercato.app:create_server_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


@app.command()
def seed(
    file: Annotated[Path, typer.Option("--file", "-f", help="A seed file in Medusa's seed.json format.")],
) -> None:
    """Load a seed file (store, regions, shipping options, products, users, categories, sales channels…)."""
    from mercato.seed.loader import load_seed, read_seed_file

    data = _run(_async(read_seed_file, file))
    _run(_migrate)
    counts = _run(lambda: _with_tx(lambda tx: load_seed(tx, data)))
    typer.echo("seeded: " + ", ".join(f"{v} {k}" for k, v in counts.items() if v))


def _async(fn: Callable[..., T], *args: Any) -> Callable[[], Coroutine[Any, Any, T]]:
    async def call() -> T:
        return fn(*args)

    return call


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option("--email", "-e")],
    password: Annotated[str, typer.Option("--password", "-p")],
    id: Annotated[str | None, typer.Option("--id", "-i", help="The user's id (Medusa's -i).")] = None,
    role: Annotated[
        str, typer.Option(help="admin, member or developer (default member, as `medusa user`).")
    ] = "member",
) -> None:
    """Create an admin user (like `medusa user -e -p -i`, which gives the role column's default,
    `member`; every role may use the whole Admin API in Medusa v1)."""
    from mercato.modules.users.service import create_user_record

    _run(_migrate)
    user = _run(
        lambda: _with_tx(lambda tx: create_user_record(tx, email=email, password=password, role=role, id=id))
    )
    typer.echo(f"user created: {user.id} <{user.email}>")


@app.command()
def openapi() -> None:
    """Print the app's OpenAPI document as JSON."""
    from mercato.app import create_app

    sys.stdout.write(json.dumps(create_app().openapi(), indent=2) + "\n")


if __name__ == "__main__":
    app()
