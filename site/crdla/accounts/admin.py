from django.contrib import admin

from .models import UserProfile


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "institution", "centre", "network", "dla"]
    list_filter = ["institution"]
    search_fields = ["user__username", "user__email", "organisation"]
