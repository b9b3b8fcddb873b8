"""Figures of the optimizers chapter."""

__all__: list[str] = []
