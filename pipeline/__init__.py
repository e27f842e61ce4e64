"""pmm: extract, classify, review, retrain and report the actions governments report for the GCM."""

__version__ = "0.1.0"
