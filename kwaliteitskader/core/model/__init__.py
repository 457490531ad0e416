"""The documents: the assessment and criteria models and the plain values they hold."""
