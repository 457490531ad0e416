"""kwaliteitskader: score youth-crime-prevention interventions against "Wat werkt laten werken".

The package root stays light: importing it (or any submodule) pulls in neither the TUI nor pydantic.
"""

__version__ = "0.1.0"
