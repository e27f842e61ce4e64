"""Training, evaluation and promotion of the classifiers (`pmm train`, `pmm models`)."""

from .fit import TrainResult, cross_val_probabilities, fit_model, train
from .promote import list_versions, use_version

__all__ = ["train", "TrainResult", "fit_model", "cross_val_probabilities", "list_versions", "use_version"]
