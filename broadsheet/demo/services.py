"""Builds the demo site through the application's own write paths.

Users come from the accounts manager, articles from `article_save`, comments
from the bulk loader, so the demo exercises the same rendering, sanitizing and
counting as real content. The build is a list of steps (the command draws its
progress bar from them) run in one transaction: a failed build leaves nothing
behind, so `demo --if-empty` tries again next time instead of finding half a
site. Running it again adds only what is missing.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.text import slugify

from broadsheet.accounts.models import User
from broadsheet.articles.models import Article, ArticleStatus
from broadsheet.articles.services import article_save
from broadsheet.core.clock import now
from broadsheet.discussion.bulk import load_comments
from broadsheet.sites.models import SiteDomain
from broadsheet.sites.services import site_create

from .discussions import Commenter, discussion_records
from .people import ADMIN, AUTHORS, DEMO_PASSWORD, MODERATOR, StaffMember, crowd_names
from .portraits import portrait_png
from .stories import HUGE_STORY, STORIES, Story

DEFAULT_SEED = 1854
READERS = 190
GUESTS = 110
# One reader in this many gets a drawn portrait; the rest keep their identicon.
READER_PORTRAIT_EVERY = 9
AUTHOR_PERMISSIONS = ("add_article", "change_article", "view_article", "add_tag", "view_tag")


@dataclass(frozen=True)
class Step:
    label: str
    size: int  # rough amount of work, for a progress bar
    run: Callable[[], None]


@dataclass(frozen=True)
class DemoReport:
    articles: int
    comments: int
    users: int
    avatars: int
    # Why no avatar could be set, if none could ("" when they were).
    avatar_problem: str


def demo_site_is_empty() -> bool:
    """`make run` builds the demo only on a site without articles."""
    return not Article.objects.exists()


def _avatar_setter() -> tuple[Callable[..., object] | None, str]:
    """The accounts app's avatar upload service, if this checkout has it yet."""
    try:
        from broadsheet.accounts.services import user_set_avatar
    except ImportError:
        return None, "broadsheet.accounts.services.user_set_avatar is missing; identicons kept"
    return user_set_avatar, ""


class DemoBuild:
    """The demo newsroom for one seed: its steps, and what they made."""

    def __init__(self, *, seed: int = DEFAULT_SEED, huge: bool = False) -> None:
        self.seed = seed
        self.huge = huge
        self.now = now()
        self.authors: list[User] = []
        self.people: list[Commenter] = []
        self.articles: dict[str, Article] = {}
        self.comments_created = 0
        self.users_created = 0
        self.avatars_set = 0
        self.set_avatar, self.avatar_problem = _avatar_setter()

    @property
    def stories(self) -> tuple[Story, ...]:
        return (*STORIES, HUGE_STORY) if self.huge else STORIES

    def steps(self) -> list[Step]:
        steps = [
            Step("Newsroom: admin, moderator, authors", 5, self.staff),
            Step(f"Readers: {READERS} members, {GUESTS} guests", READERS, self.readers),
        ]
        for story in self.stories:
            steps.append(Step(f"Article: {story.slug}", 1, partial(self.article, story)))
        steps.append(Step("Embedding example site", 1, self.embedding_site))
        for story in self.stories:
            if story.comments and story.topic:
                label = f"{story.comments:,} comments: {story.slug}"
                steps.append(Step(label, story.comments, partial(self.discussion, story)))
        return steps

    def report(self) -> DemoReport:
        return DemoReport(
            articles=len(self.articles),
            comments=self.comments_created,
            users=self.users_created,
            avatars=self.avatars_set,
            avatar_problem=self.avatar_problem,
        )

    # Steps

    def staff(self) -> None:
        self._user(ADMIN, superuser=True)
        moderator, created = self._user(MODERATOR)
        if created:
            moderate = Permission.objects.get(
                codename="moderate_comment", content_type__app_label="discussion"
            )
            moderator.user_permissions.add(moderate)
        for member in AUTHORS:
            author, created = self._user(member)
            if created:
                author.user_permissions.add(
                    *Permission.objects.filter(
                        codename__in=AUTHOR_PERMISSIONS, content_type__app_label="articles"
                    )
                )
                self._portrait(author)
            self.authors.append(author)

    def readers(self) -> None:
        member_names, guest_names = crowd_names(readers=READERS, guests=GUESTS, seed=self.seed)
        emails = [f"reader{n:03d}@example.com" for n in range(1, READERS + 1)]
        existing = {u.email: u for u in User.objects.filter(email__in=emails)}
        rng = random.Random(f"{self.seed}:joined")
        for n, (email, name) in enumerate(zip(emails, member_names, strict=True)):
            user = existing.get(email)
            if user is None:
                joined = self.now - timedelta(days=rng.uniform(2, 1500))
                user = User.objects.create_user(
                    email,
                    None,  # an unusable password: demo readers don't sign in
                    display_name=name,
                    date_joined=joined,
                    email_verified_at=joined + timedelta(minutes=rng.uniform(1, 300)),
                )
                self.users_created += 1
                if n % READER_PORTRAIT_EVERY == 0:
                    self._portrait(user)
            self.people.append(Commenter(name=user.display_name, user=user))
        self.people += [Commenter(name=name) for name in guest_names]

    def article(self, story: Story) -> None:
        article = Article.objects.filter(slug=story.slug).first()
        if article is None:
            article = article_save(
                title=story.title,
                body=story.body,
                author=self.authors[story.author],
                slug=story.slug,
                dek=story.dek,
                status=ArticleStatus.DRAFT if story.draft else ArticleStatus.PUBLISHED,
                published_at=self.now - timedelta(hours=story.hours_ago),
                tags=story.tags,
            )
        self.articles[story.slug] = article

    def discussion(self, story: Story) -> None:
        assert story.topic is not None
        article = self.articles[story.slug]
        start = article.published_at
        end = min(self.now - timedelta(minutes=1), start + timedelta(hours=36))
        records = discussion_records(
            topic=story.topic,
            count=story.comments,
            people=self.people,
            start=start,
            end=end,
            seed=f"{self.seed}:{story.slug}",
        )
        self.comments_created += load_comments(thread=article.thread, records=records).created

    # Parts

    def _user(self, member: StaffMember, *, superuser: bool = False) -> tuple[User, bool]:
        user = User.objects.filter(email=member.email).first()
        if user is not None:
            return user, False
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(
            member.email,
            DEMO_PASSWORD,
            display_name=member.display_name,
            bio=member.bio,
            is_staff=True,
            email_verified_at=self.now,
        )
        self.users_created += 1
        return user, True

    def embedding_site(self) -> None:
        """The site's other local name (localhost for 127.0.0.1) may embed the discussion,
        so /embed/example/ opened there shows the embed across a real site boundary."""
        host = example_embedding_host(settings.BROADSHEET_SITE_URL)
        if host and not SiteDomain.objects.filter(host=host).exists():
            site_create(name="Embedding example", hosts=[host])

    def _portrait(self, user: User) -> None:
        if self.set_avatar is None:
            return
        upload = SimpleUploadedFile(
            f"{slugify(user.display_name) or 'avatar'}.png",
            portrait_png(user.email),
            content_type="image/png",
        )
        self.set_avatar(user=user, upload=upload)
        self.avatars_set += 1


def example_embedding_host(site_url: str) -> str | None:
    """127.0.0.1:8000 -> localhost:8000 and back: to a browser, another site on this machine."""
    parts = urlsplit(site_url)
    other = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}.get(parts.hostname or "")
    return f"{other}:{parts.port}" if other and parts.port else other


def demo_build(*, build: DemoBuild, on_step: Callable[[Step], None] | None = None) -> DemoReport:
    """Runs every step of the build in one transaction; `on_step` hears of each as it ends."""
    with transaction.atomic():
        for step in build.steps():
            step.run()
            if on_step is not None:
                on_step(step)
    return build.report()
