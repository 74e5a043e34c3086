"""The toolkit's version (the dataset's version lives in ``corpus/dataset.json``)."""

__version__ = "0.1.0"
