"""Figures with one consistent style (lesson 00 on): image grids and the zoo gallery."""
from __future__ import annotations

import numpy as np

from . import _validate as v


def image_grid(images, ncols: int = 10, titles=None, row_labels=None, scale: float = 1.0, suptitle: str | None = None):
    """Show images (N, H, W) or (N, H, W, 1) with values in [0, 1] on a grid; returns the figure.

    ``titles``: one short string per image; ``row_labels``: one per row, written on the left.
    """
    import matplotlib.pyplot as plt

    arr = np.asarray(images)
    if arr.ndim == 4 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    if arr.ndim != 3 or len(arr) == 0:
        raise ValueError(f"images must have shape (N, H, W) or (N, H, W, 1) with N >= 1, got {v.describe(np.asarray(images))}")
    ncols = v.positive_int("ncols", ncols)
    n = len(arr)
    if titles is not None and len(titles) != n:
        raise ValueError(f"titles must have one entry per image ({n}), got {len(titles)}")
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    if row_labels is not None and len(row_labels) != nrows:
        raise ValueError(f"row_labels must have one entry per row ({nrows}), got {len(row_labels)}")
    fig, axes = plt.subplots(nrows, ncols, figsize=(scale * 1.1 * ncols + (1.4 if row_labels else 0), scale * 1.2 * nrows),
                             squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        if i < n:
            ax.imshow(arr[i], cmap="gray", vmin=0.0, vmax=1.0)
            if titles is not None:
                ax.set_title(str(titles[i]), fontsize=8)
    if row_labels is not None:
        for r, label in enumerate(row_labels):
            axes[r, 0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def zoo_gallery(n: int = 8, seed: int = 0):
    """Load every zoo model and show what it does on held-out inputs: one row per output.

    Rows: test digits with the classifier's prediction; the dense AE's, 2-D VAE's and 16-D VAE's
    reconstructions of them; held-out shapes and their VAE / beta-VAE reconstructions; DCGAN samples.
    """
    from . import data, zoo

    n = v.positive_int("n", n)
    x, _ = data.load_mnist("test")
    digits = x[np.random.default_rng(seed).choice(len(x), n, replace=False)]
    classifier = zoo.load_pretrained("classifier")
    probs = zoo.predict_proba(classifier, digits)
    rows, names, titles = [digits], ["test digits"], [f"{p.argmax()} ({p.max():.2f})" for p in probs]
    for name, label in (("dense_ae", "dense AE"), ("vae_2d", "VAE 2-D"), ("vae_16d", "VAE 16-D")):
        parts = zoo.load_pretrained(name)
        out = parts.model.predict(digits, verbose=0)
        rows.append(out[0] if isinstance(out, list) else out)
        names.append(label)
    shapes = data.make_shapes(n, seed=zoo.SHAPES_TEST_SEED).images
    shape_rows = [shapes]
    for name in ("shapes_vae", "shapes_beta_vae"):
        shape_rows.append(zoo.load_pretrained(name).model.predict(shapes, verbose=0)[0])
    gan = zoo.load_pretrained("dcgan")
    samples = zoo.sample_gan(gan.generator, n, seed=seed)
    # digits are 28x28 and shapes 32x32: pad the digits with a 2-pixel black border
    pad = lambda imgs: np.pad(np.asarray(imgs), [(0, 0), (2, 2), (2, 2), (0, 0)])  # noqa: E731
    grid = np.concatenate([pad(r) for r in rows] + shape_rows + [pad(samples)])
    all_titles = titles + [""] * (len(grid) - n)
    labels_rows = names + ["shapes", "VAE (β=1)", "β-VAE (β=4)", "DCGAN samples"]
    return image_grid(grid, ncols=n, titles=all_titles, row_labels=labels_rows,
                      suptitle="The model zoo on held-out inputs (titles: classifier's digit and confidence)")


def loss_curves(history, title: str = "Training losses", ax=None):
    """Plot per-epoch losses: ``history`` is a list of {name: value} dicts (one per epoch)."""
    import matplotlib.pyplot as plt

    if not history or not all(isinstance(h, dict) for h in history):
        raise ValueError(f"history must be a non-empty list of {{loss name: value}} dicts, got {v.describe(history)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3))
    epochs = np.arange(1, len(history) + 1)
    for key in history[0]:
        ax.plot(epochs, [h[key] for h in history], marker="o", label=key)
    ax.set(xlabel="epoch", ylabel="mean loss per example", title=title)
    if len(epochs) <= 20:
        ax.set_xticks(epochs)
    ax.legend(fontsize=8)
    return ax


def heatmap(matrix, row_labels=None, col_labels=None, title: str = "", cmap: str = "viridis",
            center_zero: bool = False, ax=None, colorbar_label: str = ""):
    """A labelled heatmap of a 2-D array (units x classes, attributes x units, ...)."""
    import matplotlib.pyplot as plt

    m = np.asarray(matrix, dtype=float)
    if m.ndim != 2:
        raise ValueError(f"matrix must be 2-D, got {v.describe(m)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(min(0.35 * m.shape[1] + 2, 12), min(0.35 * m.shape[0] + 1.5, 8)))
    kwargs = {}
    if center_zero:
        lim = float(np.abs(m).max()) or 1.0
        kwargs = dict(vmin=-lim, vmax=lim)
        cmap = "RdBu_r" if cmap == "viridis" else cmap
    im = ax.imshow(m, cmap=cmap, aspect="auto", interpolation="nearest", **kwargs)
    if row_labels is not None:
        ax.set_yticks(range(m.shape[0]), [str(r) for r in row_labels])
    if col_labels is not None:
        ax.set_xticks(range(m.shape[1]), [str(c) for c in col_labels], fontsize=7)
    ax.set_title(title)
    ax.figure.colorbar(im, ax=ax, label=colorbar_label)
    return ax


def signed_scale(attribution) -> np.ndarray:
    """Scale a signed map to [-1, 1] by its largest absolute value, so that 0 stays 0.

    This is what makes a diverging colormap honest: white means "no effect", and red and blue
    of the same strength mean effects of the same size. An all-zero map stays zero.
    """
    a = np.asarray(attribution, dtype=np.float64)
    lim = np.abs(a).max() if a.size else 0.0
    return a / lim if lim > 0 else np.zeros_like(a)


def attribution_grid(images, maps: dict, titles=None, suptitle: str = ""):
    """Each input image next to its attribution maps, one row per image, one column per method.

    Maps are drawn with a diverging colormap centred on zero (red: pushes the target up, blue:
    down), each scaled to its own largest absolute value, over a faint copy of the digit.
    """
    import matplotlib.pyplot as plt

    images = np.asarray(images)
    if images.ndim == 4:
        images = images[..., 0]
    if not isinstance(maps, dict) or not maps:
        raise ValueError("maps must be a non-empty {method name: (N, H, W[, 1]) array} dict")
    n, cols = len(images), 1 + len(maps)
    fig, axes = plt.subplots(n, cols, figsize=(1.6 * cols, 1.6 * n), squeeze=False)
    for i in range(n):
        axes[i, 0].imshow(images[i], cmap="gray", vmin=0, vmax=1)
        if titles is not None:
            axes[i, 0].set_ylabel(str(titles[i]), rotation=0, ha="right", va="center", fontsize=8)
        for j, (name, m) in enumerate(maps.items(), start=1):
            a = np.asarray(m)[i]
            a = a[..., 0] if a.ndim == 3 else a
            if a.shape != images[i].shape:
                raise ValueError(f"map {name!r} has shape {a.shape}, the image {images[i].shape}")
            axes[i, j].imshow(images[i], cmap="gray", vmin=0, vmax=1, alpha=0.35)
            axes[i, j].imshow(signed_scale(a), cmap="RdBu_r", vmin=-1, vmax=1, alpha=0.85)
            if i == 0:
                axes[i, j].set_title(name, fontsize=9)
        if i == 0:
            axes[i, 0].set_title("input", fontsize=9)
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig
