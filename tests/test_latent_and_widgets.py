"""Latent-space views and the interactive explorers (driven without a browser)."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import data, latent, widgets  # noqa: E402


@pytest.fixture(scope="module")
def vae2(zoo):
    return zoo.load_pretrained("vae_2d")


def test_project_2d_pca_and_tsne():
    rng = np.random.default_rng(0)
    codes = np.concatenate([rng.normal(0, 0.1, (60, 5)), rng.normal(3, 0.1, (60, 5))])
    coords, idx = latent.project_2d(codes, "pca")
    assert coords.shape == (120, 2) and len(idx) == 120
    assert abs(coords[:60, 0].mean() - coords[60:, 0].mean()) > 5  # the clusters separate on PC1
    coords, idx = latent.project_2d(codes, "tsne", max_points=50)
    assert coords.shape == (50, 2) and len(np.unique(idx)) == 50
    with pytest.raises(ValueError, match="method must be one of"):
        latent.project_2d(codes, "umap")


def test_traverse_dim_and_direction(vae2):
    z = np.zeros(2, np.float32)
    by_dim = latent.traverse(vae2.decoder, z, values=[-2, 0, 2], dim=0)
    by_dir = latent.traverse(vae2.decoder, z, values=[-2, 0, 2], direction=[1.0, 0.0])
    assert by_dim.shape == (3, 28, 28, 1)
    np.testing.assert_allclose(by_dim, by_dir, atol=1e-6)
    assert not np.allclose(by_dim[0], by_dim[2], atol=1e-2)
    with pytest.raises(ValueError, match="exactly one of dim"):
        latent.traverse(vae2.decoder, z, values=[0])
    with pytest.raises(ValueError, match="dim must be a latent index"):
        latent.traverse(vae2.decoder, z, values=[0], dim=5)


def test_inactive_dimension_changes_the_image_far_less(zoo):
    """Traversing a dimension with KL ~ 0 changes the decoded image < 5 % as much as the most active one
    (the beta-VAE on shapes; from the codes of held-out shapes, over +-2 prior standard deviations)."""
    from course_utils import activations as act

    vae = zoo.load_pretrained("shapes_beta_vae")
    shapes = data.make_shapes(1000, seed=zoo.SHAPES_TEST_SEED).images
    kl = act.kl_per_dimension(vae.encoder, shapes)
    quiet, loud = int(np.argmin(kl)), int(np.argmax(kl))
    assert kl[quiet] < 0.01
    values = np.linspace(-2, 2, 9)
    change = {}
    for dim in (quiet, loud):
        total = 0.0
        for z in latent.encode(vae.encoder, shapes[:10]):
            imgs = latent.traverse(vae.decoder, z, values, dim=dim)
            total += np.abs(imgs - imgs[len(values) // 2]).mean()
        change[dim] = total
    assert change[quiet] < 0.05 * change[loud], (kl[quiet], kl[loud], change)


def test_manifold_grid(vae2, zoo):
    grid = latent.manifold_grid(vae2.decoder, n=5)
    assert grid.shape == (140, 140) and 0 <= grid.min() and grid.max() <= 1
    with pytest.raises(ValueError, match="needs a 2-D latent space"):
        latent.manifold_grid(zoo.load_pretrained("vae_16d").decoder)


def test_latent_explorer_updates_when_a_slider_moves(vae2):
    explorer = widgets.latent_explorer(vae2.decoder)
    before, png_before = explorer.value.copy(), explorer.image.value
    explorer.controls["z0"].value = 2.5
    assert not np.allclose(before, explorer.value, atol=1e-3)
    assert explorer.image.value != png_before and "+2.5" in explorer.caption.value
    np.testing.assert_allclose(explorer.value, vae2.decoder.predict(np.array([[2.5, 0.0]], np.float32), verbose=0)[0], atol=1e-6)


def test_direction_explorer(zoo):
    gan = zoo.load_pretrained("dcgan")
    rng = np.random.default_rng(0)
    explorer = widgets.direction_explorer(gan.generator, {"a": rng.normal(size=64), "b": rng.normal(size=64)}, seeds=(0, 1))
    start = explorer.value.copy()
    explorer.controls["alpha"].value = 3.0
    moved = explorer.value.copy()
    explorer.controls["direction"].value = "b"
    assert not np.allclose(start, moved) and not np.allclose(moved, explorer.value)
    with pytest.raises(ValueError, match="must have 64 numbers"):
        widgets.direction_explorer(gan.generator, {"bad": np.ones(3)})


def test_attribution_comparer_and_tree_explorer(classifier):
    from course_utils import attribution as A

    x, y = data.load_mnist("test")
    methods = {"gradient": lambda imgs: A.gradients(A.class_logit(classifier, 3), imgs),
               "gradient × input": lambda imgs: A.gradient_x_input(A.class_logit(classifier, 3), imgs)}
    comparer = widgets.attribution_comparer(x[:4], methods, labels=y[:4])
    first = comparer.value.copy()
    comparer.controls["method"].value = "gradient × input"
    np.testing.assert_allclose(comparer.value, first * x[0][..., 0], atol=1e-6)
    comparer.controls["index"].value = 2
    assert "digit 2" in comparer.caption.value

    rng = np.random.default_rng(0)
    feats = rng.normal(size=(400, 2))
    explorer = widgets.tree_depth_explorer(feats, (feats[:, 0] * feats[:, 1] > 0).astype(int), max_depth=4)
    shallow = explorer.value.copy()
    explorer.controls["depth"].value = 4
    assert explorer.value[0] > shallow[0] and "depth 4" in explorer.caption.value
