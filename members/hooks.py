"""How the apps above ``members`` take part in what happens to an account, without
``members`` importing them.

``members`` is low in the layers (only ``core`` is below it): it may not import the
apps that hold a member's bookings, registrations or qualifications. Each of those
apps registers its part here from its ``AppConfig.ready()``:

- ``register_release(fn, order=)``: ``fn(*, member, now=None)`` gives back what the
  member holds still to come (an account deactivated or deleted);
- ``register_forget(fn)``: ``fn(*, member)`` strips the member from rows that stay
  after the account is deleted (e.g. anonymous registrations for the reports);
- ``register_export(name, fn)``: ``fn(*, member)`` returns JSON-ready data, exported
  under ``name`` in the member's data export.

Release hooks lock rows, so they run in the order of the locks
(``booking.locking``: member, site, resources, sessions): each says, as ``order``,
the kind of the first row it locks (``booking.locking.MEMBER``…), and they run by
``order``, whatever the order of INSTALLED_APPS — the bookings' release (member, then
resources) before the workshops' (sessions), or the second would find its rows out of
order. The other hooks lock nothing and run in the order they were registered.
Registering the same function twice (``ready()`` run again) keeps one.
"""

from collections.abc import Callable
from typing import Any

# (order, fn), kept sorted by order; equal orders keep their registration order.
_release: list[tuple[int, Callable[..., Any]]] = []
_forget: list[Callable[..., Any]] = []
_export: dict[str, Callable[..., Any]] = {}


def register_release(fn: Callable[..., Any], *, order: int) -> None:
    """Have ``fn(*, member, now=None)`` called when a member's account is deactivated or
    deleted, inside that transaction, to release what the member holds still to come.
    ``order``: the kind of the first row ``fn`` locks (``booking.locking.MEMBER``,
    ``SITE``, ``RESOURCE``, ``SESSION``); hooks run from the lowest."""
    if all(registered is not fn for _order, registered in _release):
        _release.append((order, fn))
        _release.sort(key=lambda entry: entry[0])


def register_forget(fn: Callable[..., Any]) -> None:
    """Have ``fn(*, member)`` called on account deletion, after every release hook and
    before the row is deleted, to anonymise what stays."""
    if fn not in _forget:
        _forget.append(fn)


def register_export(name: str, fn: Callable[..., Any]) -> None:
    """Export ``fn(*, member)`` under the key ``name`` of the member's data export.
    Raises ValueError if another function already exports that name."""
    if _export.get(name, fn) is not fn:
        raise ValueError(f"the data export already has a section {name!r}")
    _export[name] = fn


def release(*, member, now=None) -> None:
    """Run every release hook for ``member``, by their ``order`` (see the module)."""
    for _order, fn in _release:
        fn(member=member, now=now)


def forget(*, member) -> None:
    """Run every forget hook for ``member``, in registration order."""
    for fn in _forget:
        fn(member=member)


def exports(*, member) -> dict[str, Any]:
    """Each registered export section for ``member``, in registration order."""
    return {name: fn(member=member) for name, fn in _export.items()}
