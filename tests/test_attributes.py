import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import attributes as at  # noqa: E402
from course_utils import plotting  # noqa: E402


def bar(width=3, lean=0):
    img = np.zeros((28, 28, 1), np.float32)
    for r in range(4, 24):
        shift = (24 - r) * lean // 20
        img[r, 12 + shift:12 + shift + width] = 1.0
    return img


def test_closed_form_attributes():
    imgs = np.stack([bar(2), bar(4), bar(2, lean=6)])
    np.testing.assert_allclose(at.ink(imgs), [40, 80, 40])
    w = at.stroke_width(imgs)
    assert w[1] > w[0] and 1.5 < w[0] < 2.5 and 3 < w[1] < 4.5
    s = at.slant(imgs)
    assert abs(s[0]) < 1e-9 and s[2] > 0.2  # top leaning right is positive
    np.testing.assert_allclose(at.height(imgs), [20, 20, 20])
    np.testing.assert_allclose(at.width(imgs)[:2], [2, 4])
    assert set(at.measure(imgs)) == set(at.ATTRIBUTES)


def test_correlate():
    codes = np.array([[0.0, 1.0, 5.0], [1.0, 0.0, 5.0], [2.0, -1.0, 5.0]])
    r = at.correlate(codes, {"a": np.array([1.0, 2.0, 3.0])})
    np.testing.assert_allclose(r, [[1.0, -1.0, 0.0]])
    with pytest.raises(ValueError, match=r"attribute 'a' must have shape \(3,\)"):
        at.correlate(codes, {"a": np.ones(2)})


def test_heatmap_and_attribution_grid():
    ax = plotting.heatmap(np.array([[1.0, -2.0], [0.5, 0.0]]), row_labels=["a", "b"], center_zero=True)
    im = ax.images[0]
    assert im.get_clim() == (-2.0, 2.0)
    imgs = np.random.default_rng(0).random((2, 28, 28, 1)).astype(np.float32)
    fig = plotting.attribution_grid(imgs, {"grad": imgs - 0.5, "ig": -imgs})
    assert len(fig.axes) == 6 and fig.axes[1].get_title() == "grad"
    lo, hi = fig.axes[1].images[1].get_clim()
    assert lo == -hi  # centred on zero
    np.testing.assert_allclose(plotting.signed_scale([2.0, -4.0, 0.0]), [0.5, -1.0, 0.0])
    np.testing.assert_array_equal(plotting.signed_scale(np.zeros(3)), np.zeros(3))
    with pytest.raises(ValueError, match="map 'bad' has shape"):
        plotting.attribution_grid(imgs, {"bad": np.zeros((2, 5, 5))})
    with pytest.raises(ValueError, match="matrix must be 2-D"):
        plotting.heatmap(np.zeros(3))
    matplotlib.pyplot.close("all")
