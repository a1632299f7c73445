"""Counting engine: ballots, Pabulib files, outcome rules, majority rules.

Pure Python + numpy. Nothing here imports Django (enforced by ruff's banned-api).
"""
