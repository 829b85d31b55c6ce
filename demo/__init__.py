"""The demo newsroom: `load_demo` (channels, articles, covers, stations) and `ensure_admin`.

On top of every app: it writes pages, snippets, images and liaison stations, and no app
imports it. Its content is our own writing (see demo/stories.py).
"""
