"""The mini-batch loop: which examples each step sees, and what the callers record."""

from itertools import islice

import numpy as np
import pytest

from fashion_lessons.minibatch import batch_indices, gradient_noise, train_steps, training_steps
from fashion_lessons.mlp import MLP
from fashion_lessons.optimizers import SGD


def small_data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, 784), dtype=np.float32), rng.integers(0, 10, n)


@pytest.mark.parametrize(("drop_last", "sizes"), [(False, [32, 32, 32, 4]), (True, [32, 32, 32])])
def test_batch_indices_cover_each_pass_once_then_reshuffle(drop_last, sizes):
    batches = batch_indices(100, 32, np.random.default_rng(0), drop_last=drop_last)
    first = list(islice(batches, len(sizes)))
    second = list(islice(batches, len(sizes)))
    assert [len(b) for b in first] == [len(b) for b in second] == sizes
    seen = np.concatenate(first)
    assert len(np.unique(seen)) == len(seen) == sum(sizes)
    if not drop_last:
        np.testing.assert_array_equal(np.sort(seen), np.arange(100))
    assert not np.array_equal(np.concatenate(first), np.concatenate(second))
    with pytest.raises(ValueError, match="positive"):
        next(batch_indices(10, 0, np.random.default_rng(0)))


def test_training_steps_report_the_loss_before_each_update():
    x, y = small_data()
    model, twin = MLP([784, 8, 10], seed=0), MLP([784, 8, 10], seed=0)
    for step in islice(training_steps(model, x, y, SGD(0.5), batch_size=25, seed=3), 5):
        batch = step.labels
        assert step.number >= 1 and step.losses.shape == batch.shape
        assert step.probabilities.shape == (len(batch), 10)
    assert step.number == 5
    assert not np.array_equal(model.weights[0], twin.weights[0])


def test_train_steps_with_full_batches_is_gradient_descent():
    x, y = small_data()
    model, twin = MLP([784, 8, 10], seed=0), MLP([784, 8, 10], seed=0)
    record = train_steps(model, x, y, SGD(0.5), batch_size=len(x), steps=3)
    for step in range(3):
        assert record["batch_loss"][step] == pytest.approx(twin.loss(x, y), rel=1e-6)
        twin.forward(x)
        for p, g in zip(twin.params, twin.backward(y)):
            p -= np.float32(0.5) * g
    for a, b in zip(model.params, twin.params):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert set(record) == {"batch_loss"}


def test_train_steps_records_evaluations():
    x, y = small_data(100)
    model = MLP([784, 16, 10], seed=0)
    record = train_steps(
        model, x, y, SGD(0.1), batch_size=32, steps=10, eval_data=(x, y), eval_every=4
    )
    np.testing.assert_array_equal(record["eval_step"], [0, 4, 8, 10])
    # batches of 32, 32, 32 and 4 per pass over the 100 examples
    np.testing.assert_array_equal(record["eval_examples"], [0, 100, 200, 264])
    assert record["eval_loss"][-1] == pytest.approx(model.loss(x, y))
    assert record["eval_loss"][-1] < record["eval_loss"][0]
    assert np.all(np.diff(record["eval_seconds"]) >= 0)
    assert record["batch_loss"].shape == (10,)
    with pytest.raises(ValueError):
        train_steps(model, x, y, SGD(0.1), batch_size=0, steps=1)


def test_train_steps_diverging_quietly():
    x, y = small_data()
    record = train_steps(MLP([784, 16, 10], seed=0), x, y, SGD(1e6), batch_size=20, steps=20)
    assert record["batch_loss"].shape == (20,)  # no RuntimeWarning (they are errors here)
    assert np.nanmax(record["batch_loss"]) > 10


def test_gradient_noise():
    x, y = small_data(200)
    model = MLP([784, 16, 10], seed=0)
    before = [p.copy() for p in model.params]
    noise = gradient_noise(model, x, y, batch_sizes=[1, 8, 200], repeats=10)
    np.testing.assert_array_equal(noise["batch_size"], [1, 8, 200])
    error = noise["relative_error"]
    assert error[0] > error[1] > 0
    assert error[2] == pytest.approx(0.0, abs=1e-5)  # a batch of all examples is the full batch
    assert np.all(noise["seconds"] > 0)
    for a, b in zip(before, model.params):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="between 1 and 200"):
        gradient_noise(model, x, y, batch_sizes=[201])
