r"""A tiny reverse-mode automatic differentiation engine for scalars.

Each :class:`Value` holds one number and remembers how it was computed: which
values it came from (its *children*) and the *local derivative* of itself with
respect to each of them. That record is a computation graph. Calling
:meth:`Value.backward` on the final value :math:`L` walks the graph from
:math:`L` back to the inputs and applies the chain rule at every node,

.. math::

    \frac{\partial L}{\partial c} \mathrel{+}=
    \frac{\partial L}{\partial v}\,\frac{\partial v}{\partial c}
    \qquad\text{for every child } c \text{ of every node } v,

so that afterwards every value's :attr:`Value.grad` is :math:`\partial L /
\partial(\text{that value})`. This is backpropagation, and it is what
``tf.GradientTape`` does for tensors; here it fits on a page.

Examples
--------
>>> w, x, b = Value(0.5, "w"), Value(2.0, "x"), Value(-1.0, "b")
>>> loss = (w * x + b).sigmoid()
>>> loss.backward()
>>> round(w.grad, 6)  # sigmoid'(0) * x = 0.25 * 2
0.5
"""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["Value", "topological_order"]

Number = int | float


class Value:
    """A scalar in a computation graph, with the gradient of the final result.

    Parameters
    ----------
    data : float
        The number.
    label : str, default ""
        A name used when the graph is printed or drawn (e.g. ``"w"``).

    Attributes
    ----------
    data : float
        The value computed in the forward pass.
    grad : float
        :math:`\\partial L / \\partial` this value, filled in by
        :meth:`backward` called on the final result :math:`L`; 0 before.
    label : str
        Its name (may be empty).
    op : str
        The operation that produced it: ``""`` for an input (a leaf), else one of
        ``"+"``, ``"-"``, ``"*"``, ``"/"``, ``"neg"``, ``"**"``, ``"relu"``,
        ``"sigmoid"``, ``"tanh"``, ``"exp"``, ``"log"``.
    children : tuple of Value
        The values it was computed from (empty for a leaf).
    local_grads : tuple of float
        The partial derivative of this value with respect to each child, at the
        children's current values.
    """

    def __init__(
        self,
        data: Number,
        label: str = "",
        *,
        children: Iterable[Value] = (),
        local_grads: Iterable[float] = (),
        op: str = "",
        exponent: Number | None = None,
    ) -> None:
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self.op = op
        self.children = tuple(children)
        self.local_grads = tuple(float(g) for g in local_grads)
        if len(self.children) != len(self.local_grads):
            raise ValueError("need one local gradient per child")
        self.exponent = exponent  # only for "**"

    def __repr__(self) -> str:
        name = f"{self.label}=" if self.label else ""
        return f"Value({name}{self.data:.6g}, grad={self.grad:.6g})"

    def named(self, label: str) -> Value:
        """Give this value a name (for printing and drawing); returns the value itself."""
        self.label = label
        return self

    @property
    def is_leaf(self) -> bool:
        """True for an input: a value not computed from other values."""
        return not self.children

    # -- arithmetic: each returns a new Value with its children and local derivatives --------

    @staticmethod
    def _lift(other: Value | Number) -> Value:
        """A plain number becomes a leaf Value (a constant whose gradient nobody reads)."""
        return other if isinstance(other, Value) else Value(other, label=f"{other:g}")

    def __add__(self, other: Value | Number) -> Value:
        other = self._lift(other)
        # d(a + b)/da = 1, d(a + b)/db = 1
        return Value(self.data + other.data, children=(self, other), local_grads=(1.0, 1.0), op="+")

    def __radd__(self, other: Number) -> Value:
        return self._lift(other) + self

    def __sub__(self, other: Value | Number) -> Value:
        other = self._lift(other)
        # d(a - b)/da = 1, d(a - b)/db = -1
        return Value(
            self.data - other.data, children=(self, other), local_grads=(1.0, -1.0), op="-"
        )

    def __rsub__(self, other: Number) -> Value:
        return self._lift(other) - self

    def __mul__(self, other: Value | Number) -> Value:
        other = self._lift(other)
        # d(a b)/da = b, d(a b)/db = a
        return Value(
            self.data * other.data,
            children=(self, other),
            local_grads=(other.data, self.data),
            op="*",
        )

    def __rmul__(self, other: Number) -> Value:
        return self._lift(other) * self

    def __truediv__(self, other: Value | Number) -> Value:
        other = self._lift(other)
        if other.data == 0:
            raise ZeroDivisionError("division of a Value by zero")
        # d(a / b)/da = 1 / b, d(a / b)/db = -a / b^2
        return Value(
            self.data / other.data,
            children=(self, other),
            local_grads=(1.0 / other.data, -self.data / other.data**2),
            op="/",
        )

    def __rtruediv__(self, other: Number) -> Value:
        return self._lift(other) / self

    def __neg__(self) -> Value:
        return Value(-self.data, children=(self,), local_grads=(-1.0,), op="neg")

    def __pow__(self, exponent: Number) -> Value:
        """``self ** exponent`` for a constant (int or float) exponent."""
        if isinstance(exponent, Value):
            raise TypeError("the exponent must be a plain number, not a Value")
        n = float(exponent)
        # d(a^n)/da = n a^(n-1)
        return Value(
            self.data**n,
            children=(self,),
            local_grads=(n * self.data ** (n - 1),),
            op="**",
            exponent=exponent,
        )

    # -- functions ------------------------------------------------------------------------

    def relu(self) -> Value:
        """``max(0, x)``; its derivative is 1 for x > 0, else 0 (0 at the kink, as in TF)."""
        return Value(
            max(0.0, self.data),
            children=(self,),
            local_grads=(1.0 if self.data > 0 else 0.0,),
            op="relu",
        )

    def sigmoid(self) -> Value:
        """``1 / (1 + exp(-x))``; its derivative is ``s (1 - s)``."""
        x = self.data
        e = math.exp(-abs(x))  # never overflows
        s = 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)
        return Value(s, children=(self,), local_grads=(s * (1.0 - s),), op="sigmoid")

    def tanh(self) -> Value:
        """Hyperbolic tangent; its derivative is ``1 - tanh(x)^2``."""
        t = math.tanh(self.data)
        return Value(t, children=(self,), local_grads=(1.0 - t * t,), op="tanh")

    def exp(self) -> Value:
        """``e^x``, which is also its own derivative."""
        e = math.exp(self.data)
        return Value(e, children=(self,), local_grads=(e,), op="exp")

    def log(self) -> Value:
        """Natural logarithm (of a positive value); its derivative is ``1 / x``."""
        if self.data <= 0:
            raise ValueError(f"log of a non-positive value, {self.data}")
        return Value(
            math.log(self.data), children=(self,), local_grads=(1.0 / self.data,), op="log"
        )

    # -- the backward pass ---------------------------------------------------------------------

    def backward(self) -> None:
        """Fill in ``grad`` of every value this one was computed from (backpropagation).

        Sets every gradient in the graph to 0, this value's to 1
        (:math:`\\partial L / \\partial L`), then visits the nodes from this one
        back towards the inputs, each only after every node that uses it, and
        passes gradient to each child: ``child.grad += node.grad * local``. A
        value used twice receives the sum of both contributions. Calling it
        again gives the same gradients (they are reset first, not accumulated).
        """
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for child, local in zip(node.children, node.local_grads):
                child.grad += node.grad * local

    def formula(self) -> str:
        """How this value is computed from its children, by their labels, e.g. ``"w·x"``.

        A leaf gives its own label. Children without a label appear as ``?``.
        """
        if self.is_leaf:
            return self.label or f"{self.data:g}"
        names = [c.label or "?" for c in self.children]
        if self.op == "+":
            return f"{names[0]} + {names[1]}"
        if self.op == "-":
            return f"{names[0]} − {names[1]}"
        if self.op == "*":
            return f"{names[0]}·{names[1]}"
        if self.op == "/":
            return f"{names[0]} / {names[1]}"
        if self.op == "neg":
            return f"−{names[0]}"
        if self.op == "**":
            superscripts = {2: "²", 3: "³", -1: "⁻¹"}
            power = superscripts.get(self.exponent, f"^{self.exponent:g}")
            return f"{names[0]}{power}"
        symbol = {"sigmoid": "σ"}.get(self.op, self.op)
        return f"{symbol}({names[0]})"


def topological_order(root: Value) -> list[Value]:
    """Every value ``root`` depends on (``root`` included), each after all of its children.

    Inputs come first and ``root`` last, so walking the list backwards visits
    every node before any of its children: the order backpropagation needs.

    Parameters
    ----------
    root : Value
        The final value of the graph, e.g. the loss.

    Returns
    -------
    list of Value
        Each node exactly once.
    """
    order: list[Value] = []
    seen: set[int] = set()
    # Depth-first search with an explicit stack (deep graphs would overflow recursion).
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for child in reversed(node.children):
            if id(child) not in seen:
                stack.append((child, False))
    return order
