"""Transactional outbox: every side effect of a change (indexing, alerts, e-mails) is a row
written in the change's own transaction, handed to Celery once it commits. See ``service``."""
