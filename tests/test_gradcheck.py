"""Finite differences: estimates of chosen coordinates, and a check that catches bad backprop."""

import numpy as np

from fashion_lessons.gradcheck import gradient_check, numerical_gradient
from fashion_lessons.mlp import MLP


def test_gradient_check_passes_for_backprop_and_catches_a_bug():
    model = MLP([784, 32, 10], seed=0)  # float32: gradient_check works on a float64 copy
    rng = np.random.default_rng(0)
    x, y = rng.random((16, 784), dtype=np.float32), rng.integers(0, 10, 16)
    error = gradient_check(model, x, y, n_coords=10)
    assert error < 1e-7
    assert model.dtype == np.float32  # unchanged

    class Buggy(MLP):
        def backward(self, y):
            grads = super().backward(y)
            grads[0] = grads[0] * 1.01  # 1 % off in the first layer's weights
            return grads

    buggy = Buggy([784, 32, 10], seed=0)
    assert gradient_check(buggy, x, y, n_coords=10) > 1e-3


def test_numerical_gradient_on_selected_coordinates():
    a = np.arange(12.0).reshape(3, 4)
    b = np.ones(2)
    estimate = numerical_gradient(lambda: float(np.sum(a**2) + 3 * b.sum()), [a, b], n_coords=5)
    checked = ~np.isnan(estimate[0])
    assert checked.sum() == 5
    np.testing.assert_allclose(estimate[0][checked], 2 * a[checked], rtol=1e-8)
    np.testing.assert_allclose(estimate[1], [3.0, 3.0], rtol=1e-8)  # smaller than n_coords
    np.testing.assert_array_equal(a, np.arange(12.0).reshape(3, 4))  # restored


# -- Keras ------------------------------------------------------------------------------------
