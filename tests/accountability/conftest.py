from tests.api.conftest import anonymous, as_user  # noqa: F401 (fixtures for the API tests here)
