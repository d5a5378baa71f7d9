"""The pretrained model zoo: load shipped weights (checksum-verified), evaluate, retrain.

Only weights ship (``weights/NAME.weights.h5``); the architectures come from
:mod:`course_utils.models`. ``weights/manifest.json`` records for every model the sha256 of
its file, the builder and its arguments, the training configuration and seed, how long
training took, the command that rebuilt it, and its quality metrics on held-out data.

    >>> from course_utils.zoo import load_pretrained
    >>> vae = load_pretrained("vae_16d")          # VAEParts(model, encoder, decoder)
    >>> z_mean, z_log_var = vae.encoder(images)

Retrain from the shell (deterministic: same seed, same machine -> same weights)::

    python -m course_utils.zoo list
    python -m course_utils.zoo train vae_16d
    python -m course_utils.zoo train --all      # about 15 minutes on a 2-core CPU
    python -m course_utils.zoo verify           # checksums of every shipped file
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from . import _validate as v
from . import data, losses, models
from ._io import sha256_file
from .environment import quiet_tensorflow

tf = quiet_tensorflow()  # TensorFlow without its start-up log lines
import keras  # noqa: E402

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
MANIFEST = WEIGHTS_DIR / "manifest.json"


class WeightsError(RuntimeError):
    """A shipped weights file is missing, corrupted or does not match the manifest."""


@dataclass(frozen=True)
class ZooSpec:
    name: str
    builder: str  # function name in course_utils.models
    kwargs: dict
    trainer: str  # function name in this module
    config: dict
    description: str
    lessons: str
    dataset: str = "mnist"


SPECS = {
    s.name: s
    for s in (
        ZooSpec(
            "classifier", "build_classifier", {}, "_train_classifier",
            dict(epochs=30, batch_size=64, learning_rate=2e-3, seed=1, augment=True, schedule="cosine"),
            "Small CNN digit classifier (logits); the judge for the generative models' outputs.",
            "01-08",
        ),
        ZooSpec(
            "dense_ae", "build_dense_autoencoder", {"hidden": 128, "code_dim": 64}, "_train_autoencoder",
            dict(epochs=40, batch_size=64, learning_rate=1e-3, seed=2),
            "The article's dense autoencoder 784-128-64-128-784, trained on real digits.",
            "01, 03-05",
        ),
        ZooSpec(
            "vae_2d", "build_conv_vae", {"latent_dim": 2}, "_train_vae",
            dict(epochs=40, batch_size=64, learning_rate=1e-3, seed=3, beta=1.0),
            "Convolutional VAE with a 2-D latent space (the manifold you can plot).",
            "02, 04-07",
        ),
        ZooSpec(
            "vae_16d", "build_conv_vae", {"latent_dim": 16}, "_train_vae",
            dict(epochs=40, batch_size=64, learning_rate=1e-3, seed=4, beta=1.0),
            "Convolutional VAE with a 16-D latent space (good reconstructions, some unused units).",
            "02, 04-08",
        ),
        ZooSpec(
            "shapes_vae", "build_conv_vae", {"latent_dim": 10, "image_shape": [32, 32, 1]}, "_train_vae",
            dict(epochs=30, batch_size=64, learning_rate=1e-3, seed=5, beta=1.0, n_train=10_000, data_seed=0),
            "Plain VAE (beta = 1) on the procedural shapes with known factors.",
            "07",
            dataset="shapes",
        ),
        ZooSpec(
            "shapes_beta_vae", "build_conv_vae", {"latent_dim": 10, "image_shape": [32, 32, 1]}, "_train_vae",
            dict(epochs=30, batch_size=64, learning_rate=1e-3, seed=5, beta=4.0, n_train=10_000, data_seed=0),
            "beta-VAE (beta = 4) on the same shapes: the disentanglement comparison.",
            "07",
            dataset="shapes",
        ),
        ZooSpec(
            "dcgan", "build_dcgan", {"latent_dim": 64, "width": 32}, "_train_dcgan",
            dict(epochs=60, batch_size=64, learning_rate=2e-4, beta_1=0.5, seed=7, ema=0.99,
                 bn_recalibration_steps=100, augment="translate", n_eval=1000),
            "DCGAN on the digits (generator with an exponential moving average of its weights).",
            "01, 03, 05-07",
        ),
    )
}
MODEL_NAMES = tuple(SPECS)
SHAPES_TEST_SEED = 12345  # held-out shapes for the shapes models' metrics


def _check_name(name: str) -> ZooSpec:
    if name not in SPECS:
        raise ValueError(f"unknown model {name!r}; the zoo has {list(MODEL_NAMES)}")
    return SPECS[name]


def read_manifest(path: str | Path = MANIFEST) -> dict:
    path = Path(path)
    if not path.exists():
        return {"format": 1, "models": {}}
    with open(path) as handle:
        return json.load(handle)


def weights_path(name: str, weights_dir: str | Path = WEIGHTS_DIR) -> Path:
    _check_name(name)
    return Path(weights_dir) / f"{name}.weights.h5"


def build(name: str):
    """A fresh, untrained instance of a zoo architecture (same object type as ``load_pretrained``)."""
    spec = _check_name(name)
    kwargs = dict(spec.kwargs)
    if "image_shape" in kwargs:
        kwargs["image_shape"] = tuple(kwargs["image_shape"])
    return getattr(models, spec.builder)(**kwargs)


def _main_model(parts):
    return parts if not isinstance(parts, tuple) else parts.model


def verify(name: str, weights_dir: str | Path = WEIGHTS_DIR, manifest: dict | None = None) -> Path:
    """Check that ``name``'s weights file exists and matches the manifest's sha256.

    Raises :class:`WeightsError` (saying how to rebuild the file) when it does not.
    """
    _check_name(name)
    manifest = read_manifest(Path(weights_dir) / "manifest.json") if manifest is None else manifest
    entry = manifest.get("models", {}).get(name)
    path = weights_path(name, weights_dir)
    rebuild = f"restore it with `git checkout {path.name}` in course_utils/weights, or retrain it with `python -m course_utils.zoo train {name}`"
    if entry is None:
        raise WeightsError(f"{name} is not listed in {Path(weights_dir) / 'manifest.json'}; {rebuild}")
    if not path.exists():
        raise WeightsError(f"the weights file for {name} is missing: {path}; {rebuild}")
    digest = sha256_file(path)
    if digest != entry["sha256"]:
        raise WeightsError(
            f"the weights file for {name} does not match its checksum (sha256 {digest[:12]}..., "
            f"manifest says {entry['sha256'][:12]}...): it was changed or corrupted; {rebuild}"
        )
    return path


def load_pretrained(name: str, weights_dir: str | Path = WEIGHTS_DIR):
    """Build ``name``'s architecture, verify its weights' checksum, load them.

    Returns what the builder returns: a ``keras.Model`` for ``classifier``, else a named tuple —
    ``AutoencoderParts(model, encoder, decoder)``, ``VAEParts(model, encoder, decoder)`` or
    ``GANParts(model, generator, discriminator)``. Nothing is downloaded.
    """
    path = verify(name, weights_dir)
    parts = build(name)
    try:
        _main_model(parts).load_weights(str(path))
    except Exception as exc:  # a file that passes the checksum but not the architecture
        raise WeightsError(
            f"could not load {path.name} into the {name} architecture ({exc}); the architecture in "
            f"models.py changed since the weights were trained: run `python -m course_utils.zoo train {name}`"
        ) from None
    return parts


def list_models(manifest: dict | None = None) -> str:
    """A text table of the zoo: name, description, lessons, key metrics."""
    manifest = read_manifest() if manifest is None else manifest
    rows = []
    for name, spec in SPECS.items():
        entry = manifest.get("models", {}).get(name, {})
        metrics = ", ".join(f"{k}={v:.3g}" for k, v in entry.get("metrics", {}).items()
                            if isinstance(v, (int, float)))
        rows.append(f"{name:16s} {spec.description}\n{'':16s} lessons {spec.lessons}; {metrics or 'not trained'}")
    return "\n".join(rows)


# --------------------------------------------------------------------------------------
# Training (deterministic: fixed seed + TensorFlow op determinism)
# --------------------------------------------------------------------------------------
class _Progress:
    """One line per epoch with the running losses, elapsed time and an ETA."""

    def __init__(self, name: str, epochs: int, verbose: bool):
        self.name, self.epochs, self.verbose = name, epochs, verbose
        self.start = time.perf_counter()
        self.history: list[dict] = []

    def epoch(self, i: int, logs: dict):
        self.history.append({k: float(val) for k, val in logs.items()})
        if not self.verbose:
            return
        elapsed = time.perf_counter() - self.start
        eta = elapsed / (i + 1) * (self.epochs - i - 1)
        text = "  ".join(f"{k} {val:.4g}" for k, val in logs.items())
        print(f"[{self.name}] epoch {i + 1:3d}/{self.epochs}  {text}  "
              f"({elapsed:5.0f} s, about {eta:4.0f} s left)", flush=True)


def _seed_everything(seed: int):
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def _batches(n: int, batch_size: int, rng: np.random.Generator):
    order = rng.permutation(n)
    for start in range(0, n - batch_size + 1, batch_size):  # drop the ragged last batch
        yield order[start:start + batch_size]


def _augmenter(seed: int, translate: float = 0.08, rotate: float = 0.03):
    return keras.Sequential(
        [
            keras.layers.RandomTranslation(translate, translate, fill_mode="constant", seed=seed),
            keras.layers.RandomRotation(rotate, fill_mode="constant", seed=seed + 1),
        ],
        name="augment",
    )


def _train_data(spec: ZooSpec, n_train: int | None):
    if spec.dataset == "shapes":
        n = spec.config["n_train"] if n_train is None else n_train
        return data.make_shapes(n, seed=spec.config["data_seed"]).images, None
    x, y = data.load_mnist("train")
    if n_train is not None:
        x, y = x[:n_train], y[:n_train]
    return x, y


def _train_classifier(spec, parts, x, y, epochs, progress):
    cfg = spec.config
    model = parts
    steps = epochs * (len(x) // cfg["batch_size"])
    opt = keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(cfg["learning_rate"], steps))
    augment = _augmenter(cfg["seed"]) if cfg["augment"] else None
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function
    def step(xb, yb):
        if augment is not None:
            xb = augment(xb, training=True)
        with tf.GradientTape() as tape:
            loss = loss_fn(yb, model(xb, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    rng = np.random.default_rng(cfg["seed"])
    for epoch in range(epochs):
        batch_losses = [float(step(x[b], y[b])) for b in _batches(len(x), cfg["batch_size"], rng)]
        progress.epoch(epoch, {"loss": np.mean(batch_losses)})


def _train_autoencoder(spec, parts, x, y, epochs, progress):
    cfg = spec.config
    model = parts.model
    opt = keras.optimizers.Adam(cfg["learning_rate"])

    @tf.function
    def step(xb):
        with tf.GradientTape() as tape:
            recon = model(xb, training=True)
            # binary cross-entropy summed over pixels, averaged over the batch (lesson 02)
            loss = tf.reduce_mean(tf.reduce_sum(keras.losses.binary_crossentropy(xb, recon), axis=[1, 2]))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    rng = np.random.default_rng(cfg["seed"])
    for epoch in range(epochs):
        batch_losses = [float(step(x[b])) for b in _batches(len(x), cfg["batch_size"], rng)]
        progress.epoch(epoch, {"bce": np.mean(batch_losses)})


def _train_vae(spec, parts, x, y, epochs, progress):
    cfg = spec.config
    encoder, decoder = parts.encoder, parts.decoder
    variables = encoder.trainable_variables + decoder.trainable_variables
    opt = keras.optimizers.Adam(cfg["learning_rate"])
    noise = tf.random.Generator.from_seed(cfg["seed"])
    beta = float(cfg["beta"])

    @tf.function
    def step(xb):
        with tf.GradientTape() as tape:
            z_mean, z_log_var = encoder(xb, training=True)
            eps = noise.normal(tf.shape(z_mean))
            z = z_mean + tf.exp(0.5 * z_log_var) * eps  # reparameterisation trick
            # Keras' BCE works from the sigmoid's logits inside the graph (numerically stable);
            # it equals losses.binary_cross_entropy up to rounding.
            rec = tf.reduce_sum(keras.losses.binary_crossentropy(xb, decoder(z, training=True)), axis=[1, 2])
            kl = losses.gaussian_kl(z_mean, z_log_var)
            loss = tf.reduce_mean(rec + beta * kl)
        grads = tape.gradient(loss, variables)
        opt.apply_gradients(zip(grads, variables))
        return tf.reduce_mean(rec), tf.reduce_mean(kl)

    rng = np.random.default_rng(cfg["seed"])
    for epoch in range(epochs):
        out = np.array([[float(t) for t in step(x[b])] for b in _batches(len(x), cfg["batch_size"], rng)])
        progress.epoch(epoch, {"recon": out[:, 0].mean(), "kl": out[:, 1].mean()})


def _translate(images, gen, max_shift: int = 2):
    """Random integer shifts of up to ``max_shift`` pixels with zero fill (DiffAugment-style).

    Differentiable with respect to ``images`` (it is a pad + crop), so the generator is trained
    through the same augmentation the discriminator sees (Zhao et al., 2020).
    """
    n = tf.shape(images)[0]
    h, w = images.shape[1], images.shape[2]
    padded = tf.pad(images, [[0, 0], [max_shift, max_shift], [max_shift, max_shift], [0, 0]])
    shifts = gen.uniform([n, 2], 0, 2 * max_shift + 1, dtype=tf.int32)
    rows = shifts[:, 0:1] + tf.range(h)[None, :]  # (n, h)
    cols = shifts[:, 1:2] + tf.range(w)[None, :]  # (n, w)
    out = tf.gather(padded, rows, axis=1, batch_dims=1)  # (n, h, W+, c)
    out = tf.gather(out, cols, axis=2, batch_dims=1)  # (n, h, w, c)
    return out


def _train_dcgan(spec, parts, x, y, epochs, progress):
    cfg = spec.config
    gen, disc = parts.generator, parts.discriminator
    latent_dim = gen.input_shape[-1]
    g_opt = keras.optimizers.Adam(cfg["learning_rate"], beta_1=cfg["beta_1"])
    d_opt = keras.optimizers.Adam(cfg["learning_rate"], beta_1=cfg["beta_1"])
    noise = tf.random.Generator.from_seed(cfg["seed"])
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    augment = cfg.get("augment") == "translate"
    # An exponential moving average of the generator's weights is what gets shipped
    # (Yazici et al., 2019): it smooths out the step-to-step oscillation of GAN training.
    ema_model = keras.models.clone_model(gen)
    ema_model.set_weights(gen.get_weights())
    decay = float(cfg["ema"])

    def aug(images):
        return _translate(images, noise) if augment else images

    @tf.function
    def step(real):
        n = tf.shape(real)[0]
        z = noise.normal([n, latent_dim])
        with tf.GradientTape() as d_tape:
            fake = gen(z, training=True)
            real_logit = disc(aug(real), training=True)
            fake_logit = disc(aug(fake), training=True)
            d_loss = bce(tf.ones_like(real_logit), real_logit) + bce(tf.zeros_like(fake_logit), fake_logit)
        d_grads = d_tape.gradient(d_loss, disc.trainable_variables)
        d_opt.apply_gradients(zip(d_grads, disc.trainable_variables))
        z = noise.normal([n, latent_dim])
        with tf.GradientTape() as g_tape:
            fake_logit = disc(aug(gen(z, training=True)), training=True)
            g_loss = bce(tf.ones_like(fake_logit), fake_logit)  # non-saturating generator loss
        g_grads = g_tape.gradient(g_loss, gen.trainable_variables)
        g_opt.apply_gradients(zip(g_grads, gen.trainable_variables))
        for ema_w, w in zip(ema_model.weights, gen.weights):
            ema_w.assign(decay * ema_w + (1.0 - decay) * w)
        return d_loss, g_loss

    rng = np.random.default_rng(cfg["seed"])
    for epoch in range(epochs):
        out = np.array([[float(t) for t in step(x[b])] for b in _batches(len(x), cfg["batch_size"], rng)])
        progress.epoch(epoch, {"d_loss": out[:, 0].mean(), "g_loss": out[:, 1].mean()})
    gen.set_weights(ema_model.get_weights())
    _recalibrate_batchnorm(gen, noise, latent_dim, cfg["bn_recalibration_steps"])


def _recalibrate_batchnorm(generator, noise, latent_dim: int, steps: int, batch_size: int = 256):
    """Re-estimate the BatchNorm moving statistics for the (averaged) generator weights.

    Averaged weights come with averaged statistics that no longer match what the layers
    actually see; a few forward passes in training mode (no weight updates) fix that.
    """
    bn_layers = [l for l in generator.layers if isinstance(l, keras.layers.BatchNormalization)]
    saved = [l.momentum for l in bn_layers]
    for layer in bn_layers:
        layer.momentum = 0.9
    for _ in range(steps):
        generator(noise.normal([batch_size, latent_dim]), training=True)
    for layer, momentum in zip(bn_layers, saved):
        layer.momentum = momentum


def train(name: str, epochs: int | None = None, n_train: int | None = None, verbose: bool = True,
          history: list | None = None, config: dict | None = None):
    """Train ``name`` from scratch, deterministically, and return the trained parts.

    ``epochs`` and ``n_train`` override the shipped configuration (lesson 03 trains briefly), and
    so does ``config`` for any other training setting (e.g. ``{"ema": 0.0}``). Pass a list as
    ``history`` to receive one dict of mean losses per epoch. Nothing is written to disk —
    :func:`train_and_save` does that.
    """
    spec = _check_name(name)
    if config:
        unknown = sorted(set(config) - set(spec.config))
        if unknown:
            raise ValueError(f"unknown training settings {unknown} for {name}; it has {sorted(spec.config)}")
        spec = replace(spec, config={**spec.config, **config})
    if epochs is not None:
        epochs = v.positive_int("epochs", epochs)
    if n_train is not None:
        n_train = v.positive_int("n_train", n_train, minimum=spec.config["batch_size"])
    epochs = spec.config["epochs"] if epochs is None else epochs
    _seed_everything(spec.config["seed"])
    parts = build(name)
    x, y = _train_data(spec, n_train)
    progress = _Progress(spec.name, epochs, verbose)
    globals()[spec.trainer](spec, parts, x, y, epochs, progress)
    if history is not None:
        history.extend(progress.history)
    return parts


# --------------------------------------------------------------------------------------
# Quality metrics on held-out data (asserted by tests/test_zoo.py)
# --------------------------------------------------------------------------------------
def predict_proba(classifier, images, batch_size: int = 500) -> np.ndarray:
    """Softmax probabilities of the digit classifier for images (N, 28, 28, 1) in [0, 1]."""
    images = v.images(images)
    logits = classifier.predict(images, batch_size=batch_size, verbose=0)
    return keras.ops.convert_to_numpy(keras.ops.softmax(logits, axis=-1))


def sample_gan(generator, n: int, seed: int = 0, batch_size: int = 500) -> np.ndarray:
    """``n`` images from a generator, with z ~ N(0, I) drawn from ``seed`` (deterministic)."""
    n = v.positive_int("n", n)
    z = np.random.default_rng(seed).standard_normal((n, generator.input_shape[-1])).astype(np.float32)
    return generator.predict(z, batch_size=batch_size, verbose=0)


def gan_sample_quality(images, classifier, confidence: float = 0.9) -> dict:
    """How digit-like and how varied generated images are, judged by the classifier.

    ``confident_fraction``: share of images whose top class probability is >= ``confidence``;
    ``class_fractions``: share of images per predicted digit (mode collapse shows as a class
    near 0 and another far above 10 %).
    """
    v.number_in("confidence", confidence, 0.0, 1.0)
    probs = predict_proba(classifier, images)
    predicted = probs.argmax(axis=1)
    fractions = np.bincount(predicted, minlength=10) / len(predicted)
    return {
        "confident_fraction": float((probs.max(axis=1) >= confidence).mean()),
        "class_fractions": [round(float(f), 4) for f in fractions],
        "min_class_fraction": float(fractions.min()),
        "max_class_fraction": float(fractions.max()),
    }


def evaluate(name: str, parts, classifier=None) -> dict:
    """The quality metrics of one zoo model on held-out data (written to the manifest)."""
    spec = _check_name(name)
    if name == "classifier":
        x, y = data.load_mnist("test")
        return {"test_accuracy": float((predict_proba(parts, x).argmax(1) == y).mean())}
    if classifier is None:
        classifier = load_pretrained("classifier")
    if spec.dataset == "shapes":
        x = data.make_shapes(2000, seed=SHAPES_TEST_SEED).images
        y = None
    else:
        x, y = data.load_mnist("test")
    metrics = {}
    if name == "dense_ae":
        recon = parts.model.predict(x, batch_size=500, verbose=0)
        metrics["test_mse"] = float(np.mean((recon - x) ** 2))
    elif spec.builder == "build_conv_vae":
        recon, z_mean, z_log_var = parts.model.predict(x, batch_size=500, verbose=0)
        rec = np.asarray(losses.binary_cross_entropy(x, recon))
        kl = np.asarray(losses.gaussian_kl(z_mean, z_log_var))
        metrics.update(test_recon_bce=float(rec.mean()), test_kl=float(kl.mean()),
                       test_neg_elbo=float((rec + kl).mean()), test_mse=float(np.mean((recon - x) ** 2)))
        kl_dims = np.asarray(losses.gaussian_kl_per_dim(z_mean, z_log_var))
        metrics["kl_per_dim"] = [round(float(k), 4) for k in kl_dims]
    elif name == "dcgan":
        images = sample_gan(parts.generator, spec.config["n_eval"], seed=0)
        return gan_sample_quality(images, classifier)
    if y is not None:
        metrics["recon_classified_as_original"] = float(
            (predict_proba(classifier, np.clip(recon, 0, 1)).argmax(1) == y).mean())
    return metrics


# --------------------------------------------------------------------------------------
# Saving and the command line
# --------------------------------------------------------------------------------------
def _versions() -> dict:
    return {"tensorflow": tf.__version__, "keras": keras.__version__, "numpy": np.__version__,
            "python": sys.version.split()[0]}


def train_and_save(name: str, weights_dir: str | Path = WEIGHTS_DIR, verbose: bool = True) -> dict:
    """Retrain ``name`` with its shipped configuration, save the weights, rewrite its manifest entry."""
    spec = _check_name(name)
    weights_dir = Path(weights_dir)
    weights_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    parts = train(name, verbose=verbose)
    seconds = time.perf_counter() - start
    path = weights_path(name, weights_dir)
    _main_model(parts).save_weights(str(path))
    classifier = None
    if name != "classifier":
        classifier = load_pretrained("classifier", weights_dir)
    metrics = evaluate(name, parts, classifier)
    manifest_path = weights_dir / "manifest.json"
    manifest = read_manifest(manifest_path)
    manifest.setdefault("format", 1)
    manifest.setdefault("models", {})[name] = {
        "file": path.name,
        "sha256": sha256_file(path),
        "bytes": path.stat().st_size,
        "builder": f"course_utils.models.{spec.builder}",
        "architecture": spec.kwargs,
        "parameters": int(_main_model(parts).count_params()),
        "dataset": spec.dataset,
        "training": spec.config,
        "seed": spec.config["seed"],
        "train_seconds": round(seconds, 1),
        "command": f"python -m course_utils.zoo train {name}",
        "metrics": metrics,
        "versions": _versions(),
        "description": spec.description,
    }
    manifest["models"] = dict(sorted(manifest["models"].items(), key=lambda kv: MODEL_NAMES.index(kv[0])))
    with open(manifest_path, "w") as handle:
        json.dump(manifest, handle, indent=2)
        handle.write("\n")
    if verbose:
        shown = {k: val for k, val in metrics.items() if not isinstance(val, list)}
        print(f"[{name}] saved {path.name} ({path.stat().st_size / 1e6:.2f} MB) in {seconds:.0f} s; {shown}")
    return manifest["models"][name]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_utils.zoo", description="The pretrained model zoo.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="show the models and their metrics")
    sub.add_parser("verify", help="check every shipped weights file against the manifest")
    p_train = sub.add_parser("train", help="retrain models deterministically and rewrite the manifest")
    p_train.add_argument("names", nargs="*", help=f"models to train: {', '.join(MODEL_NAMES)}")
    p_train.add_argument("--all", action="store_true", help="train every model (the classifier first)")
    args = parser.parse_args(argv)

    if args.command == "list":
        print(list_models())
        return 0
    if args.command == "verify":
        bad = 0
        for name in MODEL_NAMES:
            try:
                verify(name)
                print(f"ok      {name}")
            except WeightsError as exc:
                bad += 1
                print(f"FAILED  {exc}")
        return 1 if bad else 0
    names = list(MODEL_NAMES) if args.all else args.names
    if not names:
        parser.error("name the models to train, or pass --all")
    for name in names:
        if name not in SPECS:
            parser.error(f"unknown model {name!r}; choose from {', '.join(MODEL_NAMES)}")
    for name in sorted(names, key=MODEL_NAMES.index):
        train_and_save(name)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
