"""The stack's SMTP catcher: aiosmtpd's Maildir handler that can crash in the middle of a
batch, as a mail server that dies does (the connection drops, nothing answered).

    python -m aiosmtpd -n -l 127.0.0.1:8113 -c tests.stack.catcher.Catcher MAILDIR [N]

With ``N``, the process exits abruptly when the (N+1)th message's data arrives: N messages
were accepted (answered 250), the next one was not, so a sender that retries what was not
accepted sends each message exactly once.
"""

import os

from aiosmtpd.handlers import Mailbox


class Catcher(Mailbox):
    """Keeps every message in a Maildir; with ``crash_after``, dies before the next one."""

    def __init__(self, mail_dir, crash_after=None):
        super().__init__(mail_dir)
        self.crash_after = crash_after
        self.accepted = 0

    async def handle_DATA(self, server, session, envelope):
        if self.crash_after is not None and self.accepted >= self.crash_after:
            os._exit(3)  # no 250, no QUIT: the client sees the connection drop
        self.accepted += 1
        return await super().handle_DATA(server, session, envelope)

    @classmethod
    def from_cli(cls, parser, *args):
        if not 1 <= len(args) <= 2:
            parser.error("Catcher: MAILDIR [messages acceptés avant la panne]")
        return cls(args[0], int(args[1]) if len(args) == 2 else None)
