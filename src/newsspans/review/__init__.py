"""Review pages: ``render`` writes a static HTML site of the corpus with every problem in place."""

from ._render import RenderResult, render

__all__ = ["RenderResult", "render"]
