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


class TokenScope(models.TextChoices):
    READ = "read", "Read"
    WRITE = "write", "Read and write"


class ApiToken(models.Model):
    """A member's key for server-to-server API calls; only a hash of the secret is kept.

    `prefix` is a short random label, shown on the token list and used to find
    the row; the secret itself is shown once, when the token is made.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    # SHA-256 (hex) of the whole token: 32 random bytes need no slow hash or salt.
    secret_hash = models.CharField(max_length=64, editable=False)
    scope = models.CharField(max_length=5, choices=TokenScope, default=TokenScope.READ)
    created_at = models.DateTimeField(default=now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API token"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=TokenScope.values),
                name="accounts_apitoken_scope_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
