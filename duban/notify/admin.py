from django.contrib import admin, messages
from django.db import transaction

from . import channels, delivery
from .models import ChannelPreference, Delivery, Notification, UnitWebhook


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Where admins see failed deliveries and send them again."""

    list_display = ["id", "notification", "recipient", "channel", "target", "state", "attempts", "next_attempt_at",
                    "sent_at", "error"]
    list_filter = ["state", "channel"]
    list_select_related = ["notification__recipient"]
    search_fields = ["target", "notification__title", "notification__recipient__username",
                     "notification__recipient__full_name"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="接收人")
    def recipient(self, obj):
        return obj.notification.recipient

    @admin.display(description="最近错误")
    def error(self, obj):
        return obj.last_error[:80]

    def has_retry_permission(self, request):
        # The rows are read-only in the admin; sending again needs the model's change permission.
        return request.user.has_perm("notify.change_delivery")

    @admin.action(description="立即重试所选投递", permissions=["retry"])
    def retry_now(self, request, queryset):
        ids = delivery.retry_now(queryset)
        if ids:
            from .tasks import deliver_now

            transaction.on_commit(lambda: deliver_now(ids), robust=True)
        self.message_user(request, f"已安排 {len(ids)} 条立即重试（已发送的不会重发），稍后刷新查看结果。")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "item", "created_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient", "item"]
    search_fields = ["title", "recipient__username", "recipient__full_name"]
    raw_id_fields = ["recipient", "item"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False


@admin.register(UnitWebhook)
class UnitWebhookAdmin(admin.ModelAdmin):
    list_display = ["unit", "kind", "enabled", "signed"]
    list_filter = ["kind", "enabled"]
    list_select_related = ["unit"]
    actions = ["send_test"]

    @admin.display(description="加签", boolean=True)
    def signed(self, obj):
        return bool(obj.secret)

    @admin.action(description="向所选机器人发送测试消息")
    def send_test(self, request, queryset):
        for hook in queryset.select_related("unit"):
            try:
                channels.send_webhook(hook, "督办系统测试消息", f"这是发给{hook.unit}的测试消息，收到即表示配置正确。")
            except channels.ChannelError as err:
                self.message_user(request, f"{hook}：发送失败，{err}", messages.ERROR)
            else:
                self.message_user(request, f"{hook}：发送成功")


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "sms", "webhook", "daily_digest", "digest_sent_on"]
    list_filter = ["email", "sms", "webhook", "daily_digest"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
