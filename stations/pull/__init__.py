"""The pull side of distribution, and the way in: what stations and archives fetch or bring.

- feeds/: the public RSS 2.0, Atom and JSON Feed of each edition and channel;
- websub.py (+ tasks.py, signal_handlers.py): the WebSub hub ping when an article changes;
- api/: the token-protected station API (/api/stations/v1/);
- importer.py (+ `import_articles`, the ImportedArticle ledger): ninjs archives in.

Its own small Django app (label ``stations_pull``), apart from the push side in ``stations``.
"""
