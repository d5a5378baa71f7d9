import numpy as np
import pytest

from course_utils import data


def test_mnist_splits_shapes_ranges_and_balance():
    x_tr, y_tr = data.load_mnist("train")
    x_te, y_te = data.load_mnist("test")
    assert x_tr.shape == (4000, 28, 28, 1) and x_te.shape == (1000, 28, 28, 1)
    assert x_tr.dtype == np.float32 and y_tr.dtype == np.int64
    assert x_tr.min() == 0.0 and x_tr.max() == 1.0
    assert np.bincount(y_tr).tolist() == [400] * 10
    assert np.bincount(y_te).tolist() == [100] * 10


def test_mnist_split_is_disjoint_complete_and_fixed():
    train, test = data.mnist_split_indices()
    assert len(np.intersect1d(train, test)) == 0
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(5000))
    again_train, again_test = data.mnist_split_indices()
    assert np.array_equal(test, again_test)
    other_train, other_test = data.mnist_split_indices(seed=1)
    assert not np.array_equal(test, other_test)


def test_mnist_images_match_the_raw_uint8_file():
    x_all, y_all = data.load_mnist("all")
    with np.load(data.MNIST_FILE) as raw:
        assert np.array_equal((x_all[..., 0] * 255).round().astype(np.uint8), raw["images"])
        assert np.array_equal(y_all, raw["labels"])
    flat, _ = data.load_mnist("test", flatten=True)
    assert flat.shape == (1000, 784)


def test_mnist_is_really_digits():
    # mean image of the ones is a thin vertical stroke: the centre column carries more ink than the sides
    x, y = data.load_mnist("train")
    ones = x[y == 1, :, :, 0].mean(axis=0)
    assert ones[:, 12:16].mean() > 3 * ones[:, :6].mean()


def test_mnist_checksum_is_enforced(tmp_path, monkeypatch):
    bad = tmp_path / "mnist_5k.npz"
    bad.write_bytes(data.MNIST_FILE.read_bytes()[:-10] + b"0123456789")
    monkeypatch.setattr(data, "MNIST_FILE", bad)
    with pytest.raises(OSError, match="corrupted"):
        data.load_mnist()
    monkeypatch.setattr(data, "MNIST_FILE", tmp_path / "missing.npz")
    with pytest.raises(FileNotFoundError, match="missing"):
        data.load_mnist()


@pytest.mark.parametrize("kwargs, message", [
    ({"split": "validation"}, "split must be one of"),
    ({"flatten": "yes"}, "flatten must be True or False"),
])
def test_mnist_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.load_mnist(**kwargs)


def test_shapes_deterministic_and_seed_dependent():
    a, b, c = data.make_shapes(64, seed=3), data.make_shapes(64, seed=3), data.make_shapes(64, seed=4)
    assert np.array_equal(a.images, b.images) and np.array_equal(a.factors, b.factors)
    assert not np.array_equal(a.factors, c.factors)


def test_shapes_factor_table():
    d = data.make_shapes(500, seed=0)
    assert d.images.shape == (500, 32, 32, 1) and d.images.dtype == np.float32
    assert 0.0 <= d.images.min() and d.images.max() <= 1.0
    assert d.factor_names == ("shape", "scale", "rotation", "x", "y")
    assert set(np.unique(d.factor("shape"))) == {0.0, 1.0, 2.0}
    for f in d.factor_info[1:]:
        col = d.factor(f.name)
        assert f.low <= col.min() and col.max() <= f.high
        assert col.max() - col.min() > 0.8 * (f.high - f.low)  # the range is really used
    assert d.factor_info[0].values == ("square", "ellipse", "triangle")
    assert "triangle" in d.table() or "square" in d.table()


def _centroid(image):
    mass = image[..., 0]
    rows, cols = np.indices(mass.shape) + 0.5
    return (cols * mass).sum() / mass.sum(), (rows * mass).sum() / mass.sum()


def test_shapes_render_their_factors():
    size = 32
    base = np.array([[1, 0.75, 0.0, 0.5, 0.5]], dtype=np.float32)  # an ellipse in the centre
    img = data.render_shapes(base, size=size)[0]
    cx, cy = _centroid(img)
    assert abs(cx - 16) < 0.3 and abs(cy - 16) < 0.3
    moved = base.copy()
    moved[0, 3], moved[0, 4] = 0.7, 0.3
    cx, cy = _centroid(data.render_shapes(moved, size=size)[0])
    assert abs(cx - 0.7 * size) < 0.3 and abs(cy - 0.3 * size) < 0.3
    # area grows with the square of the scale
    small, large = base.copy(), base.copy()
    small[0, 1], large[0, 1] = 0.5, 1.0
    ratio = data.render_shapes(large).sum() / data.render_shapes(small).sum()
    assert 3.6 < ratio < 4.4
    # the ellipse's long axis follows the rotation: at 0 it is horizontal
    mass = img[..., 0]
    assert mass.sum(axis=0).astype(bool).sum() > mass.sum(axis=1).astype(bool).sum()
    turned = base.copy()
    turned[0, 2] = np.pi / 4
    assert not np.allclose(data.render_shapes(turned), data.render_shapes(base))
    # the three shapes differ at the same position, size and angle
    shapes = np.repeat(base, 3, axis=0)
    shapes[:, 0] = [0, 1, 2]
    imgs = data.render_shapes(shapes)
    assert imgs[0].sum() > imgs[1].sum() > imgs[2].sum()  # square > ellipse > triangle in area


@pytest.mark.parametrize("call, message", [
    (lambda: data.make_shapes(0), "n must be an integer >= 1"),
    (lambda: data.make_shapes(10, seed=-1), "seed must be a non-negative integer"),
    (lambda: data.render_shapes(np.zeros((2, 4))), r"factors must have shape \(N, 5\)"),
    (lambda: data.render_shapes([[5, 0.7, 0, 0.5, 0.5]]), "shape column"),
    (lambda: data.render_shapes([[0, 2.0, 0, 0.5, 0.5]]), "scale"),
])
def test_shapes_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_full_mnist_reads_a_cached_file(tmp_path):
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "mnist.npz",
             x_train=rng.integers(0, 256, (6, 28, 28), dtype=np.uint8), y_train=np.arange(6, dtype=np.uint8),
             x_test=rng.integers(0, 256, (2, 28, 28), dtype=np.uint8), y_test=np.arange(2, dtype=np.uint8))
    (x_tr, y_tr), (x_te, y_te) = data.load_full_mnist(cache_dir=tmp_path)
    assert x_tr.shape == (6, 28, 28, 1) and x_te.shape == (2, 28, 28, 1)
    assert x_tr.dtype == np.float32 and 0 <= x_tr.min() and x_tr.max() <= 1 and y_tr.dtype == np.int64
    with pytest.raises(ValueError, match="allow_download must be True or False"):
        data.load_full_mnist(allow_download="yes")
