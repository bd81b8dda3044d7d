"""Admin for galleries and their ordered items."""

from django.contrib import admin

from atelier.core.admin import EachWriteLogged
from atelier.gallery.models import Gallery, GalleryItem


class GalleryItemInline(admin.TabularInline):
    model = GalleryItem
    extra = 0
    raw_id_fields = ["post"]
    ordering = ["position"]


@admin.register(Gallery)
class GalleryAdmin(EachWriteLogged, admin.ModelAdmin):
    list_display = ["id", "title", "creator", "status", "is_deleted", "created_at", "updated_at"]
    list_filter = ["status", "is_deleted"]
    search_fields = ["title", "creator__username"]
    raw_id_fields = ["creator"]
    list_select_related = ["creator"]
    date_hierarchy = "created_at"
    inlines = [GalleryItemInline]
