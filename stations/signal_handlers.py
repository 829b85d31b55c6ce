"""Page lifecycle → delivery rows (same transaction) → Celery tasks (on commit)."""


def register_signal_handlers():
    pass
