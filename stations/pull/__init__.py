"""The pull side of distribution: public feeds, WebSub pings, the station API and the importer.

It is its own small Django app (label ``stations_pull``) so its signal handlers and the import
ledger live beside the code that uses them, apart from the push side in ``stations``.
"""
