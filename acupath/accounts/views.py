from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from acupath.accounts.http import AuthedRequest
from acupath.accounts.lockout import account_unlock, locked_accounts
from acupath.accounts.permissions import Capability, can


@login_required
def locked_list(request: AuthedRequest) -> HttpResponse:
    if not can(request.user, Capability.UNLOCK_ACCOUNTS):
        raise PermissionDenied
    return render(request, "accounts/locked_list.html", {"locked": locked_accounts(), "nav": "locked"})


@login_required
@require_POST
def unlock(request: AuthedRequest, attempt_id: int) -> HttpResponse:
    if not can(request.user, Capability.UNLOCK_ACCOUNTS):
        raise PermissionDenied
    if account_unlock(actor=request.user, attempt_id=attempt_id):
        messages.success(request, "Unlocked: that account and address may sign in again now.")
    else:
        messages.warning(request, "That lockout had already ended.")
    return redirect("accounts:locked")
