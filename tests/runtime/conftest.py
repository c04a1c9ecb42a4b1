from tests.core.conftest import app  # noqa: F401  (the same App fixture)
