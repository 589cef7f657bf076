"""``jupyter nbconvert --to gradients_html``: nbconvert's HTML export (the lab template) with each figure's
description as its image's alt text.

nbconvert's classic template writes an image's ``alt`` from its output metadata; the lab template, the
default, writes none. This exporter is the lab template with that one addition (``templates/gradients_html``),
registered as the ``nbconvert.exporters`` entry point ``gradients_html`` (nbconvert also finds it as
``--to ipython_gradients.export.GradientsHTMLExporter``). Imported only by nbconvert, when it is used: it
imports nbconvert, which nothing else in the package does.
"""

from __future__ import annotations

import os

from nbconvert.exporters import HTMLExporter
from traitlets import default

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")


class GradientsHTMLExporter(HTMLExporter):
    """HTML as the lab template writes it, with images' alt text from their ``alt`` metadata."""

    export_from_notebook = "HTML with figure descriptions"

    @default("template_name")
    def _template_name_default(self):
        return "gradients_html"

    @default("extra_template_basedirs")
    def _default_extra_template_basedirs(self):
        return [*super()._default_extra_template_basedirs(), TEMPLATES]
