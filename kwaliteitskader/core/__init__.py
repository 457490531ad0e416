"""The domain core, in layers that import only downwards (checked by lint-imports, see pyproject.toml):
output > portfolio > io > rules > model, with shared basics (findings, i18n, locate, safetext, parallel)
below them all. Imports neither Textual nor Rich."""
