"""Figures of the activations chapter."""

__all__: list[str] = []
