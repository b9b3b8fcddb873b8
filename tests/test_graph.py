"""The scalar autodiff engine: its gradients against finite differences and tf.GradientTape."""

import math

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from fashion_lessons.graph import Value, topological_order

finite = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.2, max_value=3.0)


def expression(a, b, c):
    """Uses every operation once or more; works for Values and for plain floats via ``ops``."""
    u = a * b + c
    v = (u - 0.5).sigmoid() * a.tanh()
    w = (c * c + 1.0).log() / (b.exp() + 1.0)
    z = (-v + 2.0 * w) ** 2 + (a - c).relu() - 1.5 / (c * c + 2.0)
    return z + 3.0 - b


def expression_tf(a, b, c):
    u = a * b + c
    v = tf.sigmoid(u - 0.5) * tf.tanh(a)
    w = tf.math.log(c * c + 1.0) / (tf.exp(b) + 1.0)
    z = (-v + 2.0 * w) ** 2 + tf.nn.relu(a - c) - 1.5 / (c * c + 2.0)
    return z + 3.0 - b


def expression_float(a, b, c):
    u = a * b + c
    v = 1 / (1 + math.exp(-(u - 0.5))) * math.tanh(a)
    w = math.log(c * c + 1.0) / (math.exp(b) + 1.0)
    z = (-v + 2.0 * w) ** 2 + max(a - c, 0.0) - 1.5 / (c * c + 2.0)
    return z + 3.0 - b


def gradients(a, b, c):
    va, vb, vc = Value(a, "a"), Value(b, "b"), Value(c, "c")
    out = expression(va, vb, vc)
    out.backward()
    return out, (va.grad, vb.grad, vc.grad)


@settings(max_examples=60, deadline=None)
@given(finite, finite, finite)
def test_forward_value_and_gradients_match_finite_differences(a, b, c):
    if abs(a - c) < 1e-3:  # stay away from the ReLU's kink
        a += 0.01
    out, grads = gradients(a, b, c)
    assert out.data == pytest.approx(expression_float(a, b, c), rel=1e-12, abs=1e-12)
    h = 1e-6
    point = [a, b, c]
    for i, g in enumerate(grads):
        plus, minus = list(point), list(point)
        plus[i] += h
        minus[i] -= h
        estimate = (expression_float(*plus) - expression_float(*minus)) / (2 * h)
        assert g == pytest.approx(estimate, rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("point", [(0.3, -1.2, 0.7), (1.5, 0.4, -2.0), (-0.8, 2.2, -0.1)])
def test_gradients_match_tensorflow(point):
    out, grads = gradients(*point)
    variables = [tf.Variable(p, dtype=tf.float64) for p in point]
    with tf.GradientTape() as tape:
        result = expression_tf(*variables)
    expected = tape.gradient(result, variables)
    assert out.data == pytest.approx(float(result), rel=1e-12)
    np.testing.assert_allclose(grads, [e.numpy() for e in expected], rtol=1e-10, atol=1e-12)


def test_single_neuron_matches_the_chain_rule_and_tensorflow():
    x, w, b, y = Value(1.5, "x"), Value(0.8, "w"), Value(-0.5, "b"), Value(1.0, "y")
    a = (w * x + b).sigmoid()
    loss = (a - y) ** 2
    loss.backward()
    s = 1 / (1 + math.exp(-(0.8 * 1.5 - 0.5)))
    assert w.grad == pytest.approx(2 * (s - 1) * s * (1 - s) * 1.5, rel=1e-12)
    assert b.grad == pytest.approx(2 * (s - 1) * s * (1 - s), rel=1e-12)
    tw, tb = tf.Variable(0.8, dtype=tf.float64), tf.Variable(-0.5, dtype=tf.float64)
    with tf.GradientTape() as tape:
        tl = (tf.sigmoid(tw * 1.5 + tb) - 1.0) ** 2
    gw, gb = tape.gradient(tl, [tw, tb])
    assert w.grad == pytest.approx(gw.numpy(), rel=1e-12)
    assert b.grad == pytest.approx(gb.numpy(), rel=1e-12)


def test_a_value_used_twice_sums_its_gradients_and_backward_is_repeatable():
    x = Value(3.0, "x")
    g = x * x + x
    g.backward()
    assert x.grad == 7.0  # 2x + 1
    g.backward()
    assert x.grad == 7.0  # reset, not accumulated
    assert g.grad == 1.0


def test_relu_and_sigmoid_edge_cases():
    zero = Value(0.0)
    r = zero.relu()
    r.backward()
    assert r.data == 0.0 and zero.grad == 0.0  # TF's convention at the kink
    big = Value(-1000.0)
    s = big.sigmoid()  # no overflow warning (pytest turns warnings into errors)
    s.backward()
    assert s.data == pytest.approx(0.0, abs=1e-300) and big.grad == pytest.approx(0.0)
    assert Value(1000.0).sigmoid().data == 1.0


def test_reflected_operators_and_constants():
    x = Value(2.0)
    assert (3 + x).data == 5 and (3 - x).data == 1 and (3 * x).data == 6 and (3 / x).data == 1.5
    out = 3 / x
    out.backward()
    assert x.grad == pytest.approx(-3 / 4)


def test_topological_order_puts_children_first_and_handles_deep_graphs():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    order = topological_order(d)
    assert order[-1] is d and len(order) == 4
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for child in node.children:
            assert position[id(child)] < position[id(node)]
    # A chain far deeper than Python's recursion limit.
    x = Value(0.5)
    y = x
    for _ in range(5000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad == pytest.approx(1.0)


def test_errors():
    with pytest.raises(ValueError, match="non-positive"):
        Value(0.0).log()
    with pytest.raises(ZeroDivisionError):
        Value(1.0) / 0.0
    with pytest.raises(TypeError, match="plain number"):
        Value(2.0) ** Value(2.0)
    with pytest.raises(ValueError, match="one local gradient per child"):
        Value(1.0, children=(Value(1.0),), local_grads=())


def test_formula_and_labels():
    w, x, b = Value(0.5, "w"), Value(2.0, "x"), Value(-1.0, "b")
    u = (w * x).named("u")
    assert u.formula() == "w·x"
    assert (u + b).formula() == "u + b"
    assert (u - b).formula() == "u − b"
    assert (u / b).formula() == "u / b"
    assert (-u).formula() == "−u"
    assert (u**2).formula() == "u²"
    assert (u**0.5).formula() == "u^0.5"
    assert u.sigmoid().formula() == "σ(u)"
    assert u.relu().formula() == "relu(u)"
    assert (u + 1).formula() == "u + 1"
    assert w.formula() == "w" and w.is_leaf and not u.is_leaf
    assert repr(u) == "Value(u=1, grad=0)"
