"""The numpy optimizers follow Keras 3 step for step; Adam as the paper prints it differs."""

import keras
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from fashion_lessons import optimizers
from fashion_lessons.optimizers import SGD, Adam, AdamAlgorithm1, RMSprop
from fashion_lessons.surfaces import run_on_gradients

SHAPES = [(5, 3), (3,), (2, 3, 4), (1,)]
STEPS = 50

CONFIGS = [
    ("SGD", {}),
    ("SGD", {"learning_rate": 0.1}),
    ("SGD", {"learning_rate": 0.05, "momentum": 0.9}),
    ("SGD", {"learning_rate": 0.05, "momentum": 0.5, "nesterov": True}),
    ("RMSprop", {}),
    ("RMSprop", {"learning_rate": 0.01, "rho": 0.8, "epsilon": 1e-3}),
    ("Adam", {}),
    ("Adam", {"learning_rate": 0.02, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-4}),
]


def run_both(name, kwargs, dtype, seed):
    """Run ours and Keras's optimizer on the same start and gradients; return both results."""
    rng = np.random.default_rng(seed)
    start = [rng.standard_normal(shape).astype(dtype) for shape in SHAPES]
    # Gradients of varied size, including some tiny ones where epsilon matters.
    scales = [1.0, 1e-3, 10.0, 1e-6]
    grads = [
        [
            (s * rng.standard_normal(shape)).astype(dtype)
            for shape, s in zip(SHAPES, scales, strict=True)
        ]
        for _ in range(STEPS)
    ]

    ours = [p.copy() for p in start]
    opt = getattr(optimizers, name)(**kwargs)
    for g in grads:
        opt.apply(g, ours)

    theirs = [keras.Variable(p.copy(), dtype=dtype) for p in start]
    keras_opt = getattr(keras.optimizers, name)(**kwargs)
    for g in grads:
        keras_opt.apply([keras.ops.convert_to_tensor(a) for a in g], theirs)
    return start, ours, [keras.ops.convert_to_numpy(v) for v in theirs]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("name", "kwargs"), CONFIGS)
def test_matches_keras_over_50_steps(name, kwargs, dtype):
    start, ours, theirs = run_both(name, kwargs, dtype, seed=len(name) + len(kwargs))
    for p0, p, k in zip(start, ours, theirs, strict=True):
        assert p.dtype == np.dtype(dtype)
        assert not np.array_equal(p, p0)  # it moved
        np.testing.assert_allclose(p, k, rtol=1e-5, atol=1e-5)


def test_default_hyperparameters_match_keras():
    sgd = SGD()
    assert sgd.learning_rate == pytest.approx(0.01) and sgd.momentum == 0 and not sgd.nesterov
    keras_rms = keras.optimizers.RMSprop()
    assert keras_rms.momentum == 0.0 and keras_rms.centered is False  # what RMSprop implements
    rms = RMSprop()
    assert (rms.rho, rms.epsilon) == (keras_rms.rho, keras_rms.epsilon)
    adam, keras_adam = Adam(), keras.optimizers.Adam()
    assert (adam.beta_1, adam.beta_2, adam.epsilon) == (
        keras_adam.beta_1,
        keras_adam.beta_2,
        keras_adam.epsilon,
    )
    assert adam.learning_rate == float(keras.ops.convert_to_numpy(keras_adam.learning_rate))


def test_rmsprop_epsilon_is_inside_the_square_root():
    # One step from zero state: s = (1 - rho) g^2, step = lr g / sqrt(s + eps).
    g, eps, rho, lr = 1e-3, 1e-4, 0.9, 0.5
    p = np.zeros(1)
    RMSprop(learning_rate=lr, rho=rho, epsilon=eps).apply([np.array([g])], [p])
    expected = -lr * g / np.sqrt((1 - rho) * g**2 + eps)  # lr = 0.5 is exact in float32
    np.testing.assert_allclose(p, [expected], rtol=1e-12)
    outside = -lr * g / (np.sqrt((1 - rho) * g**2) + eps)
    assert abs(p[0] - outside) > 1e-3 * abs(outside)


def test_adam_uses_epsilon_hat():
    # First step: m = (1-b1) g, v = (1-b2) g^2, lr_t = lr sqrt(1-b2)/(1-b1).
    g, eps = 1e-4, 1e-3
    p = np.zeros(1)
    Adam(learning_rate=0.1, epsilon=eps).apply([np.array([g])], [p])
    lr = float(np.float32(0.1))
    beta_1, beta_2 = (np.float64(np.float32(b)) for b in (0.9, 0.999))  # as Keras casts them
    alpha = lr * np.sqrt(1 - beta_2) / (1 - beta_1)
    expected = -alpha * 0.1 * g / (np.sqrt(0.001 * g**2) + eps)
    np.testing.assert_allclose(p, [expected], rtol=1e-9)
    paper = -lr * g / (np.sqrt(g**2) + eps)  # Algorithm 1: epsilon added to sqrt(v_hat)
    assert abs(p[0] - paper) > 0.1 * abs(paper)


def test_state_is_created_lazily_per_parameter():
    opt = Adam()
    assert opt.slots == {} and opt.iterations == 0
    params = [np.ones((2, 3)), np.ones(4, dtype=np.float32)]
    opt.apply([np.ones((2, 3)), np.ones(4, dtype=np.float32)], params)
    assert opt.iterations == 1
    assert [m.shape for m in opt.slots["momentum"]] == [(2, 3), (4,)]
    assert [v.dtype for v in opt.slots["velocity"]] == [np.float64, np.float32]
    assert SGD().slots == {} and SGD(momentum=0.9).slot_names == ("velocity",)


def test_apply_rejects_bad_arguments():
    p = np.zeros(3)
    with pytest.raises(ValueError, match="2 gradients for 1 parameters"):
        SGD().apply([np.zeros(3), np.zeros(3)], [p])
    with pytest.raises(ValueError, match="shape"):
        SGD().apply([np.zeros(4)], [p])
    with pytest.raises(TypeError, match="floating-point numpy array"):
        SGD().apply([np.zeros(3)], [np.zeros(3, dtype=int)])
    opt = Adam()
    opt.apply([np.zeros(3)], [p])
    with pytest.raises(ValueError, match="new optimizer"):
        opt.apply([np.zeros(2)], [np.zeros(2)])
    with pytest.raises(ValueError, match="momentum"):
        SGD(momentum=1.5)
    with pytest.raises(ValueError, match="learning_rate"):
        Adam(learning_rate=0.0)


@st.composite
def convex_quadratics(draw):
    """A positive definite matrix A and a point p, for f(p) = 0.5 p^T A p."""
    d = draw(st.integers(1, 5))
    elements = st.floats(-3, 3, allow_nan=False, allow_subnormal=False)
    m = draw(hnp.arrays(np.float64, (d, d), elements=elements))
    p = draw(hnp.arrays(np.float64, (d,), elements=st.floats(-5, 5, allow_subnormal=False)))
    return m @ m.T + 0.1 * np.eye(d), p


OPTIMIZER_KINDS = [
    lambda lr: SGD(learning_rate=lr),
    lambda lr: SGD(learning_rate=lr, momentum=0.9),
    lambda lr: SGD(learning_rate=lr, momentum=0.9, nesterov=True),
    lambda lr: RMSprop(learning_rate=lr),
    lambda lr: Adam(learning_rate=lr),
]


@settings(max_examples=60, deadline=None)
@given(problem=convex_quadratics(), make=st.sampled_from(OPTIMIZER_KINDS))
def test_one_small_step_lowers_a_convex_quadratic(problem, make):
    a, p = problem
    grad = a @ p
    assume(np.min(np.abs(grad)) > 1e-3)
    # Small enough for every rule here: each first step is -lr * D @ grad with D positive
    # diagonal and at most ~3.2 (RMSprop's 1/sqrt(1 - rho)) per coordinate, or 2 (Nesterov).
    lr = 0.1 * min(1.0, np.min(np.abs(grad))) / np.linalg.eigvalsh(a).max()
    before = 0.5 * p @ a @ p
    make(lr).apply([grad], [p])
    assert 0.5 * p @ a @ p < before


def test_adam_algorithm1_with_epsilon_hat_is_keras_adam():
    rng = np.random.default_rng(0)
    for scale in (1.0, 1e-7):  # ordinary and tiny gradients
        grads = scale * rng.standard_normal((50, 3))
        start = rng.standard_normal(3)
        keras_end = run_on_gradients(keras.optimizers.Adam(0.01), grads, start)
        hat = run_on_gradients(AdamAlgorithm1(0.01, epsilon_hat=1e-7), grads, start)
        np.testing.assert_allclose(hat, keras_end, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(
            run_on_gradients(Adam(0.01), grads, start), keras_end, rtol=1e-12, atol=1e-15
        )


def test_adam_algorithm1_with_plain_epsilon_follows_the_paper():
    rng = np.random.default_rng(2)
    grads = 1e-7 * rng.standard_normal((20, 2))
    lr, b1, b2, eps = 0.001, 0.9, 0.999, 1e-7
    theta, m, v = np.zeros(2), np.zeros(2), np.zeros(2)
    # beta^t from the betas rounded to float32, as Keras (and the class) compute it
    p1, p2 = float(np.float32(b1)), float(np.float32(b2))
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        m_hat, v_hat = m / (1 - p1**t), v / (1 - p2**t)
        theta = theta - float(np.float32(lr)) * m_hat / (np.sqrt(v_hat) + eps)
    ours = run_on_gradients(AdamAlgorithm1(lr, b1, b2, epsilon=eps), grads, np.zeros(2))
    np.testing.assert_allclose(ours, theta, rtol=1e-12)
    # ... and with gradients this small, that is far from Keras's epsilon-hat form.
    keras_end = run_on_gradients(Adam(lr), grads, np.zeros(2))
    assert np.abs(ours - keras_end).max() > 0.5 * np.abs(keras_end).max()
