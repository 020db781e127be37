"""Text messages and WhatsApp through Twilio's REST API (Messages resource), with the standard library.

One POST per message to https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json with HTTP
basic auth. WhatsApp goes through the same resource with `whatsapp:` before both numbers. Credentials
come from the environment (README: ACUPATH_TWILIO_*). Tests never call it; they use `memory.py`.
"""

import base64
import json
import urllib.error
import urllib.request
from urllib.parse import urlencode

from acupath.scheduling import conf
from acupath.scheduling.channels.base import Message

API = "https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json"


class TwilioError(RuntimeError):
    pass


class TwilioChannel:
    def __init__(self, *, whatsapp: bool = False) -> None:
        self.whatsapp = whatsapp

    def _address(self, number: str) -> str:
        plain = number.replace(" ", "").replace("-", "")
        return f"whatsapp:{plain}" if self.whatsapp else plain

    def send(self, message: Message) -> None:
        account = conf.twilio_account()
        sender = account.whatsapp_from if self.whatsapp else account.sms_from
        if not (account.sid and account.token and sender):
            raise TwilioError("Twilio is chosen but its account, token or sending number is not set.")
        body = urlencode({"From": self._address(sender), "To": self._address(message.to), "Body": message.text})
        secret = base64.b64encode(f"{account.sid}:{account.token}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 (a fixed https URL)
            API.format(sid=account.sid),
            data=body.encode(),
            headers={"Authorization": f"Basic {secret}", "Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 (a fixed https URL)
                json.load(response)
        except urllib.error.HTTPError as exc:  # Twilio explains a refusal in the JSON body
            raise TwilioError(f"Twilio refused the message ({exc.code}): {exc.read()[:200]!r}") from exc
