"""How apps above ``workshops`` follow a session's roll call, without ``workshops``
importing them.

The Fablab qualifies those present at a training (``Machine.training_workshop``): it
registers ``fablab.services.qualifications_from_attendance`` here from its
``AppConfig.ready()``. ``workshops.services.attendance_record`` calls every listener,
in registration order, inside the roll call's transaction.
"""

from collections.abc import Callable
from typing import Any

_attendance_listeners: list[Callable[..., Any]] = []


def register_attendance_listener(fn: Callable[..., Any]) -> None:
    """Have ``fn(*, session, by=None)`` called after a roll call changed some marks of
    ``session`` (``by`` took it), in the same transaction. Registering it twice keeps one."""
    if fn not in _attendance_listeners:
        _attendance_listeners.append(fn)


def attendance_recorded(*, session, by=None) -> None:
    """Tell every listener that the roll call of ``session`` changed."""
    for fn in _attendance_listeners:
        fn(session=session, by=by)
