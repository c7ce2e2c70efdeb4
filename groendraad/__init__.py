"""Groene Draad: a hospital's sustainability figures, gathered and checked monthly.

The project's top-level folders are installed under this namespace:
``groendraad.sources`` is ``sources/``, ``groendraad.warehouse`` is ``warehouse/``,
and so on (see pyproject.toml). They are never importable as top-level packages.
"""

__version__ = "0.1.0"
