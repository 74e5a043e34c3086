"""The spaCy export's training config (``config.cfg``): spaCy loads and trains with it offline, and
its corpus reader, with ``gold_preproc``, gives the NER every gold mention, those inside glued words
("presidentMasoud") included, which spaCy's own re-tokenization loses."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from helpers import CORPUS, annotations_of, run, split_of_document

from newsspans.formats.base import open_corpus


@pytest.fixture(scope="module")
def seed_export(tmp_path_factory):
    out = tmp_path_factory.mktemp("spacy") / "out"
    code, _, err = run("export", "spacy", "--corpus", CORPUS, "--out", out)
    assert code == 0, err
    return out, err


def train_mentions(corpus=CORPUS):
    """The train split's mentions: (document text, start, end) of each."""
    texts = {doc.id: doc.text for _, doc in open_corpus(corpus).documents()}
    splits = split_of_document(corpus)
    return [(texts[doc_id], m["start"], m["end"]) for doc_id, ann in annotations_of(corpus).items()
            if splits[doc_id] == "train" for m in ann["entities"]]


def config_of(folder, **overrides):
    from spacy.util import load_config

    return load_config(folder / "config.cfg", overrides=overrides)


def nlp_of(config):
    from spacy.util import load_model_from_config

    return load_model_from_config(config, auto_fill=True, validate=True)


def ner_gold_mentions(config, nlp):
    """Entity spans of the NER gold (what the ner component trains on: the reference's entities
    aligned to the predicted tokens) over the examples of the config's own ``corpora.train``
    reader, and the entity spans of those examples' reference docs."""
    from spacy.util import resolve_dot_names

    [reader] = resolve_dot_names(config.interpolate(), ["corpora.train"])
    trained = reference = 0
    for eg in reader(nlp):
        trained += sum(1 for tag in eg.get_aligned_ner() if tag and tag[:2] in ("B-", "U-"))
        reference += len(eg.reference.ents)
    return trained, reference


def test_the_config_is_a_blank_english_ner_pipeline_reading_the_export_with_gold_preproc(seed_export, monkeypatch):
    out, err = seed_export
    config = config_of(out)
    assert [config["corpora"][c]["gold_preproc"] for c in ("train", "dev")] == [True, True]
    assert config["paths"]["vectors"] is None and config["nlp"]["lang"] == "en"
    assert (out / config["paths"]["train"]).exists()  # relative to the export folder
    has_dev = "validation" in set(split_of_document(CORPUS).values())
    assert (config["paths"]["dev"] is not None) == has_dev
    assert ("[paths] dev is null" in err) == (not has_dev)
    monkeypatch.chdir(out)
    nlp = nlp_of(config)
    assert nlp.pipe_names == ["tok2vec", "ner"] and nlp.lang == "en"


def test_with_gold_preproc_every_gold_mention_is_trained_on_and_without_it_the_glued_ones_are_lost(seed_export, monkeypatch):
    out, _ = seed_export
    monkeypatch.chdir(out)
    mentions = train_mentions()
    train = config_of(out)["paths"]["train"]
    config = config_of(out, **{"paths.dev": train})  # resolving the readers needs a dev path; the seeds may have none
    nlp = nlp_of(config)
    assert ner_gold_mentions(config, nlp) == (len(mentions), len(mentions))
    # spaCy's tokenizer on the raw text: a mention that starts or ends inside one of its tokens
    # ("Masoud" in "presidentMasoud") aligns to no token and is lost from the NER gold.
    misaligned = sum(1 for text, start, end in mentions if nlp.make_doc(text).char_span(start, end) is None)
    assert misaligned > 0, "the seeds keep glued words such as 'presidentMasoud'"
    without = config_of(out, **{"paths.dev": train, "corpora.train.gold_preproc": False})
    assert ner_gold_mentions(without, nlp) == (len(mentions) - misaligned, len(mentions))


def test_spacy_train_runs_with_the_config_offline_and_learns_the_exported_labels(seed_export, tmp_path):
    out, _ = seed_export
    config = config_of(out)
    dev = config["paths"]["dev"] or config["paths"]["train"]  # the seeds may have no validation document
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-m", "spacy", "train", "config.cfg", "--output", str(tmp_path / "model"),
                           "--paths.dev", dev, "--training.max_steps", "2", "--training.eval_frequency", "1"],
                          cwd=out, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    import spacy

    trained = spacy.load(tmp_path / "model" / "model-last")
    labels = {m["label"] for doc_id, ann in annotations_of(CORPUS).items()
              if split_of_document(CORPUS)[doc_id] == "train" for m in ann["entities"]}
    assert set(trained.get_pipe("ner").labels) == labels
