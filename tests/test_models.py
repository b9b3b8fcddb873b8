"""The walkthrough's model: shapes, parameter count and the plain-text summary."""

import numpy as np

from fashion_lessons.models import build_mlp, dense_parameter_count, describe


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
