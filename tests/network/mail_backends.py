"""A file mail backend whose first delivery to a "+flaky" address fails (for retry tests)."""

import smtplib
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class FlakyFileBackend(EmailBackend):
    """Refuses the first message to each address containing "+flaky", then accepts it."""

    def send_messages(self, email_messages):
        for message in email_messages:
            for address in message.to:
                if "+flaky" in address:
                    marker = Path(self.file_path) / f".refused-{address}"
                    if not marker.exists():
                        marker.touch()
                        raise smtplib.SMTPRecipientsRefused({address: (450, b"try again")})
        return super().send_messages(email_messages)
