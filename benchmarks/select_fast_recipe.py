"""How the MNIST chapter's fast recipe was chosen: validation accuracy of a candidate
(article network, plain images, warm-up + cosine schedule) checked four times per epoch.

    python benchmarks/select_fast_recipe.py --batch 64 --lr 6e-3 --epochs 2 --seed 0

Trains on the chapter's 55,000 training images (``mnist_split()``) and prints one JSON line:
the settings and, at each check, (epoch, training seconds, validation accuracy in %).
The training seconds leave the evaluations out. The test set is never read. Run one
candidate at a time on a quiet machine; benchmarks/README.md has the runs and the choice.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from _watch import accuracy_watch  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=3e-3, help="peak learning rate")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--bn", action="store_true", help="batch normalization")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--warm", type=float, default=0.1, help="warm-up share of the steps")
    parser.add_argument("--ls", type=float, default=0.0, help="label smoothing")
    args = parser.parse_args()

    from dlbook_utils.data import image_dataset, load_mnist, mnist_images, mnist_split
    from dlbook_utils.models import article_cnn
    from dlbook_utils.training import compile_with_schedule, quiet_tensorflow

    keras = quiet_tensorflow()
    (x_all, y_all), _ = load_mnist()
    train_idx, val_idx = mnist_split()
    x, y = mnist_images(x_all[train_idx]), y_all[train_idx]
    xv, yv = mnist_images(x_all[val_idx]), y_all[val_idx]
    model = article_cnn(seed=args.seed, batch_norm=args.bn)
    steps = -(-len(y) // args.batch)
    compile_with_schedule(model, steps=args.epochs * steps, peak_lr=args.lr,
                          warmup_fraction=args.warm, label_smoothing=args.ls)
    data = image_dataset(x, y, batch_size=args.batch, shuffle=True, seed=args.seed)
    trace = []
    model.fit(data, epochs=args.epochs, verbose=0, shuffle=False,
              callbacks=[accuracy_watch(keras, xv, yv, steps, trace)])
    trace = [(round(e, 2), round(t, 1), round(100 * a, 2)) for e, t, a in trace]
    print(json.dumps({"args": vars(args), "trace": trace}), flush=True)


if __name__ == "__main__":
    main()
