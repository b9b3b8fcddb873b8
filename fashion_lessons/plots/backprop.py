"""Figures of the backprop chapter."""

__all__: list[str] = []
