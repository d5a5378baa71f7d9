"""A tiny Sphinx extension for ``make site``: drop the scripts of sphinx-thebe, and any script twice.

Jupyter Book 1 always loads sphinx-thebe (live code cells on a Binder kernel). The course site
turns Thebe off, yet every page still carried its inline configuration — twice, which throws
"Identifier 'THEBE_JS_URL' has already been declared" — with the address of Thebe on unpkg.com.
"""


def _is_thebe(script) -> bool:
    body = (getattr(script, "attributes", None) or {}).get("body", "")
    return "THEBE_JS_URL" in body or str(getattr(script, "filename", "") or "").endswith("sphinx-thebe.js")


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        key = (getattr(script, "filename", script) or "", tuple(sorted((getattr(script, "attributes", None) or {}).items())))
        if _is_thebe(script):
            continue
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
