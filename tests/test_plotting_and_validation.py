import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import _validate as v  # noqa: E402
from course_utils import plotting  # noqa: E402


def test_image_grid_layout_and_content():
    images = np.linspace(0, 1, 5 * 28 * 28, dtype=np.float32).reshape(5, 28, 28, 1)
    fig = plotting.image_grid(images, ncols=3, titles=list("abcde"), row_labels=["r1", "r2"])
    axes = fig.axes
    assert len(axes) == 6  # 2 rows x 3 columns, the last one empty
    assert [ax.get_title() for ax in axes[:5]] == list("abcde")
    assert len(axes[5].images) == 0
    np.testing.assert_array_equal(axes[4].images[0].get_array(), images[4, ..., 0])
    assert axes[0].get_ylabel() == "r1" and axes[3].get_ylabel() == "r2"
    matplotlib.pyplot.close(fig)


@pytest.mark.parametrize("call, message", [
    (lambda: plotting.image_grid(np.zeros((28, 28))), r"images must have shape \(N, H, W\)"),
    (lambda: plotting.image_grid(np.zeros((2, 28, 28)), titles=["a"]), "one entry per image"),
    (lambda: plotting.image_grid(np.zeros((4, 28, 28)), ncols=2, row_labels=["a"]), "one entry per row"),
    (lambda: plotting.image_grid(np.zeros((2, 28, 28)), ncols=0), "ncols must be an integer"),
])
def test_image_grid_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("value, message", [
    (np.zeros((28, 28, 1), np.float32), r"got a single image of shape \(28, 28, 1\); add the batch axis"),
    (np.zeros((3, 28, 28), np.float32), r"must have shape \(N, 28, 28, 1\), got array of shape \(3, 28, 28\)"),
    (np.zeros((3, 28, 28, 1), np.uint8), "divide uint8 pixels by 255"),
    (np.full((3, 28, 28, 1), 2.0, np.float32), r"must lie in \[0.0, 1.0\], got values in \[2, 2\]"),
    (np.full((3, 28, 28, 1), np.nan, np.float32), "must be finite numbers in"),
])
def test_image_validation_messages(value, message):
    with pytest.raises(ValueError, match=message):
        v.images(value)


def test_image_and_vector_validation_accepts_good_input():
    out = v.images(np.zeros((2, 28, 28, 1), np.float64))
    assert out.dtype == np.float32 and out.shape == (2, 28, 28, 1)
    assert v.vectors(np.zeros((3, 4)), 4).dtype == np.float32
    with pytest.raises(ValueError, match=r"single vector of shape \(4,\)"):
        v.vectors(np.zeros(4), 4)
    with pytest.raises(ValueError, match=r"must have shape \(N, 4\)"):
        v.vectors(np.zeros((3, 5)), 4)


def test_zoo_helpers_validate(zoo, classifier):
    with pytest.raises(ValueError, match="single image"):
        zoo.predict_proba(classifier, np.zeros((28, 28, 1), np.float32))
    with pytest.raises(ValueError, match="n must be an integer"):
        zoo.sample_gan(zoo.build("dcgan").generator, 0)
    with pytest.raises(ValueError, match=r"confidence must be in \[0.0, 1.0\]"):
        zoo.gan_sample_quality(np.zeros((2, 28, 28, 1), np.float32), classifier, confidence=1.5)
