"""Interactive explorers (lessons 06-07), built with ipywidgets.

Every builder returns an object with ``.widget`` (display it), ``.controls`` (the sliders and
menus, so tests can set values) and ``.value`` (the numpy array last rendered), and it renders
once immediately — so a notebook without a live front end (a static HTML export, CI) still shows
a picture, and a test can change a control and check that the picture changed.
"""
from __future__ import annotations

import io

import numpy as np

from . import _validate as v


def _png(image, cmap: str = "gray", vmin=0.0, vmax=1.0, scale: int = 6) -> bytes:
    import matplotlib.image as mpimg

    arr = np.asarray(image, dtype=np.float64)
    arr = arr[..., 0] if arr.ndim == 3 else arr
    arr = np.kron(arr, np.ones((scale, scale)))  # nearest-neighbour upscaling: crisp pixels
    buffer = io.BytesIO()
    mpimg.imsave(buffer, arr, cmap=cmap, vmin=vmin, vmax=vmax, format="png")
    return buffer.getvalue()


class Explorer:
    """A rendered picture plus the controls that change it."""

    def __init__(self, controls: dict, render, title: str = ""):
        import ipywidgets as w

        self.controls = controls
        self._render = render
        self.image = w.Image(format="png")
        self.caption = w.HTML()
        for control in controls.values():
            control.observe(lambda _change: self.update(), names="value")
        box = w.VBox(list(controls.values()), layout=w.Layout(width="360px"))
        self.widget = w.VBox([w.HTML(f"<b>{title}</b>"), w.HBox([box, w.VBox([self.image, self.caption])])])
        self.value = None
        self.update()

    def update(self):
        self.value, png, caption = self._render({k: c.value for k, c in self.controls.items()})
        self.image.value = png
        self.caption.value = caption

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def latent_explorer(decoder, z0=None, limit: float = 3.0, step: float = 0.1) -> Explorer:
    """One slider per latent dimension; the decoded image updates live."""
    import ipywidgets as w

    k = decoder.input_shape[-1]
    z0 = np.zeros(k, np.float32) if z0 is None else np.asarray(z0, dtype=np.float32).ravel()
    if z0.size != k:
        raise ValueError(f"z0 must have {k} numbers, got {z0.size}")
    v.number_in("limit", limit, 0.1, 10.0)
    controls = {f"z{i}": w.FloatSlider(value=float(np.clip(z0[i], -limit, limit)), min=-limit, max=limit, step=step,
                                       description=f"z{i}", continuous_update=False) for i in range(k)}

    def render(values):
        z = np.array([[values[f"z{i}"] for i in range(k)]], np.float32)
        image = decoder.predict(z, verbose=0)[0]
        return image, _png(image), f"z = [{', '.join(f'{t:+.1f}' for t in z[0])}]"

    return Explorer(controls, render, "Latent explorer: move a slider, see the decoded image")


def direction_explorer(generator, directions: dict, seeds=(0, 1, 2, 3), limit: float = 4.0) -> Explorer:
    """Pick a named latent direction and a strength; see several generated samples move along it."""
    import ipywidgets as w

    if not directions:
        raise ValueError("directions must be a non-empty {name: vector} dict")
    k = generator.input_shape[-1]
    for name, d in directions.items():
        if np.asarray(d).size != k:
            raise ValueError(f"direction {name!r} must have {k} numbers")
    starts = np.stack([np.random.default_rng(s).standard_normal(k) for s in seeds]).astype(np.float32)
    controls = {"direction": w.Dropdown(options=list(directions), description="direction"),
                "alpha": w.FloatSlider(value=0.0, min=-limit, max=limit, step=0.25, description="strength",
                                       continuous_update=False)}

    def render(values):
        d = np.asarray(directions[values["direction"]], dtype=np.float32).ravel()
        z = starts + values["alpha"] * d / np.linalg.norm(d)
        images = generator.predict(z, verbose=0)[..., 0]
        strip = np.concatenate(list(images), axis=1)
        return strip, _png(strip, scale=4), f"{values['direction']}, strength {values['alpha']:+.2f}"

    return Explorer(controls, render, "Direction explorer: the same samples moved along a latent direction")


def attribution_comparer(images, methods: dict, labels=None) -> Explorer:
    """Pick a digit and an attribution method; see the map (red up, blue down) next to the digit.

    ``methods`` maps a name to a function images (N, ...) -> maps (N, ...), computed lazily.
    """
    import ipywidgets as w

    images = v.images(images)
    if not methods:
        raise ValueError("methods must be a non-empty {name: function} dict")
    cache: dict = {}
    controls = {"index": w.IntSlider(value=0, min=0, max=len(images) - 1, description="digit", continuous_update=False),
                "method": w.Dropdown(options=list(methods), description="method")}

    def render(values):
        name, i = values["method"], values["index"]
        if name not in cache:
            cache[name] = np.asarray(methods[name](images))
        m = cache[name][i][..., 0] if cache[name][i].ndim == 3 else cache[name][i]
        lim = float(np.abs(m).max()) or 1.0
        side = np.concatenate([images[i][..., 0] * 2 * lim - lim, m], axis=1)  # digit drawn on the same scale
        label = "" if labels is None else f" (label {labels[i]})"
        return m, _png(side, cmap="RdBu_r", vmin=-lim, vmax=lim), f"digit {i}{label}: {name}"

    return Explorer(controls, render, "Attribution comparer")


def tree_depth_explorer(features, black_box_outputs, feature_names=None, class_names=None, max_depth: int = 8) -> Explorer:
    """A depth slider for a decision-tree surrogate: its drawing and its held-out fidelity."""
    import ipywidgets as w
    import matplotlib.pyplot as plt

    from .surrogates import draw_tree, tree_surrogates

    results = {r["depth"]: r for r in tree_surrogates(features, black_box_outputs, depths=range(1, max_depth + 1))}
    controls = {"depth": w.IntSlider(value=2, min=1, max=max_depth, description="depth", continuous_update=False)}

    def render(values):
        r = results[values["depth"]]
        fig, ax = plt.subplots(figsize=(10, 4.5))
        draw_tree(r["tree"], feature_names, class_names, max_depth=3, ax=ax)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=70)
        plt.close(fig)
        caption = (f"depth {r['depth']}: {r['leaves']} leaves, fidelity {r['fidelity_train']:.1%} on fitting data, "
                   f"{r['fidelity_test']:.1%} held out")
        return np.array([r["fidelity_train"], r["fidelity_test"]]), buffer.getvalue(), caption

    return Explorer(controls, render, "Surrogate tree: deeper is more faithful and less readable")
