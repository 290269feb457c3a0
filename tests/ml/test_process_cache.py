"""ml._process_cache.once: the process-wide model holders of pose, parsing and analysis."""

from __future__ import annotations

import threading

import pytest

from ml._process_cache import once
from ml.analysis import get_analyzer
from ml.parsing import get_parser
from ml.pose import get_pose_estimator


def test_concurrent_first_calls_build_one_instance():
    # given a slow factory and eight threads asking for it at the same time
    built = []
    release = threading.Event()

    @once
    def get_model() -> object:
        release.wait(1.0)
        built.append(object())
        return built[-1]

    results = []
    threads = [threading.Thread(target=lambda: results.append(get_model())) for _ in range(8)]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join()
    # then the factory ran once and every thread got its instance
    assert len(built) == 1
    assert [r is built[0] for r in results] == [True] * 8


def test_a_failed_build_is_not_cached_and_reset_forgets():
    # given a factory that fails the first time
    calls = []

    @once
    def get_model() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("model file busy")
        return len(calls)

    # when it is called again after the failure, then it builds anew and keeps that instance
    with pytest.raises(RuntimeError):
        get_model()
    assert (get_model(), get_model()) == (2, 2)
    # when reset, then the next call builds a fresh one
    get_model.reset()
    assert get_model() == 3
    assert get_model.__name__ == "get_model"


def test_model_holders_return_the_same_instance_every_call():
    # given the perception holders, then each hands out one object per process
    assert get_pose_estimator() is get_pose_estimator()
    assert get_parser() is get_parser()
    assert get_analyzer() is get_analyzer()
    assert get_analyzer().pose is get_pose_estimator()
