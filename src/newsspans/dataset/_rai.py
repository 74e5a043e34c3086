"""The Croissant Responsible-AI (RAI 1.0) fields of ``croissant.json``, from what the build measured.

Each field is a fact the build computed (how many annotators' layers each document has, the
agreement between them, the suggestions' sources and figures) or a note written by hand in
``corpus/dataset.json``; a field the corpus cannot state is left out (``rai:annotatorDemographics``:
the annotators' demographics are not recorded, and the annotators of this corpus may be models).
"""

from __future__ import annotations

from typing import Any

from ._facts import layer_annotators
from ._stats import Stats

#: The ``corpus/dataset.json`` notes that fill an RAI field as they are.
NOTE_FIELDS = {"source_note": "rai:dataCollection", "limitations_note": "rai:dataLimitations"}


def rai_fields(stats: Stats) -> dict[str, Any]:
    """The RAI fields of the release of ``stats``, in a fixed order; those without a value left out."""
    ds = stats.dataset
    fields: dict[str, Any] = {field: ds[note] for note, field in NOTE_FIELDS.items() if ds.get(note)}
    fields["rai:dataAnnotationProtocol"] = _protocol(stats)
    fields["rai:annotationsPerItem"] = _per_item(stats)
    analysis = _agreement_analysis(stats) + _suggestions_analysis(stats)
    if analysis:
        fields["rai:dataAnnotationAnalysis"] = analysis
    tools = _machine_tools(stats)
    if tools:
        fields["rai:machineAnnotationTools"] = tools
    return fields


def _protocol(stats: Stats) -> list[str]:
    written = [stats.dataset["annotation_note"]] if stats.dataset.get("annotation_note") else []
    return [
        "Standoff character spans (Python code-point offsets, end exclusive) in three layers, following the project's "
        "annotation guidelines (docs/guidelines.md): entity mentions of the 18 OntoNotes 5.0 types linked to an entity "
        "registry, quotes (content, speaker and cue), and claims (ClaimBuster's CFS/UFS, with their claimant). Every "
        "span's stored text equals the document text at its offsets, which the build checks.",
        *written,
    ]


def _per_item(stats: Stats) -> str:
    """How many annotations each document has: the gold, and the annotators' layers it was made from."""
    documents = sum(stats.document_tally.layer_counts.values())
    by_count = sorted(stats.document_tally.layer_counts.items(), reverse=True)
    if not any(n for n, _ in by_count):
        return f"One annotation per document (all {documents}): the released gold; the corpus has no annotator layers."
    spread = "; ".join(f"{docs} of the {documents} documents have {n} annotators' layers" for n, docs in by_count)
    who = ", ".join(f"{a} ({stats.annotators.get(a, 'kind not recorded')})" for a in layer_annotators(stats))
    return (f"One released (gold) annotation per document, and beside it the annotators' own annotations of it "
            f"(corpus/layers/, measured against each other and the gold): {spread}. Annotators with layers "
            f"(corpus/annotators.json): {who}.")


def _agreement_analysis(stats: Stats) -> list[str]:
    """One line per pair of annotators and layer: the headline metric over all labels."""
    from ..agreement import HEADLINE, show_value

    lines = []
    for r in stats.agreement:
        if r.label is None and r.metric == HEADLINE[r.layer]:
            lines.append(f"Agreement, {r.layer}, {r.annotator_a} vs {r.annotator_b}: {r.metric} = {show_value(r.value)} "
                         f"({r.count_a} and {r.count_b} items, {r.agreed} matched, {r.documents} documents).")
    if lines:
        lines.insert(0, "Measured at build time from the stored layers (the `agreement` config holds every metric, over "
                        "all labels and per label; docs/agreement.md defines them). Headline metric per layer, over all "
                        "labels; `gold` is the released annotation.")
    return lines


def _suggestions_analysis(stats: Stats) -> list[str]:
    """One line per layer and metric of the stored suggestions against gold, over all labels."""
    from ..agreement import show_value

    rows = [r for r in stats.suggestions if r.label is None and r.suggested + r.gold]
    if not rows:
        return []
    return [f"Suggestions (newsspans suggest, stored apart from gold) against gold on {rows[0].documents} documents, "
            f"{r.layer} {r.metric}: precision {show_value(r.precision)}, recall {show_value(r.recall)}, F1 "
            f"{show_value(r.f1)} ({r.suggested} suggested, {r.gold} gold, {r.matched} matched)." for r in rows]


def _machine_tools(stats: Stats) -> list[str]:
    """The annotators that are models (they made layers) and the sources of the stored suggestions
    (rule or model, with its version)."""
    models = [f"{a}: an annotator that is a model (corpus/annotators.json), with its own layers (corpus/layers/)"
              for a in layer_annotators(stats) if stats.annotators.get(a) == "model"]
    return models + [f"newsspans suggest, source {s}: pre-annotation stored apart from the gold (corpus/suggestions/) "
                     "and measured against it; never released as gold" for s in stats.suggestion_sources]
