"""Alert e-mails for calls for tenders: matching, recording deliveries, sending them once.

Exactly-once: ``plan_deliveries`` records one ``AlertDelivery`` per (call, round, e-mail)
under a unique constraint (a double publication or a retried task adds nothing), then
``send_deliveries`` claims each row in a committed transaction (pending → sending) just
before handing the message to the mail server, and marks it sent as soon as the server
accepted it.
A claimed row is never claimed again, so no address is sent twice; a killed worker's task
is redelivered (``acks_late``) and resumes with the rows still pending, so nobody is
skipped. The only window left is a crash between the claim and the hand-off: such rows
stay ``sending`` and are reported as "interrompu" in the admin instead of being resent.
"""

import datetime
import functools
import logging
from email.header import Header

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crdla.core import emails

from .models import (
    AlertDelivery,
    AlertSubscription,
    CallForTendersPage,
    CallStatus,
    DeliveryStatus,
)
from .tokens import make_token

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A row left "sending" longer than this was interrupted by a crash.
STALE_CLAIM = datetime.timedelta(minutes=10)


def absolute_url(path):
    """An absolute link from the site's root URL (the default Wagtail Site's address)."""
    return emails.absolute_url(path)


def matching_subscriptions(call):
    """Confirmed subscriptions whose preferences match ``call`` (empty preferences = all)."""
    Sector = AlertSubscription.sectors.through
    Dept = AlertSubscription.departements.through
    departements = {call.departement_id, *(d.pk for d in call.territories.all())}
    subs = AlertSubscription.objects.filter(confirmed_at__isnull=False)
    any_sector = Exists(Sector.objects.filter(alertsubscription_id=OuterRef("pk")))
    this_sector = Exists(
        Sector.objects.filter(alertsubscription_id=OuterRef("pk"), sector_id=call.sector_id)
    )
    any_dept = Exists(Dept.objects.filter(alertsubscription_id=OuterRef("pk")))
    this_dept = Exists(
        Dept.objects.filter(alertsubscription_id=OuterRef("pk"), departement_id__in=departements)
    )
    subs = subs.filter(~any_sector | this_sector).filter(~any_dept | this_dept)
    # JSON "contains" is not available on SQLite: kinds are filtered in Python, cheaply.
    return [
        (pk, email)
        for pk, email, kinds in subs.values_list("pk", "email", "kinds").order_by("pk")
        if not kinds or call.kind in kinds
    ]


def plan_deliveries(call, round_number):
    """Record the deliveries of one round (idempotent); returns the pending delivery ids."""
    targets = matching_subscriptions(call)
    AlertDelivery.objects.bulk_create(
        [
            AlertDelivery(call=call, round=round_number, subscription_id=pk, email=email)
            for pk, email in targets
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return list(
        AlertDelivery.objects.filter(
            call=call,
            round=round_number,
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


TOKEN_MARK = "__token__"


@functools.cache
def _link_prefix(url_name, root):
    """The absolute URL of a signed-link view with a placeholder token (reversed once per
    root URL: the site's address can change while a worker runs)."""
    return emails.absolute_url(reverse(url_name, args=[TOKEN_MARK]), base=root)


def unsubscribe_url(subscription, root=None):
    token = make_token(subscription, "unsubscribe")
    prefix = _link_prefix("network:alerts-unsubscribe", root or emails.root_url())
    return prefix.replace(TOKEN_MARK, token)


def preferences_url(subscription, root=None):
    token = make_token(subscription, "preferences")
    prefix = _link_prefix("network:alerts-preferences", root or emails.root_url())
    return prefix.replace(TOKEN_MARK, token)


class AlertEmail(EmailMultiAlternatives):
    """An alert whose MIME form is built once (before the claim) and reused by the backend."""

    encoded_subject = None

    def message(self, *args, **kwargs):
        if getattr(self, "_built", None) is None:
            readable, self.subject = self.subject, self.encoded_subject or self.subject
            try:
                self._built = super().message(*args, **kwargs)
            finally:
                self.subject = readable
        return self._built


UNSUBSCRIBE_MARK = "__CRDLA_UNSUBSCRIBE_URL__"
PREFERENCES_MARK = "__CRDLA_PREFERENCES_URL__"


def alert_parts(call, round_number):
    """What every alert of one round shares, rendered once: subject and both bodies with
    placeholders for the subscriber's own links."""
    corrections = list(call.corrections.all())
    root = emails.root_url()
    context = {
        "call": call,
        "call_url": emails.absolute_url(call.url or "/", base=root),
        "correction": corrections[round_number - 1] if round_number else None,
        "unsubscribe_url": UNSUBSCRIBE_MARK,
        "preferences_url": PREFERENCES_MARK,
        "lots": list(call.lots.all()),
    }
    template = (
        _("Rectificatif — %(title)s (%(reference)s)")
        if round_number
        else _("Nouvelle consultation — %(title)s (%(reference)s)")
    )
    subject = emails.plain_subject(template % {"title": call.title, "reference": call.reference})
    text, html = emails.render_parts("network/emails/call_alert", context, subject)
    return {
        "root": root,
        "subject": subject,
        # RFC 2047-encoded once per round: encoding a non-ASCII subject is costly per e-mail.
        "encoded_subject": Header(subject, "utf-8").encode().replace("\n", ""),
        "text": text,
        "html": html,
    }


def build_alert(delivery, parts):
    """The alert e-mail of one delivery, with its one-click unsubscribe headers."""
    unsubscribe = unsubscribe_url(delivery.subscription, parts["root"])
    preferences = preferences_url(delivery.subscription, parts["root"])

    def personal(text):
        return text.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(PREFERENCES_MARK, preferences)

    message = emails.build_message(
        parts["subject"],
        personal(parts["text"]),
        [delivery.email],
        html=personal(parts["html"]),
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-CRDLA-Delivery": str(delivery.pk),
            "Message-ID": f"<alert-{delivery.call_id}-{delivery.round}-{delivery.pk}@crdla>",
        },
        message_class=AlertEmail,
    )
    message.encoded_subject = parts["encoded_subject"]
    return message


# One statement marks a delivery sent or claims the next one (the two used to share a
# statement; a delivery is now marked sent as soon as the server accepted it). It runs in an
# explicit transaction, not in autocommit: if the worker dies while the statement waits for
# a lock, PostgreSQL would still commit an autocommit statement on its own (claiming a row
# nobody will send); with an explicit transaction it waits for a COMMIT that never comes.
CLAIM_SQL = """
UPDATE network_alertdelivery SET
    status = CASE WHEN id = %(previous)s THEN %(sent)s ELSE %(sending)s END,
    sent_at = CASE WHEN id = %(previous)s THEN %(now)s ELSE sent_at END,
    claimed_at = CASE WHEN id = %(previous)s THEN claimed_at ELSE %(now)s END,
    attempts = CASE WHEN id = %(previous)s THEN attempts ELSE attempts + 1 END
WHERE (id = %(previous)s AND status = %(sending)s)
   OR (id = %(current)s AND status IN (%(pending)s, %(failed)s) AND attempts < %(max)s)
RETURNING id
"""


def _claim(delivery_id, previous_id):
    """Mark the previous delivery sent and claim this one; True when this one is ours.

    Raw SQL: this runs once per e-mail and the ORM's query building dominated its cost.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            CLAIM_SQL,
            {
                "previous": previous_id if previous_id is not None else -1,
                "current": delivery_id if delivery_id is not None else -1,
                "now": timezone.now(),
                "sent": DeliveryStatus.SENT,
                "sending": DeliveryStatus.SENDING,
                "pending": DeliveryStatus.PENDING,
                "failed": DeliveryStatus.FAILED,
                "max": MAX_ATTEMPTS,
            },
        )
        claimed = {row[0] for row in cursor.fetchall()}
    return delivery_id is not None and delivery_id in claimed


def send_deliveries(delivery_ids):
    """Send the given deliveries over one mail connection; returns (sent, failed) counts.

    A mail server that cannot be reached, or that drops the connection mid-batch, fails the
    rows not sent yet (with a French reason): the task retries them, and the delivery sweep
    picks up whatever its retries could not send.
    """
    deliveries = list(
        AlertDelivery.objects.filter(
            pk__in=delivery_ids,
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
            subscription__isnull=False,
        )
        .select_related("subscription")
        .order_by("pk")
    )
    if not deliveries:
        return 0, 0
    parts_by_round = {}
    sent = failed = 0
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:  # the mail server is down: nothing claimed, all retried later
        logger.warning("Alert batch: mail server unreachable: %s", exc)
        for delivery in deliveries:
            _record_failure(delivery, exc, claimed=False)
        return 0, len(deliveries)
    try:
        for delivery in deliveries:
            key = (delivery.call_id, delivery.round)
            if key not in parts_by_round:
                call = CallForTendersPage.objects.get(pk=delivery.call_id)
                parts_by_round[key] = alert_parts(call, delivery.round)
            message = build_alert(delivery, parts_by_round[key])
            # Build the MIME bytes before claiming: the claim-to-send window stays tiny.
            message.message()
            if not _claim(delivery.pk, None):
                continue
            try:
                connection.send_messages([message])
            except Exception as exc:  # the mail server refused: retry later
                logger.warning("Alert %s to %s failed: %s", delivery.pk, delivery.email, exc)
                server_down = _server_down(exc)
                # A server that died is nobody's address's fault: no attempt is counted, and
                # the rest of the batch waits for the retry instead of failing one by one.
                _record_failure(delivery, exc, claimed=True, count=not server_down)
                failed += 1
                if server_down:
                    for rest in deliveries[deliveries.index(delivery) + 1 :]:
                        _record_failure(rest, exc, claimed=False)
                        failed += 1
                    break
                continue
            # Sent as soon as the server accepted it: a crash now is no « interrompu ».
            _claim(None, delivery.pk)
            sent += 1
    finally:
        try:
            connection.close()
        except Exception:  # a server that died mid-batch cannot be quit politely
            pass
    return sent, failed


def _server_down(exc):
    import smtplib

    if isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def _record_failure(delivery, exc, claimed, count=False):
    """Fail one row (claimed: it was « sending »); ``count``: the server refused this very
    message, which counts towards MAX_ATTEMPTS; an unreachable server does not."""
    attempts = delivery.attempts + 1 if count else delivery.attempts
    status = DeliveryStatus.FAILED if attempts < MAX_ATTEMPTS else DeliveryStatus.ABANDONED
    AlertDelivery.objects.filter(
        pk=delivery.pk,
        status=DeliveryStatus.SENDING if claimed else delivery.status,
    ).update(
        status=status,
        last_error=mail_error_reason(exc),
        claimed_at=timezone.now(),
        attempts=attempts,
    )


def mail_error_reason(exc):
    """What the admin shows: a French sentence, with the server's code when there is one."""
    import smtplib
    import socket

    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _msg in exc.recipients.values()})
        code = codes[0] if codes else None
        if code and 400 <= code < 500:
            reason = _("Destinataire refusé temporairement par le serveur de courriel")
        else:
            reason = _("Destinataire refusé par le serveur de courriel")
        return f"{reason} ({code})." if code else f"{reason}."
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return _("Le serveur de courriel a coupé la connexion pendant l'envoi.")
    if isinstance(exc, smtplib.SMTPResponseException):
        return _("Le serveur de courriel a refusé le message (code %(code)s).") % {
            "code": exc.smtp_code
        }
    if isinstance(exc, smtplib.SMTPException):
        return _("Le serveur de courriel a refusé l'envoi.")
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return _("Le serveur de courriel n'a pas répondu à temps.")
    if isinstance(exc, OSError):
        return _("Le serveur de courriel était injoignable.")
    return _("Erreur inattendue pendant l'envoi (%(kind)s).") % {"kind": type(exc).__name__}


def resend(delivery_ids):
    """The admin's « Renvoyer »: failed, abandoned or interrupted rows are sent again (an
    interrupted one may have been received: a person decides). Returns how many."""
    from crdla.outbox.service import enqueue

    from .tasks import send_alert_batch

    ids = list(
        AlertDelivery.objects.filter(
            pk__in=delivery_ids,
            status__in=[DeliveryStatus.FAILED, DeliveryStatus.ABANDONED, DeliveryStatus.UNKNOWN],
            subscription__isnull=False,
        ).values_list("pk", flat=True)
    )
    if ids:
        with transaction.atomic():
            AlertDelivery.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.PENDING, attempts=0, last_error=""
            )
            enqueue(send_alert_batch, ids, description=_("Renvoi de %s alerte(s)") % len(ids))
    return len(ids)


def mark_interrupted():
    """Report rows left "sending" by a crash (never resent automatically)."""
    return AlertDelivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=timezone.now() - STALE_CLAIM
    ).update(status=DeliveryStatus.UNKNOWN)


def should_notify(call, publisher=None):
    """An open, live call, issued under a DLA its publisher may publish for."""
    from crdla.access.calls import alert_may_go_out

    if not (call.live and call.status == CallStatus.OPEN and call.deadline > timezone.now()):
        return False
    if not alert_may_go_out(call, publisher):
        logger.warning("Call %s: no alert under DLA %s (not the publisher's)", call.pk, call.dla_id)
        return False
    return True
