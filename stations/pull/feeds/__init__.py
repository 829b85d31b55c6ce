"""Public feeds of each language edition and channel: RSS 2.0, Atom and JSON Feed 1.1."""
