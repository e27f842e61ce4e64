"""Classifiers for GCM objectives, SDGs and challenge categories, with calibrated probabilities.

    from pipeline.classify import load_model
    model = load_model("gcm")                       # the current version in models/gcm/
    model.predict(["El INM expidió tarjetas de visitante por razones humanitarias ..."])
"""

from ..config import MODELS_DIR
from .model import Model
from .predict import classify_store, load_model, predict_jsonl

__all__ = ["MODELS_DIR", "Model", "load_model", "predict_jsonl", "classify_store"]
