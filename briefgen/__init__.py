"""briefgen: build print-ready briefing-book PDFs from one YAML trip file.

The pipeline, one module per stage: load -> validate (model) -> render_html -> pdf.
"""

__version__ = "0.1.0"
