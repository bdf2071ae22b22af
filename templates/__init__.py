"""The default Word templates, installed as the package ``rardocs.templates``.

``pyproject.toml`` maps that package to this folder, so that the .docx files are
edited here and ship inside the wheel; :func:`rardocs.package.default_templates`
finds them. ``make_templates.py`` regenerates them.
"""
