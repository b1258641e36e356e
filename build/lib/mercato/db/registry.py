"""Imports every domain's models so that Base.metadata knows all tables."""

import importlib
import pkgutil

import mercato.modules as modules
from mercato.db.base import Base


def load_all_models() -> type[Base]:
    for info in pkgutil.iter_modules(modules.__path__):
        try:
            importlib.import_module(f"mercato.modules.{info.name}.models")
        except ModuleNotFoundError as exc:
            if exc.name != f"mercato.modules.{info.name}.models":
                raise
    return Base
