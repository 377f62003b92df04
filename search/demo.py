"""Demo hook: index every demo resource once the demo content is loaded."""

from .backends import get_backend
from .indexing import iter_documents


def load_demo(command):
    """Rebuild the knowledge base from the demo resources (idempotent)."""
    command.log("Base de connaissances : indexation des ressources…")
    count = get_backend().rebuild(iter_documents())
    for _ in range(count):
        command.count("ressources indexées", True)
    s = "s" if count > 1 else ""
    command.log(f"Base de connaissances : {count} ressource{s} indexée{s}.")
