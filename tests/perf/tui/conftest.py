"""The start-cost checks drive the real app with the TUI tests' fixtures (fixed clock, temporary data folder)."""

from tests.functional.tui.conftest import _dutch, criteria, data_folder, make_app  # noqa: F401
