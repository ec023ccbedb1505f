"""Row locks, taken here and nowhere else, always in one order.

The order: the member row, then the site row, then resource rows by id, then session
rows by id. Two transactions that both follow it never wait on each other in a
circle, so they never deadlock. ``lock`` takes the rows with
``SELECT … FOR UPDATE OF <its own table>`` (``of=("self",)``): a plain ``FOR UPDATE``
over a query joining another table would lock the joined rows too, outside the order.

A transaction may call ``lock`` several times, as long as the calls follow the order
between them: each call remembers what the transaction holds, and asking for a row
that comes before one already held (a member after a site, resource 3 after
resource 5) raises ``LockOrderError`` at once, rather than deadlocking some day under
load. Rows already held may be asked for again (a service calling another one): they
are re-read, which costs a query and waits for nothing. So a path that needs several
rows asks for all of them first, in one call, and what it calls afterwards finds them
held.

Sessions are the workshops' rows: this app sits below ``workshops``, so ``lock``
never names their model; it locks whatever model the rows (or the queryset) given
belong to.

On SQLite ``select_for_update`` locks nothing (the IMMEDIATE transaction mode
serialises writers instead), but the checks run all the same, so the tests on SQLite
catch a path taking rows out of order.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction

from .models import Resource, Site

MEMBER, SITE, RESOURCE, SESSION = range(4)
KIND_NAMES = {MEMBER: "member", SITE: "site", RESOURCE: "resource", SESSION: "session"}

# Marks an atomic block whose work is a batch of independent steps (see ``batch``).
_BATCH = "_dynamo_lock_batch"


class LockOrderError(RuntimeError):
    """``lock`` was called outside a transaction, or for a row that comes before one
    the transaction already holds: a programming error, never a user's."""


@dataclass
class Locked:
    """The rows ``lock`` took, as they are in the database now: ``member`` and ``site``
    (or None), ``resources`` and ``sessions`` in id order."""

    member: models.Model | None = None
    site: Site | None = None
    resources: list[Resource] = field(default_factory=list)
    sessions: list[models.Model] = field(default_factory=list)

    def resource(self, pk: int) -> Resource:
        """The locked resource with this id (KeyError when it was not asked for)."""
        for resource in self.resources:
            if resource.pk == pk:
                return resource
        raise KeyError(pk)


def _pk(value) -> int | None:
    if value is None:
        return None
    return value.pk if isinstance(value, models.Model) else int(value)


def _scope() -> tuple[int, str | None]:
    """What stands for "this transaction" when counting what it holds: the outermost
    atomic block, passing over a test case's own blocks (a test's service calls are
    separate transactions in real life) and a ``batch``'s block.

    An atomic block object is reused by every call of a decorated function, so the
    scope is named by its depth, the savepoint that block opened (a new id each time)
    and the list of on-commit callbacks, which Django replaces whenever a transaction
    ends (commit or rollback): a later transaction never inherits the set.
    """
    blocks = connection.atomic_blocks
    depth = next(
        (
            index
            for index, block in enumerate(blocks)
            if not getattr(block, "_from_testcase", False) and not getattr(block, _BATCH, False)
        ),
        len(blocks) - 1,
    )
    savepoint = connection.savepoint_ids[depth - 1] if depth > 0 else None
    return depth, savepoint


def _holding() -> set:
    """The (kind, id) pairs the current transaction holds, kept on the connection."""
    scope = _scope()
    state = getattr(connection, "_dynamo_locks", None)
    if state is None or state[0] != scope or state[1] is not connection.run_on_commit:
        state = (scope, connection.run_on_commit, set())
        connection._dynamo_locks = state
    return state[2]


def held() -> set[tuple[int, int]]:
    """What the current transaction holds through ``lock``: (kind, id) pairs, kind
    being MEMBER, SITE, RESOURCE or SESSION. Empty outside a transaction."""
    if not connection.in_atomic_block:
        return set()
    return set(_holding())


def _claim(wanted: list[tuple[int, int]]) -> None:
    """Check ``wanted`` (in the fixed order) against what the transaction holds, then
    record it. Raises LockOrderError for a new row that comes before a held one."""
    holding = _holding()
    new = [key for key in wanted if key not in holding]
    if new and holding:
        last = max(holding)
        early = [key for key in new if key < last]
        if early:
            kind, pk = early[0]
            held_kind, held_pk = last
            raise LockOrderError(
                f"lock order: {KIND_NAMES[kind]} {pk} asked for while holding "
                f"{KIND_NAMES[held_kind]} {held_pk}; take every row in one lock() call, "
                "member, site, resources, sessions"
            )
    holding.update(new)


def _session_query(sessions) -> models.QuerySet | None:
    """A queryset over the sessions given as a queryset or as model instances."""
    if isinstance(sessions, models.QuerySet):
        return sessions
    rows = list(sessions)
    if not rows:
        return None
    model = type(rows[0])
    if any(type(row) is not model for row in rows):
        raise TypeError("lock(sessions=...) takes rows of one model")
    return model._default_manager.filter(pk__in={row.pk for row in rows})


def lock(
    *,
    member=None,
    site=None,
    resources: Iterable = (),
    sessions: Iterable[models.Model] | models.QuerySet = (),
) -> Locked:
    """Lock rows for the rest of the current transaction, in the one fixed order.

    ``member`` and ``site`` are a row or an id; ``resources`` rows or ids (a Space or
    a Machine locks its Resource row); ``sessions`` rows of one model (a workshop
    session) or a queryset of them, which may ``select_related`` what the caller
    reads (only the session rows are locked; its ids are read first, one query
    without a lock, so the order is checked before anything is locked, and those of
    them still matching it are locked). Returns the rows as re-read under the
    lock (``Locked``), the sessions with what the queryset selects.

    Raises LockOrderError (a RuntimeError) outside ``transaction.atomic()``, or when a
    row not yet held comes before one the transaction already holds (see the module).
    May wait for another transaction holding one of the rows; never returns before
    holding them all.
    """
    if not connection.in_atomic_block:
        raise LockOrderError("lock() must be called inside transaction.atomic()")
    member_id, site_id = _pk(member), _pk(site)
    resource_ids = sorted({_pk(resource) for resource in resources})
    query = _session_query(sessions)
    session_ids: list[int] = []
    if isinstance(sessions, models.QuerySet):
        # Read the ids first (no lock): the order is checked before anything is locked.
        session_ids = sorted(set(query.values_list("pk", flat=True)))
        query = query.filter(pk__in=session_ids) if session_ids else None
    elif query is not None:
        session_ids = sorted({row.pk for row in sessions})

    wanted = []
    if member_id is not None:
        wanted.append((MEMBER, member_id))
    if site_id is not None:
        wanted.append((SITE, site_id))
    wanted += [(RESOURCE, pk) for pk in resource_ids]
    wanted += [(SESSION, pk) for pk in session_ids]
    _claim(wanted)

    locked = Locked()
    if member_id is not None:
        locked.member = (
            get_user_model().objects.select_for_update(of=("self",)).filter(pk=member_id).first()
        )
    if site_id is not None:
        locked.site = Site.objects.select_for_update(of=("self",)).filter(pk=site_id).first()
    if resource_ids:
        # ORDER BY id: PostgreSQL locks the rows as the sorted scan returns them.
        locked.resources = list(
            Resource.objects.select_for_update(of=("self",))
            .filter(pk__in=resource_ids)
            .order_by("pk")
        )
    if query is not None:
        locked.sessions = list(query.select_for_update(of=("self",)).order_by("pk"))
    return locked


@contextmanager
def batch():
    """``transaction.atomic()`` for a batch job run alone (the demo seed): every step
    inside (each service call) counts its locks as a transaction of its own, so the
    steps need not follow the order between them. The rows stay locked until the
    batch commits: never use it where other writers run at the same time."""
    with transaction.atomic():
        setattr(connection.atomic_blocks[-1], _BATCH, True)
        yield


__all__ = ["LockOrderError", "Locked", "batch", "held", "lock"]
