"""Choose the MNIST chapter's full recipe on the validation split, over several seeds.

    python benchmarks/select_mnist_recipe.py [--seeds 0 1 2] [--variant full
                                             --variant label_smoothing=0 ...]

Trains the article's network with each variant of ``RECIPES["full"]`` (``full``: the
recipe itself; ``NAME=VALUE[,NAME=VALUE]``: fields of ``dlbook_utils.models.Recipe``
replaced, e.g. ``label_smoothing=0`` or ``dropout=0.25``; ``augmentation=three_layers``:
the article's ranges as Keras' ``RandomRotation``, ``RandomTranslation`` and ``RandomZoom``
in a row, the chapter's earlier augmentation, instead of its one warp) on the chapter's split: the
same 55,000 training images and 5,000 validation images. Seed ``s`` seeds Keras
(weights, dropout), the augmentation layers and the shuffling; seed 0 is the chapter's
own run (its validation accuracy matches the chapter's). Only the validation set is
looked at: this is a choice, and the test set stays out of it. Each run has its own
Python process.

Prints one line per run and a table: validation accuracy per seed, the mean, and the
training time.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))
from _isolated import report, run_isolated  # noqa: E402
from describe import describe  # noqa: E402
from dlbook_utils.training import RECIPES, Recipe  # noqa: E402


def _boolean(text):
    if text not in ("True", "False"):
        raise ValueError(text)
    return text == "True"


FIELD_TYPES = {"epochs": int, "batch_size": int, "peak_lr": float, "augment": _boolean,
               "dropout": float, "label_smoothing": float}


AUGMENTATIONS = ("one_warp", "three_layers")


def three_layers(seed):
    """The chapter's augmentation before 2026-11-28: the article's ranges as three Keras
    layers, each resampling the image (rotation, then shift, then zoom keeping the aspect
    ratio)."""
    from dlbook_utils.training import quiet_tensorflow

    keras = quiet_tensorflow()
    fill = {"fill_mode": "constant", "fill_value": 0.0}
    return keras.Sequential([
        keras.layers.RandomRotation(10 / 360, seed=seed, **fill),
        keras.layers.RandomTranslation(0.1, 0.1, seed=seed + 1, **fill),
        keras.layers.RandomZoom((-0.1, 0.2), seed=seed + 2, **fill),
    ], name="augmentation")


def parse_variant(text):
    """``"label_smoothing=0.1,dropout=0.25"`` → (the full recipe with those fields replaced,
    ``"one_warp"``); ``"augmentation=three_layers"`` → (the full recipe, ``"three_layers"``);
    ``"full"`` → (the full recipe, ``"one_warp"``)."""
    fields = {f.name: FIELD_TYPES[f.name] for f in dataclasses.fields(Recipe)}
    changes, augmentation = {}, "one_warp"
    for item in filter(None, text.split(",")) if text != "full" else ():
        name, sep, value = item.partition("=")
        if name == "augmentation":
            if value not in AUGMENTATIONS:
                raise SystemExit(f"--variant: augmentation is one of {AUGMENTATIONS}; "
                                 f"got {value!r}")
            augmentation = value
            continue
        if not sep or name not in fields:
            raise SystemExit(f"--variant: expected NAME=VALUE with NAME one of {sorted(fields)}; "
                             f"got {item!r}")
        convert = fields[name]
        try:
            changes[name] = convert(value)
        except ValueError:
            raise SystemExit(f"--variant: {name} needs a {fields[name].__name__.strip('_')}; got {value!r}") from None
    return dataclasses.replace(RECIPES["full"], **changes), augmentation


def run(recipe, augmentation, seed):
    """Train in this process; return (validation accuracy after the last epoch, seconds)."""
    from dlbook_utils.data import load_mnist, mnist_images, mnist_split

    (x_all, y_all), _ = load_mnist()
    train_idx, val_idx = mnist_split()                          # the chapter's split
    x_train, y_train = mnist_images(x_all[train_idx]), y_all[train_idx]
    x_val, y_val = mnist_images(x_all[val_idx]), y_all[val_idx]
    model, data = recipe.prepare(x_train, y_train, seed=seed)   # as the chapter trains it
    if augmentation == "three_layers":
        from dlbook_utils.data import image_dataset

        data = image_dataset(x_train, y_train, batch_size=recipe.batch_size, shuffle=True,
                             augmentation=three_layers(seed), seed=seed)
    start = time.perf_counter()
    history = model.fit(data, validation_data=(x_val, y_val), epochs=recipe.epochs, verbose=2,
                        shuffle=False)
    return history.history["val_accuracy"][-1], time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--variant", action="append", default=None,
                        help="'full' (the full recipe) or fields of it to replace, "
                             "NAME=VALUE[,NAME=VALUE]; repeatable; default: "
                             "full and label_smoothing=0")
    parser.add_argument("--only", nargs=2, metavar=("VARIANT", "SEED"),
                        help="(internal) one run in this process")
    args = parser.parse_args()
    if args.only:
        report(run(*parse_variant(args.only[0]), int(args.only[1])))
        return

    variants = args.variant or ["full", "label_smoothing=0"]
    for variant in variants:
        parse_variant(variant)            # fail on a typo before hours of training
    results = {}
    for variant in variants:
        recipe, augmentation = parse_variant(variant)
        for seed in args.seeds:
            results[variant, seed] = run_isolated(os.path.abspath(__file__), "--only", variant,
                                                  seed)
            acc, seconds = results[variant, seed]
            print(f"{describe(recipe)}, {augmentation} | seed {seed}: validation {acc:.2%}, "
                  f"{seconds:.0f} s", flush=True)

    print(f"\n{os.cpu_count()} CPUs; validation accuracy (5,000 images; one image = 0.02 points)"
          " after the last epoch\n")
    print("| recipe | " + " | ".join(f"seed {s}" for s in args.seeds) + " | mean | time per run |")
    print("|---|" + "---|" * (len(args.seeds) + 2))
    for variant in variants:
        accs = [results[variant, s][0] for s in args.seeds]
        secs = [results[variant, s][1] for s in args.seeds]
        recipe, augmentation = parse_variant(variant)
        print(f"| {describe(recipe)}, {augmentation} | "
              + " | ".join(f"{a:.2%}" for a in accs)
              + f" | {np.mean(accs):.2%} | {np.mean(secs):.0f} s |")


if __name__ == "__main__":
    main()
