"""The regularization experiment's plumbing: the network, a run's summaries, the data loss."""

import keras
import numpy as np
import pytest

from fashion_lessons import runs as reg
from fashion_lessons.augmentation import EpochBatches
from fashion_lessons.models import build_mlp
from fashion_lessons.training import compile_classifier, set_seed


def test_regularized_mlp_without_regularization_is_the_walkthrough_network():
    ours = reg.build_regularized_mlp(hidden_units=128)
    walkthrough = build_mlp(128)
    assert [type(layer) for layer in ours.layers] == [type(layer) for layer in walkthrough.layers]
    assert ours.count_params() == walkthrough.count_params() == 101_770
    assert not ours.losses


def test_regularized_mlp_puts_dropout_after_the_hidden_layer_and_l2_on_kernels_only():
    model = reg.build_regularized_mlp(hidden_units=64, dropout=0.5, l2=1e-4)
    names = [type(layer).__name__ for layer in model.layers]
    assert names == ["Flatten", "Dense", "Dropout", "Dense"]
    assert model.layers[2].rate == 0.5
    for dense in (model.layers[1], model.layers[3]):
        assert isinstance(dense.kernel_regularizer, keras.regularizers.L2)
        assert dense.kernel_regularizer.l2 == pytest.approx(1e-4)
        assert dense.bias_regularizer is None


# -- augmentation ---------------------------------------------------------------------------------


def fake_run(name, val_loss, val_accuracy, train_accuracy=0.95, test_accuracy=0.85):
    history = {
        "loss": [0.5] * len(val_loss),
        "accuracy": [0.8] * len(val_loss),
        "val_loss": val_loss,
        "val_accuracy": val_accuracy,
    }
    return reg.Run(name, None, history, 0.1, train_accuracy, 0.4, test_accuracy)


def test_run_summaries_and_results_table():
    run = fake_run("plain", [0.50, 0.40, 0.45, 0.55], [0.80, 0.86, 0.87, 0.85])
    assert run.min_val_loss == (0.40, 2)
    assert run.best_val_accuracy == (0.87, 3)
    assert run.late_val_loss == pytest.approx(0.475)  # fewer than five epochs: all of them
    assert run.val_loss_rise == pytest.approx(0.075)
    longer = fake_run("longer", [0.9, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], [0.8] * 7)
    assert longer.late_val_loss == pytest.approx(0.6)
    assert run.gap == pytest.approx(0.10)
    table = reg.results_table([run, fake_run("dropout", [0.5, 0.45], [0.8, 0.84])])
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["run", "best", "val"]
    assert set(lines[1]) == {"-"}
    assert "0.870 (3)" in lines[2] and "0.400 (2)" in lines[2]
    assert lines[2].split()[-2:] == ["0.100", "0.850"]  # gap, test accuracy
    assert lines[3].startswith("dropout")


def train(data, seed, **regularization):
    """The chapter's run, small: a seeded network on EpochBatches, measured by Run.measure."""
    model = reg.build_regularized_mlp(hidden_units=8, seed=seed, **regularization)
    compile_classifier(model, jit_compile=False)
    batches = EpochBatches(*data["train"], batch_size=32, max_shift=1, seed=seed)
    history = model.fit(
        batches,
        validation_data=data["validation"],
        epochs=2,
        shuffle=False,  # EpochBatches shuffles, with its own seed
        verbose=0,
        callbacks=[reg.DataLoss()],
    )
    return reg.Run.measure("run", model, history, data["train"], data["test"])


def small_data(seed):
    rng = np.random.default_rng(seed)
    x = rng.random((300, 28, 28)).astype(np.float32)
    y = rng.integers(0, 10, 300)
    return dict(
        train=(x[:200], y[:200]), validation=(x[200:250], y[200:250]), test=(x[250:], y[250:])
    )


def test_a_seeded_run_with_dropout_repeats_exactly_whatever_the_global_seed():
    data = small_data(0)
    set_seed(1)
    first = train(data, seed=0, dropout=0.3)
    set_seed(2)  # a different global state: the run must not depend on it
    second = train(data, seed=0, dropout=0.3)
    assert first.history == second.history and len(first.history["val_loss"]) == 2
    assert first.test_accuracy == second.test_accuracy
    assert 0 <= first.train_accuracy <= 1
    other = train(data, seed=1, dropout=0.3)
    assert other.history != first.history


def test_the_run_reports_validation_and_test_losses_without_the_l2_penalty():
    data = small_data(1)
    run = train(data, seed=0, l2=0.05)
    penalty = float(sum(keras.ops.convert_to_numpy(loss) for loss in run.model.losses))
    assert penalty > 0.01  # big enough to notice if it were left in

    def cross_entropy(images, labels):
        p = run.model.predict(images, verbose=0)
        return float(-np.mean(np.log(p[np.arange(len(labels)), labels])))

    validation, test = data["validation"], data["test"]
    np.testing.assert_allclose(run.history["val_loss"][-1], cross_entropy(*validation), rtol=1e-4)
    np.testing.assert_allclose(run.test_loss, cross_entropy(*test), rtol=1e-4)
    keras_reports = run.model.evaluate(*test, verbose=0)[0]
    np.testing.assert_allclose(keras_reports - penalty, run.test_loss, rtol=1e-4)
