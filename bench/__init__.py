"""Benchmark harness: a load runner (`python -m bench.run`) and a data generator (`python -m bench.generate`).

Numbers, not pass/fail tests; see bench/README.md.
"""
