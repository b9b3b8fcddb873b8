"""Regularization from scratch, checked against Keras's layers and regularizers."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from fashion_lessons import regularization as reg

# -- dropout --------------------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [0.2, 0.5])
def test_dropout_mask_statistics_and_scaling_match_keras_in_training(rate):
    x = np.ones((400, 500), dtype=np.float32)
    ours = reg.dropout(x, rate, np.random.default_rng(0))
    keras.utils.set_random_seed(0)
    theirs = keras.ops.convert_to_numpy(keras.layers.Dropout(rate)(x, training=True))
    sigma = np.sqrt(rate * (1 - rate) / x.size)  # standard error of the dropped share
    for out in (ours, theirs):
        assert out.dtype == np.float32
        assert abs(np.mean(out == 0) - rate) < 5 * sigma
        # Survivors are scaled by 1 / (1 - rate): the same value in both.
        np.testing.assert_allclose(out[out != 0], 1 / (1 - rate), rtol=1e-6)
        assert abs(out.mean() - 1.0) < 5 * sigma / (1 - rate)


def test_dropout_is_the_identity_at_inference_like_keras():
    x = np.random.default_rng(1).standard_normal((8, 20)).astype(np.float32)
    assert reg.dropout(x, 0.5, np.random.default_rng(0), training=False) is x
    theirs = keras.ops.convert_to_numpy(keras.layers.Dropout(0.5)(x, training=False))
    np.testing.assert_array_equal(theirs, x)


def test_dropout_keeps_the_expected_value_of_every_entry():
    x = np.linspace(-2, 3, 10)
    rng = np.random.default_rng(2)
    mean = np.mean([reg.dropout(x, 0.4, rng) for _ in range(20_000)], axis=0)
    np.testing.assert_allclose(mean, x, atol=0.06)


def test_dropout_rejects_rates_outside_zero_to_one():
    with pytest.raises(ValueError, match="rate"):
        reg.dropout(np.ones(3), 1.0, np.random.default_rng(0))


# -- L2 -------------------------------------------------------------------------------------------


def test_l2_penalty_is_what_keras_adds_to_model_losses():
    keras.utils.set_random_seed(0)
    model = reg.build_regularized_mlp(hidden_units=32, l2=3e-4)
    kernels = [layer.kernel.numpy() for layer in model.layers if hasattr(layer, "kernel")]
    assert len(model.losses) == 2  # one penalty per Dense kernel, none for the biases
    keras_total = float(sum(keras.ops.convert_to_numpy(loss) for loss in model.losses))
    ours = reg.l2_penalty(kernels, 3e-4)
    assert ours > 0
    np.testing.assert_allclose(ours, keras_total, rtol=1e-5)


def test_l2_gradient_matches_tensorflow():
    w = tf.Variable(np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32))
    with tf.GradientTape() as tape:
        penalty = keras.regularizers.L2(0.01)(w)
    np.testing.assert_allclose(
        tape.gradient(penalty, w).numpy(), reg.l2_gradient(w.numpy(), 0.01), rtol=1e-6
    )


def test_an_sgd_step_on_the_penalized_loss_decays_the_weights():
    """Weight decay: w <- (1 - 2 eta lambda) w - eta g, one Keras SGD step."""
    eta, lam = 0.1, 0.05
    rng = np.random.default_rng(3)
    w0 = rng.standard_normal((3, 2)).astype(np.float32)
    c = rng.standard_normal((3, 2)).astype(np.float32)  # data loss sum(c * w): gradient c
    w = tf.Variable(w0)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(c * w) + keras.regularizers.L2(lam)(w)
    keras.optimizers.SGD(learning_rate=eta).apply_gradients([(tape.gradient(loss, w), w)])
    np.testing.assert_allclose(w.numpy(), (1 - 2 * eta * lam) * w0 - eta * c, rtol=1e-5)


def test_kernel_norm_leaves_out_the_biases():
    keras.utils.set_random_seed(0)
    model = reg.build_regularized_mlp(hidden_units=16)
    model.layers[-1].bias.assign(np.full(10, 100.0, dtype=np.float32))
    kernels = np.concatenate(
        [model.layers[1].kernel.numpy().ravel(), model.layers[2].kernel.numpy().ravel()]
    )
    np.testing.assert_allclose(reg.kernel_norm(model), np.linalg.norm(kernels), rtol=1e-6)


# -- the network ----------------------------------------------------------------------------------
