"""rardocs: the Word documents of a Danish regional labour market council from text files.

The public API::

    from rardocs import load, build, build_document
    archive, warnings = load("path/to/project")       # read + validate
    meeting = archive.meetings[0]
    docx_bytes = build_document(meeting, "referat", "path/to/project")
    build("path/to/project")                          # every document, to output/
"""

from .build import build, build_document, load, render_meeting
from .errors import ContentError, Problem, RardocsError, TemplateError

__version__ = "0.1.0"
__all__ = ["load", "build", "build_document", "render_meeting", "ContentError", "Problem",
           "RardocsError", "TemplateError", "__version__"]
