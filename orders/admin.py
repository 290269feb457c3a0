from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from orders.models import ORDER_TRANSITIONS, Order, OrderLine, OrderStatus
from orders.services import order_set_status


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = ["product_name", "sku", "size", "colour", "unit_price", "quantity", "line_total", "variant"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class OrderAdminForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = ["status"]

    def clean_status(self):
        status = self.cleaned_data["status"]
        current = self.instance.status if self.instance.pk else None
        if current and status != current and status not in ORDER_TRANSITIONS[current]:
            allowed = ", ".join(OrderStatus(s).label.lower() for s in ORDER_TRANSITIONS[current]) or "nothing"
            raise ValidationError(f"A {OrderStatus(current).label.lower()} order can only become: {allowed}.")
        return status


def _bulk_status(modeladmin, request, queryset, status: str) -> None:
    done, refused = 0, []
    for order in queryset:
        try:
            order_set_status(order=order, status=status)
        except ValidationError as error:
            refused.append(f"{order.number}: {' '.join(error.messages)}")
        else:
            done += 1
    if done:
        modeladmin.message_user(request, f"{done} order(s) marked {OrderStatus(status).label.lower()}.")
    for message in refused:
        modeladmin.message_user(request, message, level=messages.ERROR)


@admin.action(description="Mark selected orders as paid")
def mark_paid(modeladmin, request, queryset):
    _bulk_status(modeladmin, request, queryset, OrderStatus.PAID)


@admin.action(description="Mark selected orders as shipped")
def mark_shipped(modeladmin, request, queryset):
    _bulk_status(modeladmin, request, queryset, OrderStatus.SHIPPED)


@admin.action(description="Cancel selected orders (returns their stock)")
def cancel(modeladmin, request, queryset):
    _bulk_status(modeladmin, request, queryset, OrderStatus.CANCELLED)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    form = OrderAdminForm
    list_display = ["number", "created_at", "email", "status", "total_with_currency", "item_count"]
    list_filter = ["status", "created_at", "currency", "payment_provider", "country"]
    search_fields = ["number", "email", "full_name", "lines__sku", "lines__product_name"]
    date_hierarchy = "created_at"
    actions = [mark_paid, mark_shipped, cancel]
    inlines = [OrderLineInline]
    readonly_fields = [
        "number",
        "user",
        "created_at",
        "email",
        "phone",
        "full_name",
        "address_line1",
        "address_line2",
        "postcode",
        "city",
        "country",
        "currency",
        "total",
        "payment_provider",
        "payment_reference",
        "payment_instructions",
        "confirmation_sent_at",
        "paid_at",
        "shipped_at",
        "cancelled_at",
    ]
    fieldsets = [
        (None, {"fields": ["number", "user", "created_at", "status", "total", "currency"]}),
        (
            "Contact and shipping",
            {
                "fields": [
                    "email",
                    "phone",
                    "full_name",
                    "address_line1",
                    "address_line2",
                    "postcode",
                    "city",
                    "country",
                ]
            },
        ),
        (
            "Payment and history",
            {
                "fields": [
                    "payment_provider",
                    "payment_reference",
                    "payment_instructions",
                    "confirmation_sent_at",
                    "paid_at",
                    "shipped_at",
                    "cancelled_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("lines")

    @admin.display(description="Total", ordering="total")
    def total_with_currency(self, obj: Order) -> str:
        return f"{obj.total} {obj.currency}"

    @admin.display(description="Items")
    def item_count(self, obj: Order) -> int:
        return obj.item_count

    def has_add_permission(self, request) -> bool:
        return False  # orders come from checkouts

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # cancel instead: that returns the stock

    def save_model(self, request, obj, form, change):
        # The status goes through the service (timestamps, stock back on cancellation).
        if change and "status" in form.changed_data:
            order_set_status(order=obj, status=form.cleaned_data["status"])
