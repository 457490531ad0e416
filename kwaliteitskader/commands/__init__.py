"""Further CLI commands; see ``COMMAND_MODULES`` in cli.py."""
