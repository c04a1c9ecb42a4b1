"""conversations.invite refusals: which users Slack refused for good, and why.

Slack refuses a whole conversations.invite when one of its users cannot be invited; the
answer lists each user's error in `errors` (https://api.slack.com/methods/conversations.invite,
"Partially failed calls"). Those below cannot change by trying again.
"""

from __future__ import annotations

from slack_sdk.errors import SlackApiError


def _code(exc: SlackApiError) -> str:
    return str(exc.response.get("error"))


# conversations.invite per-user errors that no retry can change (Slack's method docs).
FOR_GOOD = {"cant_invite", "user_not_found", "user_is_restricted", "ura_max_channels",
            "cant_invite_self", "user_is_ultra_restricted", "not_allowed_to_invite"}


def refused_for_good(exc: SlackApiError) -> dict[str, str]:
    """User id → error code for the users Slack refused for good in a conversations.invite
    (empty when the error is of another kind, e.g. a rate limit or `already_in_channel`)."""
    errors = exc.response.get("errors") or []
    found = {str(e.get("user")): str(e.get("error")) for e in errors if isinstance(e, dict)}
    if not found and _code(exc) in FOR_GOOD and exc.response.get("user"):
        found = {str(exc.response.get("user")): _code(exc)}
    return {user: code for user, code in found.items() if code in FOR_GOOD}
