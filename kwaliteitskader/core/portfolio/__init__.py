"""Many assessments at once: rows, filtering and sorting, side by side, the portfolio summary, re-classifying."""
