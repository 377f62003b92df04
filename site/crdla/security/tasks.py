"""The password-reset e-mail, sent by a worker through the outbox like every other e-mail."""

from celery import shared_task

SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"
BODY_TEMPLATE = "registration/password_reset_email"  # .txt and .html


@shared_task(acks_late=True, ignore_result=True)
def send_password_reset(user_id, event):
    """Render and send the reset link of one account, once per request (``event``).

    The link is built here, at send time, so that it never sits in the outbox's table; a
    token made a few seconds after the request is as valid as one made during it.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.tokens import default_token_generator
    from django.template.loader import render_to_string
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from crdla.core import emails
    from crdla.outbox.mail import send_once

    User = get_user_model()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    address = getattr(user, User.get_email_field_name(), "") if user else ""
    if not address or not user.has_usable_password():
        return 0
    context = {
        "user": user,
        "email": address,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "root_url": emails.root_url(),
    }
    subject = render_to_string(SUBJECT_TEMPLATE, context)
    text, html = emails.render_parts(BODY_TEMPLATE, context, subject)
    return send_once(event, emails.build_message(subject, text, [address], html=html))
