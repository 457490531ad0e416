"""Scripts run in a fresh process by :mod:`benchmarks.measures`; each prints ``name=value`` lines."""
