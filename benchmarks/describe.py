"""One line per training recipe, for the benchmarks' tables."""


def describe(recipe):
    """``"2 epochs, batch 128, peak lr 0.003, no augmentation"`` for a
    :class:`dlbook_utils.training.Recipe`."""
    parts = [f"{recipe.epochs} epochs", f"batch {recipe.batch_size}",
             f"peak lr {recipe.peak_lr:g}",
             "augmentation" if recipe.augment else "no augmentation"]
    if recipe.dropout:
        parts.append(f"dropout {recipe.dropout:g}")
    if recipe.label_smoothing:
        parts.append(f"label smoothing {recipe.label_smoothing:g}")
    return ", ".join(parts)
