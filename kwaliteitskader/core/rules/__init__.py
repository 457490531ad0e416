"""The rules engine: evaluating a criteria set on an assessment, explaining the verdict, and checking criteria and assessments."""
