"""The API's request rates: anonymous clients per address (DRF's AnonRateThrottle), signed-in
users per user (``SignedInRateThrottle``)."""

from rest_framework.throttling import UserRateThrottle


class SignedInRateThrottle(UserRateThrottle):
    """The signed-in users' rate. An anonymous client is counted by ``AnonRateThrottle`` alone:
    DRF's user throttle would count it a second time, by address, against a laxer rate, at the
    cost of two more cache round trips on every anonymous request."""

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)
