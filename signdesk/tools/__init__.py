"""Tooling that users of the app never run: datasets, landmark cache, evaluation, benchmark, export."""
