"""numpy convolution and pooling against Keras's layers, and the book's CNN."""

import keras
import numpy as np
import pytest

from fashion_lessons.conv import (
    EDGE_KERNELS,
    build_cnn,
    conv2d,
    conv_output_size,
    conv_parameter_count,
    correlate2d,
    max_pool2d,
)

rng = np.random.default_rng(0)


def test_correlate2d_by_hand():
    image = np.arange(16.0).reshape(4, 4)
    kernel = np.array([[1.0, 0.0], [0.0, -1.0]])
    # every window's top-left minus bottom-right is -5
    np.testing.assert_array_equal(correlate2d(image, kernel), np.full((3, 3), -5.0))


def test_correlate2d_is_conv2d_on_one_channel():
    image, kernel = rng.normal(size=(9, 7)), rng.normal(size=(3, 2))
    batch = conv2d(image[None, :, :, None], kernel[:, :, None, None])
    np.testing.assert_allclose(correlate2d(image, kernel), batch[0, :, :, 0], atol=1e-12)


def test_correlate2d_does_not_flip_the_kernel():
    image = np.zeros((3, 3))
    image[0, 0] = 1.0
    kernel = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert correlate2d(image, kernel)[0, 0] == 1.0  # a true convolution would give 4


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("size", [(28, 28), (7, 6)])
def test_conv2d_matches_keras_conv2d(padding, stride, size):
    images = rng.normal(size=(3, *size, 2)).astype(np.float32)
    layer = keras.layers.Conv2D(4, 3, strides=stride, padding=padding)
    layer.build(images.shape)
    kernel, bias = layer.get_weights()
    bias = rng.normal(size=bias.shape).astype(np.float32)
    layer.set_weights([kernel, bias])
    expected = keras.ops.convert_to_numpy(layer(images))
    ours = conv2d(images, kernel, bias, stride=stride, padding=padding)
    assert ours.shape == expected.shape
    assert ours.shape[1] == conv_output_size(size[0], 3, stride, padding)
    np.testing.assert_allclose(ours, expected, atol=1e-4)


@pytest.mark.parametrize("pool,stride", [(2, None), (3, None), (3, 1)])
def test_max_pool2d_matches_keras(pool, stride):
    images = rng.normal(size=(2, 11, 10, 3)).astype(np.float32)
    layer = keras.layers.MaxPooling2D(pool, strides=stride)
    expected = keras.ops.convert_to_numpy(layer(images))
    np.testing.assert_array_equal(max_pool2d(images, pool, stride), expected)


def test_conv2d_explains_bad_shapes():
    with pytest.raises(ValueError, match=r"images\[..., None\]"):
        conv2d(np.zeros((28, 28)), np.zeros((3, 3, 1, 1)))
    with pytest.raises(ValueError, match="does not fit images with 1 channels"):
        conv2d(np.zeros((1, 28, 28, 1)), np.zeros((3, 3, 2, 4)))
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same'"):
        conv2d(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 1)), padding="full")
    with pytest.raises(ValueError, match="does not fit"):
        correlate2d(np.zeros((2, 2)), np.zeros((3, 3)))


def test_edge_kernels_answer_edges_not_flat_regions():
    image = np.zeros((6, 6))
    image[:, 3:] = 1.0  # a vertical edge between columns 2 and 3
    vertical = correlate2d(image, EDGE_KERNELS["vertical edges"])
    horizontal = correlate2d(image, EDGE_KERNELS["horizontal edges"])
    assert np.abs(vertical).max() == 4.0 and np.all(horizontal == 0)
    assert np.all(vertical[:, 0] == 0)  # flat region: no response


def test_parameter_counts_match_keras():
    # With batch normalization, as the chapter builds it: after pooling, it leaves the
    # convolutions their biases.
    model = build_cnn(filters=(16, 32), dense_units=64)
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    assert [c.count_params() for c in convs] == [
        conv_parameter_count(3, 1, 16),
        conv_parameter_count(3, 16, 32),
    ]


def test_build_cnn_shapes_and_options():
    model = build_cnn(filters=(8, 16), dense_units=32, batch_norm=True, dropout=0.25)
    out = model(np.zeros((2, 28, 28), np.float32))
    assert out.shape == (2, 10)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(out).sum(axis=1), 1.0, rtol=1e-5)
    names = [type(layer).__name__ for layer in model.layers]
    assert names.count("BatchNormalization") == 2 and "Dropout" in names
    # Each block: convolution, ReLU, pooling, then the pooled maps normalized.
    first = names.index("Conv2D")
    block = ["Conv2D", "ReLU", "MaxPooling2D", "BatchNormalization"]
    assert names[first : first + 8] == block * 2
    flatten = model.layers[names.index("Flatten")]
    assert flatten.output.shape[1] == 7 * 7 * 16  # two poolings: 28 -> 14 -> 7


def test_feature_maps_are_the_relu_outputs_of_each_block():
    from fashion_lessons.conv import feature_maps

    model = build_cnn(filters=(4, 8), dense_units=8, batch_norm=False)
    images = rng.random((3, 28, 28)).astype(np.float32)
    maps = feature_maps(model, images)
    assert [m.shape for m in maps.values()] == [(3, 28, 28, 4), (3, 14, 14, 8)]
    conv1 = model.layers[1]  # after the Reshape
    kernel, bias = conv1.get_weights()
    expected = np.maximum(conv2d(images[..., None], kernel, bias, padding="same"), 0)
    np.testing.assert_allclose(next(iter(maps.values())), expected, atol=1e-5)
    with pytest.raises(ValueError, match="no ReLU layer"):
        feature_maps(keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten()]), images)


def test_build_cnn_shifts_images_in_training_only():
    from fashion_lessons.training import set_seed

    set_seed(0)
    model = build_cnn(filters=(2,), dense_units=4, max_shift=1)
    shift = model.layers[1]
    assert isinstance(shift, keras.layers.RandomTranslation)
    images = rng.random((64, 28, 28, 1)).astype(np.float32)
    np.testing.assert_array_equal(shift(images, training=False), images)
    moved = keras.ops.convert_to_numpy(shift(images, training=True))
    # each image moved by a whole number of pixels, at most one each way (zeros filled in)
    from fashion_lessons.regularization import shift_images

    found = set()
    for image, out in zip(images[..., 0], moved[..., 0]):
        matches = [
            (dy, dx)
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
            if np.array_equal(shift_images(image[None], dy, dx)[0], out)
        ]
        assert matches, "an image was not moved by whole pixels within one"
        found.update(matches)
    assert len(found) > 4  # and the moves vary
    assert model.get_layer("conv1").filters == 2
