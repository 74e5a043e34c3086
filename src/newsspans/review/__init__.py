"""Review pages: ``render`` writes a static HTML site of the corpus with every problem in place, and
for each document with annotator layers a page comparing them, every disagreement marked."""

from ._render import RenderResult, render

__all__ = ["RenderResult", "render"]
