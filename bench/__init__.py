"""Benchmarks: `python -m bench` (or `make bench`) runs them all, `python -m bench.<name>`
one. They print numbers and assert nothing about timings."""
