"""Discounts: the sixteen Admin routes of Medusa's api/routes/admin/discounts (discounts,
regions, dynamic codes, conditions and their batch resources)."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Body, Depends, Request, Response
from pydantic import BaseModel, ValidationError

from mercato.core.cache import cacheable
from mercato.core.errors import invalid_data, validation_message
from mercato.core.http import Tx, ok
from mercato.core.query import params, parse_params
from mercato.core.routing import admin_router
from mercato.core.validation import body_or_empty
from mercato.modules.discounts import service
from mercato.modules.discounts.schemas import (
    AdminDiscountConditionsBatchReq,
    AdminGetDiscountParams,
    AdminGetDiscountsParams,
    AdminPostDiscountsDiscountConditions,
    AdminPostDiscountsDiscountConditionsCondition,
    AdminPostDiscountsDiscountDynamicCodesReq,
    AdminPostDiscountsDiscountReq,
    AdminPostDiscountsReq,
)

admin = admin_router("Discounts")
M = TypeVar("M", bound=BaseModel)

_Find = Annotated[AdminGetDiscountParams, Depends(params(AdminGetDiscountParams))]


async def _answer(tx: Tx, discount_id: str, p: AdminGetDiscountParams | None = None) -> Response:
    tree, fields = service.query_config(p, is_list=False) if p is not None else (service.DEFAULT_TREE, None)
    discount = await service.retrieve_discount(tx, discount_id, tree)
    return ok({"discount": service.present_discount(discount, tree, fields)})


@admin.get("/discounts")
@cacheable()
async def list_discounts(
    p: Annotated[AdminGetDiscountsParams, Depends(params(AdminGetDiscountsParams))], tx: Tx
) -> Response:
    tree, fields = service.query_config(p, is_list=True)
    discounts, count = await service.list_discounts(tx, p, tree)
    return ok(
        {
            "discounts": [service.present_discount(d, tree, fields) for d in discounts],
            "count": count,
            "offset": p.offset,
            "limit": p.limit,
        }
    )


@admin.post("/discounts")
async def create_discount(
    p: _Find, tx: Tx, body: Annotated[AdminPostDiscountsReq | None, Body()] = None
) -> Response:
    discount = await service.create_discount(tx, body_or_empty(AdminPostDiscountsReq, body))
    return await _answer(tx, discount.id, p)


@admin.get("/discounts/code/{code}")
@cacheable()
async def get_discount_by_code(code: str, p: _Find, tx: Tx) -> Response:
    tree, fields = service.query_config(p, is_list=False)
    discount = await service.retrieve_by_code(tx, code, tree)
    return ok({"discount": service.present_discount(discount, tree, fields)})


@admin.get("/discounts/{discount_id}")
@cacheable()
async def get_discount(discount_id: str, p: _Find, tx: Tx) -> Response:
    return await _answer(tx, discount_id, p)


@admin.post("/discounts/{discount_id}")
async def update_discount(
    discount_id: str, p: _Find, tx: Tx, body: Annotated[AdminPostDiscountsDiscountReq | None, Body()] = None
) -> Response:
    await service.update_discount(tx, discount_id, body_or_empty(AdminPostDiscountsDiscountReq, body))
    return await _answer(tx, discount_id, p)


@admin.delete("/discounts/{discount_id}")
async def delete_discount(discount_id: str, tx: Tx) -> Response:
    await service.delete_discount(tx, discount_id)
    return ok({"id": discount_id, "object": "discount", "deleted": True})


@admin.post("/discounts/{discount_id}/dynamic-codes")
async def create_dynamic_code(
    discount_id: str, tx: Tx, body: Annotated[AdminPostDiscountsDiscountDynamicCodesReq | None, Body()] = None
) -> Response:
    data = body_or_empty(AdminPostDiscountsDiscountDynamicCodesReq, body)
    created = await service.create_dynamic_code(tx, discount_id, data)
    return await _answer(tx, created.id)


@admin.delete("/discounts/{discount_id}/dynamic-codes/{code}")
async def delete_dynamic_code(discount_id: str, code: str, tx: Tx) -> Response:
    await service.delete_dynamic_code(tx, discount_id, code)
    return await _answer(tx, discount_id)


@admin.post("/discounts/{discount_id}/regions/{region_id}")
async def add_region(discount_id: str, region_id: str, tx: Tx) -> Response:
    await service.add_region(tx, discount_id, region_id)
    return await _answer(tx, discount_id)


@admin.delete("/discounts/{discount_id}/regions/{region_id}")
async def remove_region(discount_id: str, region_id: str, tx: Tx) -> Response:
    await service.remove_region(tx, discount_id, region_id)
    return await _answer(tx, discount_id)


# ---- conditions --------------------------------------------------------------------------------


def _validated(model: type[M], body: Any) -> M:
    """The body checked after the condition middleware, as Express orders them."""
    try:
        return model.model_validate({} if body is None else body)
    except ValidationError as exc:
        raise invalid_data(validation_message([dict(e) for e in exc.errors()])) from None


@admin.post("/discounts/{discount_id}/conditions")
async def create_condition(
    discount_id: str,
    p: _Find,
    tx: Tx,
    body: Annotated[AdminPostDiscountsDiscountConditions | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminPostDiscountsDiscountConditions, body)
    await service.create_condition(tx, discount_id, data)
    return await _answer(tx, discount_id, p)


@admin.delete("/discounts/{discount_id}/conditions/{condition_id}")
async def delete_condition(discount_id: str, condition_id: str, p: _Find, tx: Tx) -> Response:
    await service.delete_condition(tx, discount_id, condition_id)
    tree, fields = service.query_config(p, is_list=False)
    discount = await service.retrieve_discount(tx, discount_id, tree)
    return ok(
        {
            "id": condition_id,
            "object": "discount-condition",
            "deleted": True,
            "discount": service.present_discount(discount, tree, fields),
        }
    )


@admin.get("/discounts/{discount_id}/conditions/{condition_id}")
async def get_condition(discount_id: str, condition_id: str, request: Request, tx: Tx) -> Response:
    await service.condition_belongs(tx, discount_id, condition_id)
    p = parse_params(request, AdminGetDiscountParams)
    return ok({"discount_condition": await service.get_condition(tx, condition_id, p)})


@admin.post("/discounts/{discount_id}/conditions/{condition_id}")
async def update_condition(
    discount_id: str, condition_id: str, request: Request, tx: Tx, body: Annotated[Any, Body()] = None
) -> Response:
    await service.condition_belongs(tx, discount_id, condition_id)
    p = parse_params(request, AdminGetDiscountParams)
    data = _validated(AdminPostDiscountsDiscountConditionsCondition, body)
    await service.update_condition(tx, discount_id, condition_id, data)
    return await _answer(tx, discount_id, p)


@admin.post("/discounts/{discount_id}/conditions/{condition_id}/batch")
async def add_condition_resources(
    discount_id: str, condition_id: str, request: Request, tx: Tx, body: Annotated[Any, Body()] = None
) -> Response:
    await service.condition_belongs(tx, discount_id, condition_id)
    p = parse_params(request, AdminGetDiscountParams)
    data = _validated(AdminDiscountConditionsBatchReq, body)
    await service.add_condition_batch(tx, condition_id, data.ids())
    return await _answer(tx, discount_id, p)


@admin.delete("/discounts/{discount_id}/conditions/{condition_id}/batch")
async def remove_condition_resources(
    discount_id: str, condition_id: str, request: Request, tx: Tx, body: Annotated[Any, Body()] = None
) -> Response:
    await service.condition_belongs(tx, discount_id, condition_id)
    p = parse_params(request, AdminGetDiscountParams)
    data = _validated(AdminDiscountConditionsBatchReq, body)
    await service.remove_condition_batch(tx, condition_id, data.ids())
    return await _answer(tx, discount_id, p)
