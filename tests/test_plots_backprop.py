"""Figures of the backprop chapter: return their axes, draw the data, set alt text, never show."""

import matplotlib.pyplot as plt

from fashion_lessons import plots
from fashion_lessons.graph import Value, topological_order


def neuron():
    x, w, b, y = Value(1.5, "x"), Value(0.8, "w"), Value(-0.5, "b"), Value(1.0, "y")
    u = (w * x).named("u")
    z = (u + b).named("z")
    a = z.sigmoid().named("a")
    e = (a - y).named("e")
    loss = (e**2).named("L")
    loss.backward()
    return loss, {"x": x, "w": w, "b": b, "y": y, "u": u, "z": z, "a": a, "e": e}


def test_graph_layout_puts_the_chain_on_one_row_and_inputs_below():
    loss, nodes = neuron()
    layout = plots.graph_layout(loss)
    assert len(layout) == 9 and len(set(layout.values())) == 9  # no two nodes share a cell
    assert layout[id(loss)] == (5, 0)
    # computed values: one column right of their right-most child
    for name, column in [("u", 1), ("z", 2), ("a", 3), ("e", 4)]:
        assert layout[id(nodes[name])] == (column, 0)
    # inputs: just left of their user; the first child continues the row
    assert layout[id(nodes["w"])] == (0, 0)
    assert layout[id(nodes["x"])] == (0, -1)
    assert layout[id(nodes["b"])] == (1, -1)
    assert layout[id(nodes["y"])] == (3, -1)


def test_graph_layout_of_shared_and_lone_values():
    x = Value(2.0, "x")
    g = x * x + x
    layout = plots.graph_layout(g)
    assert len(layout) == 3
    assert plots.graph_layout(x) == {id(x): (0, 0)}


def test_plot_computation_graph_draws_every_node_and_edge():
    loss, _ = neuron()
    ax = plots.plot_computation_graph(loss)
    assert isinstance(ax, plt.Axes)
    texts = [t.get_text() for t in ax.texts]
    for node in topological_order(loss):
        assert f"grad {node.grad:.3f}".replace("-", "\N{MINUS SIGN}") in texts
    assert "a = σ(z)" in texts and "L = e²" in texts and "0.800" in texts
    assert len(ax.patches) == 2 * 9  # a filled box and an outline per node
    edges = [t for t in texts if t.startswith("×")]
    assert len(edges) == 8
    assert "×1.5" in edges  # du/dw = x
    assert len([c for c in ax.get_children() if isinstance(c, plt.Annotation)]) == 8
    alt = plots.get_alt(ax.figure)
    assert "4 inputs and 5 operations" in alt and "gradient -0.221" in alt


def test_plot_computation_graph_on_given_axes_without_edge_labels():
    loss, _ = neuron()
    _, ax = plt.subplots()
    assert plots.plot_computation_graph(loss, ax=ax, edge_labels=False) is ax
    assert not [t for t in ax.texts if t.get_text().startswith("×")]
