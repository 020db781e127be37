import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from acupath.accounts.http import AuthedRequest
from acupath.accounts.models import ApiToken
from acupath.accounts.services import token_issue, token_revoke
from acupath.core.errors import NotFound

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=200)
    name: str = Field("API token", min_length=1, max_length=80, description="What the token is for, to tell it apart.")


class TokenOut(Schema):
    token: str


class ApiTokenOut(Schema):
    """A token as its owner sees it in the list: never the key itself."""

    id: int
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None


@router.post("/token", response=TokenOut, auth=None)
def issue_token(request: HttpRequest, payload: TokenIn) -> dict[str, str]:
    key = token_issue(request=request, username=payload.username, password=payload.password, name=payload.name)
    if key is None:
        raise HttpError(401, "Username or password is not right.")
    return {"token": key}


@router.get("/tokens", response=list[ApiTokenOut])
def list_tokens(request: AuthedRequest) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id"))


@router.delete("/tokens/{token_id}", response={204: None})
def revoke_token(request: AuthedRequest, token_id: int) -> tuple[int, None]:
    if not token_revoke(user=request.user, token_id=token_id):
        raise NotFound("token")
    return 204, None
