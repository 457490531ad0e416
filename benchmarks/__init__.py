"""Benchmarks for kwaliteitskader: ``python -m benchmarks [--quick]`` (see docs/performance.md)."""
