"""Admin for uploaded media (read-mostly: files are written only through the API)."""

from django.contrib import admin

from atelier.core.admin import EachWriteLogged
from atelier.media.models import Media


@admin.register(Media)
class MediaAdmin(EachWriteLogged, admin.ModelAdmin):
    list_display = ["id", "kind", "owner", "post", "position", "content_type", "size", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["owner", "post"]
    raw_id_fields = ["owner", "post"]
    readonly_fields = ["file", "thumbnail", "content_type", "size", "width", "height"]
