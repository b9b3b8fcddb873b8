"""Turning on oneDNN before TensorFlow loads, without its notice reaching the output."""

import os
import subprocess
import sys

import pytest


def _python(code: str, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "TF_ENABLE_ONEDNN_OPTS"}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**environ, "TF_CPP_MIN_LOG_LEVEL": "3", **env},
        timeout=300,
    )


@pytest.mark.parametrize("before", ["0", None])
def test_use_onednn_turns_it_on_quietly(before):
    code = (
        "from fashion_lessons.cpu import onednn_enabled, use_onednn\n"
        "use_onednn(); use_onednn()\n"
        "import keras\n"
        "print(onednn_enabled())\n"
    )
    result = _python(code, **({"TF_ENABLE_ONEDNN_OPTS": before} if before else {}))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"]
    assert "oneDNN" not in result.stderr and "absl" not in result.stderr


def test_turning_onednn_on_prints_the_notice_we_hide():
    """TensorFlow loaded with oneDNN on says so on stderr: what use_onednn keeps out."""
    loud = _python("import tensorflow", TF_ENABLE_ONEDNN_OPTS="1")
    assert "oneDNN custom operations are on" in loud.stderr


def test_without_it_onednn_is_off_and_use_onednn_after_tensorflow_says_to_restart():
    """The book's other chapters run with oneDNN off (conf.py): there, TensorFlow loaded
    first, it is too late to turn it on (one process shows both)."""
    code = (
        "import tensorflow\n"
        "from fashion_lessons import cpu\n"
        "print(cpu.onednn_enabled(), flush=True)\n"
        "cpu.use_onednn()"
    )
    result = _python(code, TF_ENABLE_ONEDNN_OPTS="0")
    assert result.stdout.split() == ["False"]
    assert result.returncode != 0
    assert "Restart the kernel (or Python) and call fashion_lessons.cpu.use_onednn()" in (
        result.stderr
    )


def test_time_training_steps_names_the_models_it_knows_and_needs_two_steps():
    from fashion_lessons.cpu import time_training_steps

    with pytest.raises(ValueError, match="model must be 'cnn' or 'mlp'"):
        time_training_steps("resnet", onednn=True, jit_compile=False)
    with pytest.raises(ValueError, match="steps must be at least 2"):
        time_training_steps("mlp", onednn=True, jit_compile=False, steps=1)


def test_compare_cpu_settings_uses_one_process_per_onednn_value_in_the_order_given():
    from fashion_lessons.cpu import compare_cpu_settings

    settings = [(True, False), (False, False), (True, True)]
    result = compare_cpu_settings("mlp", settings, steps=2, batch_size=8)
    assert list(result) == settings
    assert [timing["onednn"] for timing in result.values()] == [True, False, True]
    assert all(timing["step_s"] > 0 for timing in result.values())


def test_the_timing_process_rejects_an_unknown_xla_setting():
    result = _python("from fashion_lessons.cpu import main; main(['--xla', 'on,maybe'])")
    assert result.returncode == 2
    assert "--xla takes 'on' and 'off'" in result.stderr
