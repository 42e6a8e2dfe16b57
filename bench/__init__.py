"""Benchmark and load-run tooling (see docs/performance.md); not part of the site."""
