from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from acupath.accounts.services import token_issue

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


@router.post("/token", response=TokenOut, auth=None)
def issue_token(request: HttpRequest, payload: TokenIn) -> dict[str, str]:
    key = token_issue(username=payload.username, password=payload.password)
    if key is None:
        raise HttpError(401, "Username or password is not right.")
    return {"token": key}
