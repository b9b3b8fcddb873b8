"""Figures of the backprop chapter: a computation graph (gradient descent: ``descent``)."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import FancyBboxPatch

from fashion_lessons.graph import Value, topological_order
from fashion_lessons.plots._style import (
    BLUE,
    ORANGE,
    SKY,
    VERMILLION,
    given_axes,
    set_alt,
)

__all__ = ["graph_layout", "plot_computation_graph"]


# -- computation graph --------------------------------------------------------------------------


def graph_layout(root: Value) -> dict[int, tuple[int, int]]:
    """Grid positions ``(column, row)`` for drawing the graph of ``root``, keyed by ``id(node)``.

    Computed values sit one column right of their right-most child; an input
    sits just left of the first value that uses it. ``root`` is on row 0; each
    node's first computed child stays on its row and the other children go to
    free rows below (rows are 0, -1, -2, ...), so a chain of operations reads
    left to right along one row with its inputs underneath.
    """
    order = topological_order(root)
    users: dict[int, list[Value]] = {id(n): [] for n in order}
    for node in order:
        for child in node.children:
            users[id(child)].append(node)
    column: dict[int, int] = {}
    for node in order:  # children before parents
        if not node.is_leaf:
            column[id(node)] = 1 + max(column.get(id(c), 0) for c in node.children)
            for child in node.children:
                if child.is_leaf:
                    # an input goes just left of its first user
                    column.setdefault(id(child), column[id(node)] - 1)
    column.setdefault(id(root), 0)  # a lone leaf
    shift = min(column.values())
    column = {key: c - shift for key, c in column.items()}

    rows: dict[int, int] = {id(root): 0}
    taken = {(column[id(root)], 0)}
    for node in reversed(order):  # parents before children
        # computed children first: they continue the node's row
        children = sorted(node.children, key=lambda c: c.is_leaf)
        for k, child in enumerate(children):
            if id(child) in rows:
                continue
            row = rows[id(node)] if k == 0 else rows[id(node)] - 1
            while (column[id(child)], row) in taken:
                row -= 1
            rows[id(child)] = row
            taken.add((column[id(child)], row))
    return {key: (column[key], rows[key]) for key in rows}


def _num(value: float, spec: str) -> str:
    """``format(value, spec)`` with a typographic minus sign."""
    return format(value, spec).replace("-", "\N{MINUS SIGN}")


def _node_title(node: Value) -> str:
    if node.is_leaf:
        return node.label or f"{node.data:g}"
    return f"{node.label} = {node.formula()}" if node.label else node.formula()


def plot_computation_graph(root: Value, ax=None, edge_labels: bool = True):
    """Draw the computation graph of ``root`` with every value and gradient.

    Each node is a box with its formula (e.g. ``z = u + b``), its value from
    the forward pass (middle line) and, labelled "grad", its gradient
    :math:`\\partial L / \\partial(\\cdot)` from the backward pass (call
    ``root.backward()`` first). Inputs have square boxes, computed values
    rounded ones, the final value a thick outline.
    Arrows point the way values flow forward; each is labelled with the local
    derivative (``×0.22``, two significant digits) that the gradient is
    multiplied by on its way back.

    Parameters
    ----------
    root : Value
        The final value, e.g. the loss.
    ax : matplotlib Axes, optional
        Where to draw; a new figure sized to the graph by default.
    edge_labels : bool, default True
        Label each arrow with its local derivative.

    Returns
    -------
    matplotlib Axes
    """
    order = topological_order(root)
    layout = graph_layout(root)
    n_cols = 1 + max(c for c, _ in layout.values())
    n_rows = 1 - min(r for _, r in layout.values())
    dx = 2.1  # column spacing (rows are 1 apart): room for the arrows' labels
    ax = given_axes(ax, figsize=(0.85 * dx * (n_cols - 1) + 1.05, 0.9 * n_rows + 0.05))
    half_w, half_h = 0.62, 0.34

    def position(node: Value) -> tuple[float, float]:
        column, row = layout[id(node)]
        return dx * column, float(row)

    for node in order:
        x, y = position(node)
        leaf = node.is_leaf
        box = FancyBboxPatch(
            (x - half_w, y - half_h),
            2 * half_w,
            2 * half_h,
            boxstyle="square,pad=0" if leaf else "round,pad=0,rounding_size=0.12",
            facecolor=SKY if leaf else ORANGE,
            edgecolor=BLUE if leaf else ORANGE,
            alpha=0.25 if leaf else 0.22,
            linewidth=0,
        )
        ax.add_patch(box)
        outline = FancyBboxPatch(
            (x - half_w, y - half_h),
            2 * half_w,
            2 * half_h,
            boxstyle=box.get_boxstyle(),
            facecolor="none",
            edgecolor=VERMILLION if node is root else (BLUE if leaf else ORANGE),
            linewidth=2.2 if node is root else 1.2,
        )
        ax.add_patch(outline)
        ax.text(
            x,
            y + 0.16,
            _node_title(node),
            ha="center",
            va="center",
            fontsize=9.5,
            fontweight="bold",
        )
        ax.text(x, y - 0.04, _num(node.data, ".3f"), ha="center", va="center", fontsize=9)
        ax.text(
            x,
            y - 0.21,
            f"grad {_num(node.grad, '.3f')}",
            ha="center",
            va="center",
            fontsize=8.5,
            color=VERMILLION,
        )

    for node in order:
        xp, yp = position(node)
        for child, local in zip(node.children, node.local_grads):
            xc, yc = position(child)
            if yc == yp:
                start, end = np.array([xc + half_w, yc]), np.array([xp - half_w, yp])
                label_at, align = (start + end) / 2 + [0, 0.05], ("center", "bottom")
            else:  # from a lower row: leave from the top edge, arrive low on the left side
                start = np.array([xc + 0.5 * half_w, yc + half_h])
                end = np.array([xp - half_w, yp - 0.5 * half_h])
                label_at, align = start + 0.5 * (end - start) + [0.08, -0.03], ("left", "top")
            ax.annotate(
                "",
                xy=end,
                xytext=start,
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": BLUE,
                    "linewidth": 1.2,
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
            )
            if edge_labels:
                ax.text(
                    *label_at,
                    f"×{_num(local, '.2g')}",
                    ha=align[0],
                    va=align[1],
                    fontsize=8.5,
                    color=BLUE,
                )

    ax.set_xlim(-half_w - 0.05, dx * (n_cols - 1) + half_w + 0.05)
    ax.set_ylim(-(n_rows - 1) - half_h - 0.12, half_h + 0.12)
    ax.set_axis_off()
    inputs = [n for n in order if n.is_leaf]
    described = "; ".join(
        f"{_node_title(n)}: value {n.data:.3f}, gradient {n.grad:.3f}" for n in order
    )
    set_alt(
        ax,
        f"Computation graph with {len(inputs)} inputs and {len(order) - len(inputs)} "
        f"operations, ending in {_node_title(root)}. Nodes left to right: {described}.",
    )
    return ax
