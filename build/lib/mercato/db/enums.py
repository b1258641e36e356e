"""PostgreSQL enum types of Medusa 1.20's schema."""

import enum


class CartTypeEnum(str, enum.Enum):
    DEFAULT = "default"
    SWAP = "swap"
    DRAFT_ORDER = "draft_order"
    PAYMENT_LINK = "payment_link"
    CLAIM = "claim"


class ClaimItemReasonEnum(str, enum.Enum):
    MISSING_ITEM = "missing_item"
    WRONG_ITEM = "wrong_item"
    PRODUCTION_FAILURE = "production_failure"
    OTHER = "other"


class ClaimOrderFulfillmentStatusEnum(str, enum.Enum):
    NOT_FULFILLED = "not_fulfilled"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    PARTIALLY_RETURNED = "partially_returned"
    RETURNED = "returned"
    CANCELED = "canceled"
    REQUIRES_ACTION = "requires_action"


class ClaimOrderPaymentStatusEnum(str, enum.Enum):
    NA = "na"
    NOT_REFUNDED = "not_refunded"
    REFUNDED = "refunded"


class ClaimOrderTypeEnum(str, enum.Enum):
    REFUND = "refund"
    REPLACE = "replace"


class DiscountConditionOperatorEnum(str, enum.Enum):
    IN = "in"
    NOT_IN = "not_in"


class DiscountConditionTypeEnum(str, enum.Enum):
    PRODUCTS = "products"
    PRODUCT_TYPES = "product_types"
    PRODUCT_COLLECTIONS = "product_collections"
    PRODUCT_TAGS = "product_tags"
    CUSTOMER_GROUPS = "customer_groups"


class DiscountRuleAllocationEnum(str, enum.Enum):
    TOTAL = "total"
    ITEM = "item"


class DiscountRuleTypeEnum(str, enum.Enum):
    FIXED = "fixed"
    PERCENTAGE = "percentage"
    FREE_SHIPPING = "free_shipping"


class DraftOrderStatusEnum(str, enum.Enum):
    OPEN = "open"
    COMPLETED = "completed"


class InviteRoleEnum(str, enum.Enum):
    ADMIN = "admin"
    MEMBER = "member"
    DEVELOPER = "developer"


class OrderFulfillmentStatusEnum(str, enum.Enum):
    NOT_FULFILLED = "not_fulfilled"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    PARTIALLY_RETURNED = "partially_returned"
    RETURNED = "returned"
    CANCELED = "canceled"
    REQUIRES_ACTION = "requires_action"


class OrderItemChangeTypeEnum(str, enum.Enum):
    ITEM_ADD = "item_add"
    ITEM_REMOVE = "item_remove"
    ITEM_UPDATE = "item_update"


class OrderPaymentStatusEnum(str, enum.Enum):
    NOT_PAID = "not_paid"
    AWAITING = "awaiting"
    CAPTURED = "captured"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    CANCELED = "canceled"
    REQUIRES_ACTION = "requires_action"


class OrderStatusEnum(str, enum.Enum):
    PENDING = "pending"
    COMPLETED = "completed"
    ARCHIVED = "archived"
    CANCELED = "canceled"
    REQUIRES_ACTION = "requires_action"


class PaymentCollectionStatusEnum(str, enum.Enum):
    NOT_PAID = "not_paid"
    AWAITING = "awaiting"
    AUTHORIZED = "authorized"
    PARTIALLY_AUTHORIZED = "partially_authorized"
    CANCELED = "canceled"


class PaymentCollectionTypeEnum(str, enum.Enum):
    ORDER_EDIT = "order_edit"


class PaymentSessionStatusEnum(str, enum.Enum):
    AUTHORIZED = "authorized"
    PENDING = "pending"
    REQUIRES_MORE = "requires_more"
    ERROR = "error"
    CANCELED = "canceled"


class PriceListStatusEnum(str, enum.Enum):
    ACTIVE = "active"
    DRAFT = "draft"


class PriceListTypeEnum(str, enum.Enum):
    SALE = "sale"
    OVERRIDE = "override"


class ProductStatusEnum(str, enum.Enum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    PUBLISHED = "published"
    REJECTED = "rejected"


class RefundReasonEnum(str, enum.Enum):
    DISCOUNT = "discount"
    RETURN = "return"
    SWAP = "swap"
    CLAIM = "claim"
    OTHER = "other"


class ReturnStatusEnum(str, enum.Enum):
    REQUESTED = "requested"
    RECEIVED = "received"
    REQUIRES_ACTION = "requires_action"
    CANCELED = "canceled"


class ShippingOptionPriceTypeEnum(str, enum.Enum):
    FLAT_RATE = "flat_rate"
    CALCULATED = "calculated"


class ShippingOptionRequirementTypeEnum(str, enum.Enum):
    MIN_SUBTOTAL = "min_subtotal"
    MAX_SUBTOTAL = "max_subtotal"


class ShippingProfileTypeEnum(str, enum.Enum):
    DEFAULT = "default"
    GIFT_CARD = "gift_card"
    CUSTOM = "custom"


class SwapFulfillmentStatusEnum(str, enum.Enum):
    NOT_FULFILLED = "not_fulfilled"
    FULFILLED = "fulfilled"
    SHIPPED = "shipped"
    PARTIALLY_SHIPPED = "partially_shipped"
    CANCELED = "canceled"
    REQUIRES_ACTION = "requires_action"


class SwapPaymentStatusEnum(str, enum.Enum):
    NOT_PAID = "not_paid"
    AWAITING = "awaiting"
    CAPTURED = "captured"
    CONFIRMED = "confirmed"
    CANCELED = "canceled"
    DIFFERENCE_REFUNDED = "difference_refunded"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    REQUIRES_ACTION = "requires_action"


class UserRoleEnum(str, enum.Enum):
    ADMIN = "admin"
    MEMBER = "member"
    DEVELOPER = "developer"


def enum_values(kind: type[enum.Enum]) -> list[str]:
    """The database labels of an enum, in declaration order."""
    return [str(member.value) for member in kind]
