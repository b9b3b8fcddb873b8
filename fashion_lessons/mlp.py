r"""A small multilayer perceptron in numpy: forward, backward, train.

The network maps an image, flattened to a vector :math:`a_0 = x` of 784 pixels,
through layers :math:`l = 1, \dots, L`:

.. math::

    z_l = a_{l-1} W_l + b_l, \qquad
    a_l = \begin{cases} \phi(z_l) & l < L \\ \mathrm{softmax}(z_l) & l = L \end{cases}

where :math:`W_l` has shape (n_in, n_out), :math:`b_l` has one entry per
neuron, and :math:`\phi` is the hidden activation (ReLU by default). This is
exactly what a Keras ``Sequential`` of ``Dense`` layers computes, with the same
weight layout, so weights can be copied across (:meth:`MLP.from_keras`).

Training minimises the mean cross-entropy :math:`-\frac1N \sum_n \log p_{n, y_n}`
over a batch. Backpropagation starts from the combined gradient of softmax and
cross-entropy with respect to the output logits, which is simply
:math:`(p - \mathrm{onehot}(y)) / N`, and walks back through the layers:

.. math::

    \frac{\partial L}{\partial W_l} = a_{l-1}^\top \delta_l, \qquad
    \frac{\partial L}{\partial b_l} = \textstyle\sum_n \delta_l, \qquad
    \delta_{l-1} = (\delta_l W_l^\top) \odot \phi'(z_{l-1}).

:class:`MLP` is assembled from the book's concept modules: the initial weights
come from :mod:`fashion_lessons.initializers`, each layer's
:math:`a_{l-1} W_l + b_l` from :func:`fashion_lessons.layers.dense`, the hidden
activation and its derivative from :data:`fashion_lessons.activations.ACTIVATIONS`,
the loss and its gradient from :mod:`fashion_lessons.losses`, and the training
loop from :mod:`fashion_lessons.minibatch`. :func:`numerical_gradient` and
:func:`gradient_check` (from :mod:`fashion_lessons.gradcheck`) compare these
gradients with finite differences.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Sequence
from itertools import islice, pairwise

import numpy as np

from fashion_lessons.activations import ACTIVATIONS, softmax
from fashion_lessons.gradcheck import gradient_check, numerical_gradient
from fashion_lessons.initializers import INITIALIZERS, initialize
from fashion_lessons.layers import dense
from fashion_lessons.losses import (
    sparse_categorical_crossentropy,
    sparse_categorical_crossentropy_gradient,
)
from fashion_lessons.minibatch import training_steps
from fashion_lessons.optimizers import Optimizer

__all__ = ["INITIALIZERS", "MLP", "gradient_check", "numerical_gradient"]


class MLP:
    """A fully connected network with softmax outputs, in numpy.

    Parameters
    ----------
    sizes : sequence of int
        Neurons per layer, input first: ``[784, 128, 10]`` is 784 inputs, one
        hidden layer of 128 and 10 output classes.
    activation : {"relu", "leaky_relu", "sigmoid", "tanh"}, default "relu"
        Activation of the hidden layers (the output layer uses softmax).
    init : {"glorot_uniform", "he_normal", "normal", "zeros"}, default "glorot_uniform"
        How to draw the initial weights, with
        :func:`fashion_lessons.initializers.initialize` (``"glorot_uniform"`` is
        Keras ``Dense``'s default). Biases always start at 0, as in Keras.
    seed : int, default 0
        Seed for the weight initialization.
    dtype : numpy float dtype, default float32
        Dtype of the parameters and of all computation. Use float64 for
        gradient checking.
    normal_std : float, default 0.05
        Standard deviation for ``init="normal"``.

    Attributes
    ----------
    weights : list of ndarray
        ``weights[l]`` has shape (sizes[l], sizes[l+1]).
    biases : list of ndarray
        ``biases[l]`` has shape (sizes[l+1],): one per neuron.
    epoch_seconds : list of float
        Wall-clock seconds of each epoch of the last :meth:`fit` (like
        :class:`fashion_lessons.training.EpochLog`'s), validation included.

    Examples
    --------
    >>> model = MLP([784, 128, 10], seed=0)
    >>> model.count_params()
    101770
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "relu",
        init: str = "glorot_uniform",
        seed: int = 0,
        dtype: type | np.dtype = np.float32,
        normal_std: float = 0.05,
    ) -> None:
        self.sizes = [int(n) for n in sizes]
        if len(self.sizes) < 2 or min(self.sizes) < 1:
            raise ValueError(f"sizes needs at least two positive layer sizes, got {sizes!r}")
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}"
            )
        self.activation = activation
        self._phi, self._phi_derivative = ACTIVATIONS[activation]
        self.init = init
        self.dtype = np.dtype(dtype)
        rng = np.random.default_rng(seed)
        self.weights = [
            initialize(init, n_in, n_out, rng, normal_std).astype(self.dtype)
            for n_in, n_out in pairwise(self.sizes)
        ]
        self.biases = [np.zeros(n_out, dtype=self.dtype) for n_out in self.sizes[1:]]
        # What backward needs from the last forward: each layer's input and pre-activation.
        self._cache: tuple[list[np.ndarray], list[np.ndarray]] | None = None
        self.epoch_seconds: list[float] = []

    def __repr__(self) -> str:
        return (
            f"MLP({self.sizes}, activation={self.activation!r}, init={self.init!r}, "
            f"dtype={self.dtype.name})"
        )

    @property
    def params(self) -> list[np.ndarray]:
        """``[W1, b1, W2, b2, ...]``: the model's own arrays, so updating them updates it."""
        return [p for W, b in zip(self.weights, self.biases, strict=True) for p in (W, b)]

    def count_params(self) -> int:
        """Number of weights and biases (what Keras's ``model.count_params()`` reports)."""
        return sum(p.size for p in self.params)

    def astype(self, dtype: type | np.dtype) -> MLP:
        """A copy of the model with its parameters converted to ``dtype``."""
        twin = copy.copy(self)  # keeps the class and settings; the arrays are replaced below
        twin.dtype = np.dtype(dtype)
        twin.weights = [W.astype(dtype) for W in self.weights]
        twin.biases = [b.astype(dtype) for b in self.biases]
        twin._cache = None  # the copy shares no activations
        return twin

    # -- forward and backward ---------------------------------------------------------------

    def as_input(self, x: np.ndarray) -> np.ndarray:
        """Flatten images (N, 28, 28) to (N, 784) and cast to the model's dtype."""
        x = np.asarray(x)
        x = x.reshape(len(x), -1).astype(self.dtype, copy=False)
        if x.shape[1] != self.sizes[0]:
            raise ValueError(f"expected {self.sizes[0]} input features, got {x.shape[1]}")
        return x

    def as_labels(self, y: np.ndarray, n: int) -> np.ndarray:
        """``y`` as an array of ``n`` class labels, checked against the number of classes."""
        y = np.asarray(y)
        if y.shape != (n,) or not np.issubdtype(y.dtype, np.integer):
            raise ValueError(
                f"y must be {n} integer class labels, got {y.dtype} of shape {y.shape}"
            )
        if n and (y.min() < 0 or y.max() >= self.sizes[-1]):
            raise ValueError(f"labels must be in 0..{self.sizes[-1] - 1}")
        return y

    def _forward(self, x: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Run the network; return each layer's input a_{l-1} and pre-activation z_l."""
        inputs, zs = [], []
        a = self.as_input(x)
        last = len(self.weights) - 1
        for layer, (W, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            z = dense(a, W, b)  # a @ W + b
            inputs.append(a)
            zs.append(z)
            # The output layer's activation (softmax) is applied by the caller.
            a = self._phi(z) if layer < last else z
        return inputs, zs

    def logits(self, x: np.ndarray) -> np.ndarray:
        """The output layer's pre-activations z_L, shape (N, n_classes), before the softmax."""
        return self._forward(x)[1][-1]

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities for a batch, remembering what :meth:`backward` needs.

        Parameters
        ----------
        x : array_like, shape (N, 784) or (N, 28, 28)
            Inputs, e.g. pixel values scaled to [0, 1].

        Returns
        -------
        ndarray, shape (N, n_classes)
            Softmax probabilities; each row sums to 1.
        """
        self._cache = self._forward(x)
        return softmax(self._cache[1][-1])

    def backward(self, y: np.ndarray) -> list[np.ndarray]:
        """Gradients of the mean cross-entropy of the last :meth:`forward` batch.

        Parameters
        ----------
        y : array_like of int, shape (N,)
            True class of each example in that batch.

        Returns
        -------
        list of ndarray
            ``[dL/dW1, dL/db1, dL/dW2, dL/db2, ...]``, matching :attr:`params`
            in order and shapes.
        """
        if self._cache is None:
            raise RuntimeError("call forward(x) before backward(y)")
        inputs, zs = self._cache
        y = self.as_labels(y, len(zs[-1]))
        # Softmax and cross-entropy together have the simple gradient (p - onehot(y)) / N
        # with respect to the output logits z_L.
        delta = sparse_categorical_crossentropy_gradient(y, zs[-1], from_logits=True) / len(y)
        grads: list[np.ndarray] = []
        for layer in reversed(range(len(self.weights))):
            # z_l = a_{l-1} W_l + b_l, so each weight's gradient is (its input) x (delta).
            grads[:0] = [inputs[layer].T @ delta, delta.sum(axis=0)]
            if layer > 0:
                # Send delta back through W_l, then through the activation of layer l-1.
                delta = (delta @ self.weights[layer].T) * self._phi_derivative(zs[layer - 1])
        return grads

    def gradients(self, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
        """:meth:`forward` then :meth:`backward` on one batch, keeping nothing afterwards."""
        self.forward(x)
        grads = self.backward(y)
        self._cache = None
        return grads

    # -- evaluation ------------------------------------------------------------------------

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, shape (N, n_classes), without touching the backward cache."""
        return softmax(self.logits(x))

    def loss(self, x: np.ndarray, y: np.ndarray) -> float:
        """Mean sparse categorical cross-entropy, :math:`-\\frac1N \\sum_n \\log p_{n, y_n}`.

        Computed from the logits (log-softmax), so it is finite even where a
        probability rounds to 0. (Keras, given probabilities, clips them to
        [1e-7, 1 - 1e-7] first; the two agree unless a probability is below 1e-7.)

        Parameters
        ----------
        x : array_like, shape (N, 784) or (N, 28, 28)
        y : array_like of int, shape (N,)

        Returns
        -------
        float
        """
        z = self.logits(x)
        y = self.as_labels(y, len(z))
        return float(sparse_categorical_crossentropy(y, z, from_logits=True).mean())

    def accuracy(self, x: np.ndarray, y: np.ndarray) -> float:
        """Fraction of examples whose most probable class is the true one."""
        z = self.logits(x)  # argmax of the logits = argmax of the probabilities
        y = self.as_labels(y, len(z))
        return float(np.mean(z.argmax(axis=1) == y))

    # -- training ---------------------------------------------------------------------------

    def fit(
        self,
        x: np.ndarray,
        y: np.ndarray,
        epochs: int,
        batch_size: int,
        optimizer: Optimizer,
        validation_data: tuple[np.ndarray, np.ndarray] | None = None,
        seed: int = 0,
        verbose: bool = True,
    ) -> dict[str, list[float]]:
        """Train with mini-batch gradient steps, like Keras's ``model.fit``.

        Each epoch shuffles the examples (with a generator seeded once from
        ``seed``, so runs are repeatable), cuts them into batches of
        ``batch_size`` (the last may be smaller) and, for each batch, takes a
        :meth:`train_step`: :meth:`forward`, :meth:`backward` and
        ``optimizer.apply``. The steps come from
        :func:`fashion_lessons.minibatch.training_steps`, the loop every numpy
        experiment of the book shares.

        Parameters
        ----------
        x : array_like, shape (N, 784) or (N, 28, 28)
            Training inputs (floats, e.g. pixels scaled to [0, 1]).
        y : array_like of int, shape (N,)
            Training labels.
        epochs : int
            Passes over the training data.
        batch_size : int
            Examples per gradient step.
        optimizer : Optimizer
            E.g. ``Adam()`` or ``SGD(learning_rate=0.1, momentum=0.9)``. Its
            state persists, so calling ``fit`` again continues the training.
        validation_data : tuple (x_val, y_val), optional
            Evaluated at the end of every epoch.
        seed : int, default 0
            Seed for the shuffling.
        verbose : bool, default True
            Print a header, then one table row per epoch.

        Returns
        -------
        dict of str to list of float
            Per epoch: ``"loss"`` and ``"accuracy"`` (averaged over the epoch's
            batches while the weights change, as Keras reports them) and, with
            validation data, ``"val_loss"`` and ``"val_accuracy"`` (at the end
            of the epoch). The seconds each epoch took are kept in
            :attr:`epoch_seconds`.
        """
        x = self.as_input(x)
        y = self.as_labels(y, len(x))
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, got {batch_size}")
        steps = training_steps(self, x, y, optimizer, batch_size, seed)
        steps_per_epoch = -(-len(x) // batch_size)  # the last batch may be smaller
        keys = ["loss", "accuracy"] + (["val_loss", "val_accuracy"] if validation_data else [])
        history: dict[str, list[float]] = {key: [] for key in keys}
        if verbose:
            print(f"{'epoch':>5}" + "".join(f"{key:>14}" for key in keys) + f"{'seconds':>10}")
        self.epoch_seconds = []
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            total_loss, correct = 0.0, 0
            for step in islice(steps, steps_per_epoch):  # forward, backward, optimizer step
                total_loss += float(step.losses.sum())
                correct += int(np.sum(step.probabilities.argmax(axis=1) == step.labels))
            history["loss"].append(total_loss / len(x))
            history["accuracy"].append(correct / len(x))
            if validation_data:
                x_val, y_val = validation_data
                history["val_loss"].append(self.loss(x_val, y_val))
                history["val_accuracy"].append(self.accuracy(x_val, y_val))
            self.epoch_seconds.append(time.perf_counter() - start)
            if verbose:
                row = "".join(f"{history[key][-1]:>14.4f}" for key in keys)
                print(f"{epoch:>5}{row}{self.epoch_seconds[-1]:>10.1f}", flush=True)
        self._cache = None  # free the last batch's activations
        return history

    def train_step(
        self, x: np.ndarray, y: np.ndarray, optimizer: Optimizer
    ) -> tuple[np.ndarray, np.ndarray]:
        """One gradient step on a batch: :meth:`forward`, :meth:`backward`, ``optimizer.apply``.

        Returns the batch's probabilities, shape (B, n_classes), and each example's
        cross-entropy, shape (B,), both from before the update.
        """
        probabilities = self.forward(x)
        losses = sparse_categorical_crossentropy(y, self._cache[1][-1], from_logits=True)
        optimizer.apply(self.backward(y), self.params)
        return probabilities, losses

    # -- Keras interoperability ----------------------------------------------------------------

    @classmethod
    def from_keras(cls, model) -> MLP:
        """Copy a Keras ``Sequential`` of ``Dense`` layers into an :class:`MLP`.

        The model may start with ``keras.Input`` and ``Flatten`` and may contain
        ``Dropout``; its hidden ``Dense`` layers must share one activation, one of
        relu, leaky_relu, sigmoid or tanh (Keras's default arguments), and the last
        must use softmax (:func:`fashion_lessons.models.dense_stack` reads it). The
        result, in the model's dtype, predicts what ``model.predict`` does; a
        ValueError names the first layer or activation that is not supported.
        """
        from fashion_lessons.models import dense_stack  # imports Keras: only here

        activation, kernels, biases = dense_stack(model, hidden_activations=tuple(ACTIVATIONS))
        sizes = [kernels[0].shape[0]] + [k.shape[1] for k in kernels]
        net = cls(sizes, activation=activation, init="zeros", dtype=kernels[0].dtype)
        for kernel, bias, W, b in zip(kernels, biases, net.weights, net.biases, strict=True):
            W[...] = kernel
            b[...] = bias
        net.init = "keras"
        return net
