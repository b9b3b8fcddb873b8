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

__all__ = [
    "ONEDNN_VARIABLE",
    "SETTINGS",
    "compare_cpu_settings",
    "onednn_enabled",
    "time_training_steps",
    "use_onednn",
]

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
    import keras

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
    # From the end of the first batch to the end of the last: the steps alone, without
    # what a call of fit costs around them (its dataset, its callbacks).
    ends = []
    clock = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: ends.append(time.perf_counter())
    )
    net.fit(x, y, batch_size=batch_size, verbose=0, callbacks=[clock])
    step = (ends[-1] - ends[0]) / (len(ends) - 1)
    return {"warmup_s": warmup, "step_s": step, "onednn": onednn_enabled()}


SETTINGS = ((False, False), (False, True), (True, False), (True, True))
"""Every (oneDNN, XLA) pair, in the order :func:`compare_cpu_settings` reports them."""


def compare_cpu_settings(
    model: str = "cnn",
    settings=SETTINGS,
    *,
    steps: int = 20,
    batch_size: int = 128,
) -> dict[tuple[bool, bool], dict]:
    """Time training steps of the book's CNN or MLP under several CPU settings.

    oneDNN can only be switched when TensorFlow loads, so each oneDNN value gets
    a fresh Python process, which times each of its XLA settings in turn on a new
    copy of the network. In each, the first two batches (which build the model and,
    with XLA, compile it) are timed apart from the ``steps`` that follow, which are
    timed from the end of the first to the end of the last (what a call of ``fit``
    costs around its steps is left out).

    Parameters
    ----------
    model : {"cnn", "mlp"}
        :func:`fashion_lessons.conv.build_cnn` or :func:`fashion_lessons.models.build_mlp`.
    settings : sequence of (bool, bool), default :data:`SETTINGS`
        ``(onednn, jit_compile)`` pairs: oneDNN's CPU kernels, XLA compilation.
    steps, batch_size : int

    Returns
    -------
    dict
        For each setting, in the order given: ``warmup_s`` (seconds for the first
        two batches), ``step_s`` (seconds per batch after them) and ``onednn``
        (whether it was really on).
    """
    if model not in ("cnn", "mlp"):
        raise ValueError(f"model must be 'cnn' or 'mlp', got {model!r}")
    if steps < 2:
        raise ValueError(
            f"steps must be at least 2 (a step is timed from one batch's end "
            f"to the next's), got {steps}"
        )
    settings = [(bool(onednn), bool(xla)) for onednn, xla in settings]
    results = {}
    for onednn in dict.fromkeys(onednn for onednn, _ in settings):
        xla = [x for o, x in settings if o == onednn]
        env = dict(os.environ, **{ONEDNN_VARIABLE: "1" if onednn else "0"})
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        args = ["--model", model, "--steps", str(steps), "--batch-size", str(batch_size)]
        args += ["--xla", ",".join("on" if x else "off" for x in xla)]
        result = subprocess.run(
            [sys.executable, "-m", "fashion_lessons.cpu", *args],
            capture_output=True,
            text=True,
            env=env,
        )
        if result.returncode != 0:
            raise RuntimeError(f"timing {model} failed:\n{result.stderr[-2000:]}")
        for x, timing in zip(xla, json.loads(result.stdout.strip().splitlines()[-1])):
            results[onednn, x] = timing
    return {setting: results[setting] for setting in settings}


def time_training_steps(
    model: str = "cnn",
    *,
    onednn: bool,
    jit_compile: bool,
    steps: int = 20,
    batch_size: int = 128,
) -> dict:
    """:func:`compare_cpu_settings` for one setting: its ``warmup_s``, ``step_s``, ``onednn``."""
    settings = [(onednn, jit_compile)]
    timings = compare_cpu_settings(model, settings, steps=steps, batch_size=batch_size)
    return timings[bool(onednn), bool(jit_compile)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fashion_lessons.cpu",
        description="Time training steps with the CPU settings of this process's environment.",
    )
    parser.add_argument("--model", choices=["cnn", "mlp"], default="cnn")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument(
        "--xla",
        default="off",
        help="comma-separated XLA settings to time in turn, each 'on' or 'off' (default: off)",
    )
    args = parser.parse_args(argv)
    xla = args.xla.split(",")
    if not set(xla) <= {"on", "off"}:
        parser.error(f"--xla takes 'on' and 'off' separated by commas, got {args.xla!r}")
    with _quiet_stderr_fd():  # TensorFlow's notice about oneDNN, if it is on
        import keras  # noqa: F401
    timings = [_time_steps_here(args.model, x == "on", args.steps, args.batch_size) for x in xla]
    print(json.dumps(timings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
