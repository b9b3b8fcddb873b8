"""The walkthrough's model: shapes, parameter count, seeds and the plain-text summary."""

import numpy as np
import pytest

from fashion_lessons.models import build_mlp, dense_parameter_count, describe
from fashion_lessons.training import set_seed


def test_mlp_shapes_and_parameter_count():
    model = build_mlp()
    out = model(np.zeros((3, 28, 28), dtype=np.float32))
    assert tuple(out.shape) == (3, 10)
    np.testing.assert_allclose(np.sum(out, axis=1), 1.0, rtol=1e-6)
    assert [type(layer).__name__ for layer in model.layers] == ["Flatten", "Dense", "Dense"]
    hidden, output = model.layers[1], model.layers[2]
    assert tuple(hidden.kernel.shape) == (784, 128) and tuple(hidden.bias.shape) == (128,)
    assert tuple(output.kernel.shape) == (128, 10) and tuple(output.bias.shape) == (10,)
    # One bias per neuron: 784*128 + 128 + 128*10 + 10.
    assert model.count_params() == 101_770 == dense_parameter_count([784, 128, 10])


def test_describe_lists_every_layer_without_box_drawing():
    text = describe(build_mlp(hidden_units=32))
    assert "784 x 32" in text and "32 x 10" in text
    assert f"{784 * 32 + 32:,}" in text and f"{25_450:,}" in text
    assert all(ord(ch) < 128 for ch in text)


def assert_same_weights(a, b):
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_array_equal(wa, wb)


@pytest.mark.parametrize(
    "regularization", [dict(dropout=0.5), dict(l2=1e-3), dict(dropout=0.2, l2=1e-4)]
)
def test_the_same_seed_starts_every_regularization_from_the_same_weights(regularization):
    assert_same_weights(build_mlp(32, seed=3), build_mlp(32, seed=3, **regularization))


def test_different_seeds_start_from_different_weights():
    a, b = build_mlp(32, seed=3).get_weights(), build_mlp(32, seed=4).get_weights()
    assert not np.array_equal(a[0], b[0]) and not np.array_equal(a[2], b[2])
    # The two kernels have seeds of their own, not one seed shared.
    assert not np.array_equal(a[0][:32, :10], a[2][:32, :10])


def test_without_a_seed_set_seed_repeats_the_weights_and_dropout_does_not_shift_them():
    set_seed(5)
    plain = build_mlp(32)
    set_seed(5)
    dropped = build_mlp(32, dropout=0.5)
    assert_same_weights(plain, dropped)
    set_seed(6)
    assert not np.array_equal(build_mlp(32).get_weights()[0], plain.get_weights()[0])


def test_a_seeded_dropout_layer_draws_the_same_masks_in_every_network():
    ones = np.ones((64, 32), dtype=np.float32)

    def mask(seed):
        dropout = build_mlp(32, dropout=0.5, seed=seed).layers[2]
        return np.asarray(dropout(ones, training=True)) == 0

    set_seed(7)
    first = mask(0)
    set_seed(8)  # the global state does not matter
    np.testing.assert_array_equal(first, mask(0))
    assert 0.3 < first.mean() < 0.7 and not np.array_equal(first, mask(1))
