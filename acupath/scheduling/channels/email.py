"""E-mail through Django's configured backend (ACUPATH_EMAIL_BACKEND)."""

from django.conf import settings
from django.core.mail import EmailMessage

from acupath.scheduling.channels.base import Message


class EmailChannel:
    def send(self, message: Message) -> None:
        email = EmailMessage(
            subject=message.subject, body=message.text, from_email=settings.DEFAULT_FROM_EMAIL, to=[message.to]
        )
        for attachment in message.attachments:
            email.attach(attachment.filename, attachment.content, attachment.mimetype)
        email.send(fail_silently=False)
