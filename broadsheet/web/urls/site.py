from django.urls import path

from broadsheet.web.views import articles, discussion, feeds, health

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
    path("comments/<int:comment_id>/", discussion.permalink, name="comment"),
    path("comments/<int:comment_id>/reply/", discussion.reply_form, name="comment-reply"),
]
