from django.urls import path

from broadsheet.web.views import (
    articles,
    comment_actions,
    discussion,
    feeds,
    health,
    imports,
    live,
    notifications,
    thread_json,
)

app_name = "web"

urlpatterns = [
    path("", articles.front, name="front"),
    path("articles/<slug:slug>/", articles.article, name="article"),
    path("tags/<slug:slug>/", articles.tag, name="tag"),
    path("authors/<int:author_id>/", articles.author, name="author"),
    path("feeds/rss/", feeds.LatestRssFeed(), name="feed-rss"),
    path("feeds/atom/", feeds.LatestAtomFeed(), name="feed-atom"),
    path("tags/<slug:slug>/rss/", feeds.TagRssFeed(), name="tag-feed-rss"),
    path("tags/<slug:slug>/atom/", feeds.TagAtomFeed(), name="tag-feed-atom"),
    path("sitemap.xml", feeds.sitemap, name="sitemap"),
    path("healthz", health.healthz, name="healthz"),
    path("threads/<int:thread_id>/comments/", discussion.comment_post, name="comment-post"),
    path("threads/<int:thread_id>/comment/", discussion.thread_comment_form, name="thread-comment"),
    path("csrf/", discussion.csrf_token, name="csrf"),
    path("comments/<int:comment_id>/", discussion.permalink, name="comment"),
    path("comments/<int:comment_id>/reply/", discussion.reply_form, name="comment-reply"),
    path("threads/<int:thread_id>/comments.json", thread_json.thread_json, name="thread-json"),
    path("threads/<int:thread_id>/events/", live.thread_events, name="thread-events"),
    path("comments/<int:comment_id>/fragment/", live.comment_fragment, name="comment-fragment"),
    path("comments/<int:comment_id>/vote/", comment_actions.vote, name="comment-vote"),
    path("comments/<int:comment_id>/edit/", comment_actions.edit, name="comment-edit"),
    path("comments/<int:comment_id>/delete/", comment_actions.delete, name="comment-delete"),
    path("notifications/", notifications.preferences, name="notification-preferences"),
    path("notifications/confirm/<str:token>/", notifications.confirm, name="notification-confirm"),
    path(
        "notifications/unsubscribe/<str:token>/",
        notifications.unsubscribe,
        name="notification-unsubscribe",
    ),
    path("imports/", imports.upload, name="imports"),
    path("imports/<int:job_id>/", imports.detail, name="import"),
    path("imports/<int:job_id>/status.json", imports.status, name="import-status"),
]
