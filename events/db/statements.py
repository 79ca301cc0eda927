"""Statements for the hot paths: INSERT … ON CONFLICT for both databases, and Core statements
run on a session's connection.

PostgreSQL and SQLite spell ON CONFLICT alike, but SQLAlchemy 2.0 offers it only through each
dialect's own ``insert``, which it never caches: every execution compiles the statement afresh
(about a millisecond). The hot paths (a desk's scan, every rate-limited request) therefore use
plain SQL text built once per dialect and table, which SQLAlchemy compiles once and caches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from collections.abc import Sequence as Sequence_
from datetime import datetime
from functools import cache, lru_cache
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
    Executable,
    Select,
    Sequence,
    Table,
    TextualSelect,
    bindparam,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

AUDIT_COLUMNS = ("created_at", "updated_at")


def id_column(dialect: str, table: Table) -> tuple[str, str]:
    """The id's column and value: the table's sequence on PostgreSQL, the rowid on SQLite."""
    sequence = table.c.id.default
    if dialect == "postgresql" and isinstance(sequence, Sequence):
        return "id, ", f"nextval('{sequence.name}'), "
    return "", ""


@cache
def insert_or_nothing(dialect: str, table: Table, returning: tuple[str, ...]) -> TextualSelect:
    """``INSERT INTO table (every column) VALUES (…) ON CONFLICT DO NOTHING RETURNING …``.

    No conflict target: any unique index refuses the row (a test that drops the index then shows
    the race it guards against). Bind every column but the id with :func:`row_values`.
    """
    columns = [c for c in table.columns if c.name != "id"]
    id_name, id_value = id_column(dialect, table)
    # Names from the models only, never from input; every value is a bound parameter.
    statement = (
        f"INSERT INTO {table.name} ({id_name}{', '.join(c.name for c in columns)}) "  # noqa: S608
        f"VALUES ({id_value}{', '.join(':' + c.name for c in columns)}) "
        f"ON CONFLICT DO NOTHING RETURNING {', '.join(returning)}"
    )
    return (
        text(statement)
        .bindparams(*(bindparam(c.name, type_=c.type) for c in columns))
        .columns(*(table.c[name] for name in returning))
    )


def row_values(table: Table, values: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Every column's value but the id: those given, else the column's Python default."""
    row: dict[str, Any] = {}
    for column in table.columns:
        if column.name == "id":
            continue
        if column.name in values:
            row[column.name] = values[column.name]
        elif column.name in AUDIT_COLUMNS:
            row[column.name] = now
        elif column.default is not None and getattr(column.default, "is_scalar", False):
            row[column.name] = column.default.arg  # type: ignore[attr-defined]
        elif column.default is not None and getattr(column.default, "is_callable", False):
            row[column.name] = column.default.arg(None)  # type: ignore[attr-defined]
        else:
            row[column.name] = None
    return row


def dialect_of(db: AsyncSession) -> str:
    return db.bind.dialect.name


async def execute_core(
    db: AsyncSession, statement: Executable, params: dict[str, Any] | None = None
) -> CursorResult[Any]:
    """Run a Core statement on the session's connection, in its transaction.

    Skips the ORM's execution layer (autoflush, ORM result processing), which costs more than
    the round trip itself: for hot paths that read and write plain rows. Pending ORM changes are
    not flushed first; flush them before when a statement must see them.
    """
    connection = await db.connection()
    return await connection.execute(statement, params)


async def driver_connection(db: AsyncSession) -> Any:
    """The driver's own connection under the session's (asyncpg's, on PostgreSQL).

    For a hot path's one statement: through SQLAlchemy's execution layer a statement costs the
    worker about three times the CPU the driver alone does (docs/PERFORMANCE.md). The statement
    runs in the session's transaction when one is open on the connection, else as a transaction
    of its own. Flush pending ORM changes first when it must see them; its errors are the driver's
    own (``events.errors_http`` answers a lost connection with 503 all the same).

    Kept for the session's transaction (a registration asks for it seven times): the session holds
    one connection until that transaction ends, and a new transaction asks again.
    """
    transaction = db.sync_session.get_transaction()
    known = db.info.get(_DRIVER_KEY)
    if transaction is not None and known is not None and known[0] is transaction:
        return known[1]
    connection = await db.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    db.info[_DRIVER_KEY] = (db.sync_session.get_transaction(), driver)
    return driver


_DRIVER_KEY = "events.db.driver_connection"


@lru_cache(maxsize=256)
def for_driver(
    dialect: Dialect, statement: Select[Any] | TextualSelect
) -> tuple[str, tuple[tuple[str, Callable[[Any], Any] | None], ...], dict[str, Any]]:
    """The statement as asyncpg takes it ($1, $2 …); its parameters in that order, each with its
    type's conversion of a Python value as SQLAlchemy's own execution applies it (JSON to text, a
    time checked for its zone …); and the values given in the statement itself. Compiled once per
    statement object: build the statement once (a module constant) with ``bindparam`` for what
    varies."""
    compiled = statement.compile(dialect=dialect)
    if compiled.post_compile_params:
        # An expanding IN (``in_([...])``) is rendered afresh for each execution.
        raise ValueError("a statement for the driver needs one parameter per value, not in_()")
    parameters = tuple(
        (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
        for name in compiled.positiontup or ()
    )
    return compiled.string, parameters, dict(compiled.params)


def driver_values(
    dialect: Dialect, statement: Select[Any] | TextualSelect, params: dict[str, Any]
) -> tuple[str, list[Any]]:
    """The statement's SQL for the driver and its values in order (``params`` first), converted."""
    sql, parameters, given = for_driver(dialect, statement)
    values = []
    for name, process in parameters:
        value = params[name] if name in params else given[name]
        values.append(process(value) if process is not None else value)
    return sql, values


async def fetch_rows(
    db: AsyncSession,
    statement: Select[Any],
    params: dict[str, Any],
    *,
    in_transaction: bool = False,
) -> Sequence_[Mapping[str, Any]]:
    """The rows of a Core select, each read by column name.

    On PostgreSQL straight through the driver (:func:`driver_connection`), compiled once, each
    value then converted as SQLAlchemy's own execution would (a column type's result processor);
    on SQLite through SQLAlchemy. For the lookups every signed-in request and every registration
    makes: its API token, the event of its address, the seats taken.

    A read sent before any transaction is open is a transaction of its own. ``in_transaction``:
    it must be part of the session's transaction (a lock taken with ``FOR UPDATE``, held until
    commit); before one is open it then goes through SQLAlchemy, which begins it.
    """
    driver = await driver_connection(db) if dialect_of(db) == "postgresql" else None
    if driver is None or (in_transaction and not driver.is_in_transaction()):
        return cast(
            Sequence_[Mapping[str, Any]],
            (await execute_core(db, statement, params)).mappings().all(),
        )
    sql, values = driver_values(db.bind.dialect, statement, params)
    records = await driver.fetch(sql, *values)
    processors = _result_processors(db.bind.dialect, statement)
    if not any(processors):
        return cast(Sequence_[Mapping[str, Any]], records)
    return [
        {
            name: process(value) if process is not None else value
            for (name, value), process in zip(record.items(), processors, strict=True)
        }
        for record in records
    ]


@lru_cache(maxsize=256)
def _result_processors(
    dialect: Dialect, statement: Select[Any] | TextualSelect
) -> tuple[Callable[[Any], Any] | None, ...]:
    """Each selected column's conversion of the driver's value, as SQLAlchemy applies it."""
    return tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, None)
        for column in statement.selected_columns
    )


async def _insert_row_or_nothing(db: AsyncSession, table: Table, row: dict[str, Any]) -> Any:
    """:func:`insert_or_nothing` of one row: its new id, or None when a unique index refused it.

    On PostgreSQL inside an open transaction, straight through the driver, with SQLAlchemy's own
    conversions of the values; otherwise (and before any transaction is open, so that a write is
    never committed on its own) through SQLAlchemy, which begins the transaction.
    """
    dialect = db.bind.dialect
    statement = insert_or_nothing(dialect.name, table, ("id",))
    if dialect.name == "postgresql":
        driver = await driver_connection(db)
        if driver.is_in_transaction():
            sql, values = driver_values(dialect, statement, row)
            return await driver.fetchval(sql, *values)
    inserted = (await execute_core(db, statement, row)).one_or_none()
    return inserted.id if inserted is not None else None


async def insert_instance_or_nothing(db: AsyncSession, instance: Any, now: datetime) -> bool:
    """Insert a new ORM object's row unless a unique index refuses it (then False, nothing written).

    ``INSERT … ON CONFLICT DO NOTHING`` (:func:`insert_or_nothing`) instead of the ORM's insert
    inside a savepoint: two round trips fewer, and the transaction stays usable after a refusal.
    The object then becomes a persistent object of the session with its new id and every column's
    value, as if loaded (a column left unset would be expired, and loading it later is I/O the
    async session forbids).
    """
    table = instance.__table__
    state = vars(instance)  # the values set on the new object, by attribute
    given = {c.name: state[c.key] for c in table.columns if c.key in state}
    row = row_values(table, given, now)
    inserted_id = await _insert_row_or_nothing(db, table, row)
    if inserted_id is None:
        return False
    # As loaded, not as changes: the values just written need no attribute events. Containers
    # (JSON) are set as changes all the same, so that a mutable column tracks them in place.
    set_committed_value(instance, "id", inserted_id)
    for column in table.columns:
        if column.key not in state:
            value = row[column.name]
            if isinstance(value, dict | list):
                setattr(instance, column.key, value)
            else:
                set_committed_value(instance, column.key, value)
    make_transient_to_detached(instance)
    db.add(instance)
    return True
