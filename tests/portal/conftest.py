import pytest

from tests.proposals.conftest import Journey, session  # noqa: F401  (fixtures shared with the proposals tests)


@pytest.fixture
def journey(world, session):  # noqa: F811
    return Journey(world, session)
