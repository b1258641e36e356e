"""Fixtures of the collections tests."""

from tests.conftest import Events  # noqa: F401  (re-exported for the tests)
from tests.modules.catalog_fixtures import MakeProduct, make_product  # noqa: F401
