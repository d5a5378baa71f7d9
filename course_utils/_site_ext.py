"""A tiny Sphinx extension for ``make site``: drop scripts that a page would include twice.

Jupyter Book 1 registers sphinx-thebe's inline configuration twice, and the second copy throws
"Identifier 'THEBE_JS_URL' has already been declared" in the browser console of every page.
"""


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        key = (getattr(script, "filename", script) or "", tuple(sorted((getattr(script, "attributes", None) or {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
