"""rardocs: the Word documents of a Danish regional labour market council from text files.

The public API::

    from rardocs import load, build, build_document
    archive, warnings = load("path/to/project")       # read + validate
    meeting = archive.meetings[0]
    docx_bytes = build_document(meeting, "referat", "path/to/project")
    build("path/to/project")                          # what changed, to output/

Imported lazily, so that the command line can tell "nothing to build" fast.
"""

__version__ = "0.2.0"
__all__ = ["load", "build", "build_document", "plan", "ContentError", "Problem",
           "RardocsError", "TemplateError", "__version__"]


_LAZY = {"load": "builder", "build": "builder", "build_document": "builder", "plan": "builder",
         "ContentError": "errors", "Problem": "errors", "RardocsError": "errors", "TemplateError": "errors"}


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(name)
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value
