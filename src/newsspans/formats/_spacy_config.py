"""The training config that ``newsspans export spacy`` writes beside its DocBins: ``config.cfg``,
ready for ``python -m spacy train config.cfg --output DIR`` run from the export folder.

It is spaCy's own ``spacy init config --lang en --pipeline ner --optimize efficiency`` (made by the
installed spaCy, offline: a blank English pipeline, tok2vec and ner, no vectors, nothing
downloaded) with two changes:

- ``[paths] train`` and ``dev`` name the export's ``train`` and ``validation`` split, a
  ``.spacy`` file or a folder of them, relative to the export folder (``dev`` is null when the
  corpus has no validation document: ``spacy train`` then needs ``--paths.dev``);
- ``[corpora.train]`` and ``[corpora.dev]`` have ``gold_preproc = true``: spaCy's corpus reader
  then keeps the DocBin's own tokens (and cuts each document at its sentences) instead of
  re-tokenizing the text with spaCy's tokenizer. Without it, a mention inside a glued word
  ("presidentMasoud Pezeshkian": spaCy's tokenizer keeps "presidentMasoud" one token) aligns to no
  token of the re-tokenized text, its tokens become "missing" in the NER gold, and the mention
  is lost from training in silence. The price, in spaCy's words, is a possible "train/test skew":
  at run time the pipeline sees its own tokenizer's tokens.
"""

from __future__ import annotations

from typing import Optional

#: The file name of the config in the export folder.
CONFIG_FILE = "config.cfg"
#: The split spaCy trains on and the one it evaluates on (``[paths] dev``).
TRAIN_SPLIT, DEV_SPLIT = "train", "validation"

_HEADER = """\
# spaCy training config written by `newsspans export spacy`: a blank English NER pipeline
# (spaCy's `init config --lang en --pipeline ner --optimize efficiency`, no vectors).
# Run it from this folder:  python -m spacy train config.cfg --output model
# (elsewhere: add --paths.train <this folder>/{train} --paths.dev <this folder>/{dev}).
# gold_preproc = true keeps the exported tokens, so every gold mention is trained on,
# those inside glued words ("presidentMasoud") included; see the README, "Training with spaCy".
"""


def training_config(*, train: Optional[str], dev: Optional[str]) -> str:
    """The text of ``config.cfg`` whose ``[paths]`` are ``train`` and ``dev`` (paths relative to
    the export folder, None when the split is empty), read with ``gold_preproc`` (module docstring)."""
    from spacy.cli.init_config import init_config

    config = init_config(lang="en", pipeline=["ner"], optimize="efficiency", gpu=False, pretraining=False, silent=True)
    config["paths"]["train"] = train
    config["paths"]["dev"] = dev
    for corpus in ("train", "dev"):
        config["corpora"][corpus]["gold_preproc"] = True
    header = _HEADER.format(train=train or f"{TRAIN_SPLIT}.spacy", dev=dev or f"{DEV_SPLIT}.spacy")
    return header + "\n" + config.to_str() + "\n"
