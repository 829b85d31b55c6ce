"""The station API (pull): /api/stations/v1/, token-authenticated, JSON, ninjs items."""
