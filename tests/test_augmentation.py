"""Data augmentation: shifts checked by hand and against Keras; batches shifted anew each epoch."""

import keras
import numpy as np
import pytest

from fashion_lessons import regularization as reg

# -- dropout --------------------------------------------------------------------------------------


def test_shift_images_on_a_hand_worked_example():
    image = np.arange(1, 10).reshape(1, 3, 3)
    np.testing.assert_array_equal(
        reg.shift_images(image, 1, 0)[0], [[0, 0, 0], [1, 2, 3], [4, 5, 6]]
    )
    np.testing.assert_array_equal(
        reg.shift_images(image, 0, -1)[0], [[2, 3, 0], [5, 6, 0], [8, 9, 0]]
    )
    np.testing.assert_array_equal(
        reg.shift_images(image, -1, 1)[0], [[0, 4, 5], [0, 7, 8], [0, 0, 0]]
    )


def test_shift_images_shifts_each_image_by_its_own_amount():
    images = np.arange(2 * 3 * 3).reshape(2, 3, 3)
    out = reg.shift_images(images, np.array([0, 1]), np.array([1, 0]))
    np.testing.assert_array_equal(out[0], reg.shift_images(images[:1], 0, 1)[0])
    np.testing.assert_array_equal(out[1], reg.shift_images(images[1:], 1, 0)[0])


@pytest.mark.parametrize(("dy", "dx"), [(2, 0), (0, -3), (-1, 2), (3, 3)])
def test_shift_images_matches_keras_random_translation(dy, dx):
    images = np.random.default_rng(0).random((4, 28, 28)).astype(np.float32)
    # A factor range of a single value is a fixed translation, in fractions of the size.
    layer = keras.layers.RandomTranslation(
        height_factor=(dy / 28, dy / 28),
        width_factor=(dx / 28, dx / 28),
        fill_mode="constant",
        interpolation="nearest",
    )
    theirs = keras.ops.convert_to_numpy(layer(images[..., None], training=True))[..., 0]
    np.testing.assert_allclose(reg.shift_images(images, dy, dx), theirs, atol=1e-6)


def test_random_shifts_stay_within_range_and_keep_centred_content():
    images = np.zeros((500, 12, 12), dtype=np.float32)
    images[:, 5, 5] = 1.0  # one bright pixel; a shift of at most 2 keeps it in the frame
    out = reg.random_shifts(images, 2, np.random.default_rng(0))
    rows, cols = np.nonzero(out.reshape(500, 12, 12).sum(axis=0))
    assert set(rows - 5) == set(cols - 5) == {-2, -1, 0, 1, 2}  # every shift occurs
    np.testing.assert_array_equal(out.sum(axis=(1, 2)), 1.0)
    again = reg.random_shifts(images, 2, np.random.default_rng(0))
    np.testing.assert_array_equal(out, again)


def test_facing_share_tells_a_shape_from_its_mirror():
    shoe = np.zeros((6, 6))
    shoe[4, :2] = 1.0  # the toe, on the left
    shoe[1:5, 4] = 1.0  # the shaft, on the right
    images = np.stack([shoe, shoe[:, ::-1], shoe, shoe])
    assert reg.facing_share(images, shoe) == 0.75
    assert reg.facing_share(images, shoe[:, ::-1]) == 0.25


def test_epoch_batches_reshuffle_every_epoch_and_cover_every_example_once():
    x = np.arange(10, dtype=np.float32)[:, None, None] * np.ones((10, 4, 4), dtype=np.float32)
    y = np.arange(10)
    batches = reg.EpochBatches(x, y, batch_size=4, seed=0)
    assert len(batches) == 3
    orders = []
    for _ in range(2):
        batches.on_epoch_begin()
        got = [batches[i] for i in range(len(batches))]
        xs = np.concatenate([b[0] for b in got])
        ys = np.concatenate([b[1] for b in got])
        np.testing.assert_array_equal(xs[:, 0, 0], ys)  # images stay with their labels
        assert sorted(ys) == list(range(10))
        orders.append(ys)
        batches.on_epoch_end()
    assert not np.array_equal(*orders)
    again = reg.EpochBatches(x, y, batch_size=4, seed=0)
    again.on_epoch_begin()
    np.testing.assert_array_equal(np.concatenate([again[i][1] for i in range(3)]), orders[0])


def test_epoch_batches_shift_the_images_but_not_the_order():
    x = np.random.default_rng(0).random((64, 28, 28)).astype(np.float32)
    y = np.arange(64)
    plain = reg.EpochBatches(x, y, batch_size=64, seed=5)
    shifted = reg.EpochBatches(x, y, batch_size=64, max_shift=2, seed=5)
    plain.on_epoch_begin()
    shifted.on_epoch_begin()
    np.testing.assert_array_equal(plain[0][1], shifted[0][1])
    assert not np.array_equal(plain[0][0], shifted[0][0])


# -- the experiment -------------------------------------------------------------------------------
