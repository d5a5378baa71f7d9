"""Shared fixtures. Network access is refused for every test by pytest-socket (see the
``addopts`` in pyproject.toml); test_offline.py proves it."""
import os

import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# never write into the learner's own progress record
os.environ["COURSE_PROGRESS_FILE"] = os.path.join(tempfile.mkdtemp(prefix="course-tests-"), "progress.json")

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def zoo():
    from course_utils import zoo as zoo_module

    return zoo_module


@pytest.fixture(scope="session")
def classifier(zoo):
    return zoo.load_pretrained("classifier")


@pytest.fixture(scope="session")
def mnist_test():
    from course_utils import data

    return data.load_mnist("test")
