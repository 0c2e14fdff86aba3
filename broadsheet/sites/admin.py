from django.contrib import admin

from .models import Site, SiteDomain


class SiteDomainInline(admin.TabularInline):
    model = SiteDomain
    extra = 1


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "hosts", "trailing_slash", "active"]
    list_filter = ["active"]
    inlines = [SiteDomainInline]

    @admin.display(description="Domains")
    def hosts(self, site: Site) -> str:
        return ", ".join(d.host for d in site.domains.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("domains")
