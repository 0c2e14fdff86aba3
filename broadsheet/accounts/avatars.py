"""Avatar files and URLs. (Uploads land here with the accounts pages.)"""

from django.conf import settings

from .identicons import identicon_data_uri
from .models import User

SIZES = (48, 128)


def avatar_url(user: User, size: int = 48) -> str:
    size = min(SIZES, key=lambda s: abs(s - size))
    if user.avatar_key:
        return f"{settings.MEDIA_URL}{user.avatar_key}-{size}.webp"
    return identicon_data_uri(f"user:{user.pk}")
