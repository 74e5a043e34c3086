"""Agreement between annotators: every pair of annotators of a document, and each annotator
against gold, per layer and per label (``docs/agreement.md`` defines every metric).

``measure_agreement`` reads a corpus and gives ``AgreementRow``s; ``match_spans`` is the one
matching rule of every overlap metric; ``nominal_alpha`` is Krippendorff's alpha (nominal);
``cluster_link_f1`` compares the cross-document links that ``cluster_id``s make.
"""

from ._alpha import alpha_from_pairs, alpha_from_units, nominal_alpha
from ._match import MATCH_THRESHOLD, Match, jaccard, match_spans
from ._documents import Counts, Job, add_document, counted_rows
from ._measure import annotator_pairs, measure_agreement
from ._minimum import Shortfall, below_minimum
from ._report import ALL_LABELS, UNDEFINED, format_json, format_markdown, format_text, headline_table, show_value
from ._rows import (AGREEMENT, ALPHA, CLUSTER_LINK_F1, CORPUS_ONLY, DECIMALS, F1, HEADLINE, LABELS, METRICS, PER_LABEL,
                    AgreementRow, rounded, row_key)
from ._tokens import INSIDE_QUOTE, pair_tokens

__all__ = [
    "AGREEMENT", "ALL_LABELS", "Counts", "Job", "add_document", "counted_rows", "ALPHA", "AgreementRow", "CLUSTER_LINK_F1", "CORPUS_ONLY", "DECIMALS", "F1",
    "HEADLINE", "INSIDE_QUOTE", "LABELS", "MATCH_THRESHOLD", "METRICS", "Match", "PER_LABEL", "Shortfall",
    "UNDEFINED", "alpha_from_pairs", "alpha_from_units", "annotator_pairs", "below_minimum", "format_json",
    "format_markdown", "format_text", "headline_table", "jaccard", "match_spans", "measure_agreement",
    "nominal_alpha", "pair_tokens", "rounded", "row_key", "show_value",
]
