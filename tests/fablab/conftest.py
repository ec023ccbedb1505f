"""The Fablab tests share the rooms' frozen clock (Monday 2 March 2026, 9:00 in Auch):
``at(1, "14:00")`` is Tuesday 14:00, when the Fablab opens."""

import pytest

from tests.factories import MachineFactory, QualificationFactory, WorkshopFactory
from tests.rooms import conftest as rooms

NOW, at = rooms.NOW, rooms.at
# The same fixtures as the rooms tests: frozen clock, a member, an animator.
clock, member, animator = rooms.clock, rooms.member, rooms.animator


@pytest.fixture
def training(db):
    return WorkshopFactory(title="Formation découpe laser", kind="training")


@pytest.fixture
def laser(training):
    return MachineFactory(name="Découpe laser Trotec", training_workshop=training)


@pytest.fixture
def qualified(member, laser):
    """``member``, qualified on the laser cutter."""
    QualificationFactory(member=member, machine=laser)
    return member
