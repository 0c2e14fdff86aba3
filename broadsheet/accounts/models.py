from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower

from broadsheet.core.clock import now

from .names import name_key


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def with_email(self, email: str) -> "models.QuerySet[User]":
        """Users whose address equals `email` ignoring case, through the Lower(email) index."""
        return self.alias(email_lower=Lower("email")).filter(email_lower=email.lower())

    def get_by_natural_key(self, username: str | None) -> "User":
        # "Ada@Example.com" signs in as "ada@example.com".
        return self.with_email(username or "").get()

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        fields.setdefault("display_name", email.split("@")[0])
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.name_key = name_key(user.display_name)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("email_verified_at", now())
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A registered person: reader, commenter, author, moderator or editor."""

    email = models.EmailField("e-mail address", max_length=254, unique=True)
    display_name = models.CharField(max_length=50)
    # The display name folded for comparison (see names.name_key). Longer than the
    # name itself: NFKD spells out ligatures and Hangul syllables into several characters.
    name_key = models.CharField(max_length=255, db_index=True, editable=False)
    bio = models.TextField(blank=True, max_length=2000)
    # Key of the stored avatar files ("avatars/<id>/<token>"); empty: identicon.
    avatar_key = models.CharField(max_length=100, blank=True, editable=False)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None
