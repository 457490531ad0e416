"""The domain core: models, criteria, rules engine and storage. Imports neither Textual nor Rich."""
