"""Settings that make TensorFlow fast on a CPU, applied before it loads.

TensorFlow reads ``TF_ENABLE_ONEDNN_OPTS`` once, when it is imported. With it
set to ``1``, convolutions (and some other operations) run through Intel's
oneDNN library; on the book's 2-core CPU that trains a small convolutional
network more than twice as fast. TensorFlow then prints a notice about it on
the process's standard error, below Python, which would land in a notebook's
output: :func:`use_onednn` keeps it out.

This module must not import TensorFlow or Keras at the top: it is imported first.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time

__all__ = ["ONEDNN_VARIABLE", "onednn_enabled", "time_training_steps", "use_onednn"]

ONEDNN_VARIABLE = "TF_ENABLE_ONEDNN_OPTS"


@contextlib.contextmanager
def _quiet_stderr_fd():
    """Send file descriptor 2 (where C++ libraries log) to /dev/null for a moment."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def use_onednn() -> None:
    """Turn on oneDNN's CPU kernels and load TensorFlow and Keras, quietly.

    Call it before anything imports ``tensorflow`` or ``keras`` (in a notebook:
    in the first cell). Calling it again is harmless.

    Raises
    ------
    RuntimeError
        If TensorFlow was already loaded without oneDNN: the setting can no
        longer take effect. Restart the kernel and call this first.
    """
    if "tensorflow" in sys.modules:
        if os.environ.get(ONEDNN_VARIABLE) == "1":
            return
        raise RuntimeError(
            "TensorFlow is already loaded, so oneDNN can no longer be turned on. Restart the "
            "kernel (or Python) and call fashion_lessons.cpu.use_onednn() before importing "
            "keras, tensorflow or a fashion_lessons module that uses them."
        )
    os.environ[ONEDNN_VARIABLE] = "1"
    with _quiet_stderr_fd():
        import keras  # noqa: F401  (loads TensorFlow, its backend)
        import tensorflow  # noqa: F401


def onednn_enabled() -> bool:
    """Whether the loaded TensorFlow runs its CPU operations through oneDNN."""
    from tensorflow.python.util import _pywrap_util_port

    return bool(_pywrap_util_port.IsMklEnabled())


def _time_steps_here(model: str, jit_compile: bool, steps: int, batch_size: int) -> dict:
    """Train ``model`` for ``steps`` batches of real images in this process; time them."""
    from fashion_lessons.conv import build_cnn
    from fashion_lessons.data import load_fashion_mnist
    from fashion_lessons.models import build_mlp
    from fashion_lessons.training import compile_classifier, scale_images, set_seed

    (x, y), _ = load_fashion_mnist()
    n = steps * batch_size
    x, y = scale_images(x[:n]), y[:n]
    set_seed(0)
    net = {"cnn": build_cnn, "mlp": build_mlp}[model]()
    compile_classifier(net, steps_per_execution=1, jit_compile=jit_compile)
    start = time.perf_counter()  # the first batches also pay for building (and compiling)
    net.fit(x[: 2 * batch_size], y[: 2 * batch_size], batch_size=batch_size, verbose=0)
    warmup = time.perf_counter() - start
    start = time.perf_counter()
    net.fit(x, y, batch_size=batch_size, verbose=0)
    seconds = time.perf_counter() - start
    return {"warmup_s": warmup, "step_s": seconds / steps, "onednn": onednn_enabled()}


def time_training_steps(
    model: str = "cnn",
    *,
    onednn: bool,
    jit_compile: bool,
    steps: int = 20,
    batch_size: int = 128,
) -> dict:
    """Time training steps of the book's CNN or MLP with one CPU setting, in a new process.

    oneDNN can only be switched when TensorFlow loads, so each measurement runs in
    a fresh Python process. The first two batches (which build the model and, with
    XLA, compile it) are timed apart from the ``steps`` that follow.

    Parameters
    ----------
    model : {"cnn", "mlp"}
        :func:`fashion_lessons.conv.build_cnn` or :func:`fashion_lessons.models.build_mlp`.
    onednn, jit_compile : bool
        oneDNN's CPU kernels; XLA compilation of the training step.
    steps, batch_size : int

    Returns
    -------
    dict
        ``warmup_s`` (seconds for the first two batches), ``step_s`` (seconds per
        batch after them) and ``onednn`` (whether it was really on).
    """
    if model not in ("cnn", "mlp"):
        raise ValueError(f"model must be 'cnn' or 'mlp', got {model!r}")
    env = dict(os.environ, **{ONEDNN_VARIABLE: "1" if onednn else "0"})
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    args = ["--model", model, "--steps", str(steps), "--batch-size", str(batch_size)]
    result = subprocess.run(
        [sys.executable, "-m", "fashion_lessons.cpu", *args, *(["--xla"] if jit_compile else [])],
        capture_output=True,
        text=True,
        env=env,
    )
    if result.returncode != 0:
        raise RuntimeError(f"timing {model} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fashion_lessons.cpu",
        description="Time training steps with the CPU settings of this process's environment.",
    )
    parser.add_argument("--model", choices=["cnn", "mlp"], default="cnn")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--xla", action="store_true", help="compile the step with XLA")
    args = parser.parse_args(argv)
    with _quiet_stderr_fd():  # TensorFlow's notice about oneDNN, if it is on
        import keras  # noqa: F401
    print(json.dumps(_time_steps_here(args.model, args.xla, args.steps, args.batch_size)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
