"""Customers (4 Admin routes, /admin/customers…) and Customer Groups (8, /admin/customer-groups…)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Depends, Request, Response
from pydantic import ValidationError

from mercato.core.errors import invalid_data, validation_message
from mercato.core.http import Tx, ok
from mercato.core.present import relation_tree
from mercato.core.qs import parse_qs_pairs
from mercato.core.query import params, parse_params
from mercato.core.routing import admin_router
from mercato.core.validation import body_or_empty
from mercato.modules.customers import service
from mercato.modules.customers.schemas import (
    AdminGetCustomerGroupsParams,
    AdminGetCustomersParams,
    AdminPostCustomerGroupsGroupReq,
    AdminPostCustomerGroupsReq,
    AdminPostCustomersCustomerReq,
    AdminPostCustomersReq,
    CustomerIdsBatchReq,
    FindParams,
)

admin = admin_router("Customers")
groups_admin = admin_router("Customer Groups")


def _customers_page(customers: list[Any], count: int, p: AdminGetCustomersParams, tree: Any) -> Response:
    return ok(
        {
            "customers": [service.present_customer(c, tree) for c in customers],
            "count": count,
            "offset": p.offset,
            "limit": p.limit,
        }
    )


# ---- customers -------------------------------------------------------------------------------


@admin.get("/customers")
async def list_customers(
    p: Annotated[AdminGetCustomersParams, Depends(params(AdminGetCustomersParams))], tx: Tx
) -> Response:
    customers, count, tree = await service.list_customers(tx, p)
    return _customers_page(customers, count, p, tree)


@admin.post("/customers")
async def create_customer(tx: Tx, body: Annotated[AdminPostCustomersReq | None, Body()] = None) -> Response:
    customer = await service.create_customer(tx, body_or_empty(AdminPostCustomersReq, body))
    return ok({"customer": service.present_customer(customer)}, status_code=201)


@admin.get("/customers/{customer_id}")
async def get_customer(
    customer_id: str, p: Annotated[FindParams, Depends(params(FindParams))], tx: Tx
) -> Response:
    tree = service.customer_tree(p)
    customer = await service.retrieve_customer(tx, customer_id, tree)
    return ok({"customer": service.present_customer(customer, tree)})


@admin.post("/customers/{customer_id}")
async def update_customer(
    customer_id: str,
    request: Request,
    tx: Tx,
    body: Annotated[AdminPostCustomersCustomerReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminPostCustomersCustomerReq, body)
    # Medusa validates the body, then the query string
    p = parse_params(request, FindParams)
    await service.update_customer(tx, customer_id, data)
    tree = service.customer_tree(p)
    customer = await service.retrieve_customer(tx, customer_id, tree)
    return ok({"customer": service.present_customer(customer, tree)})


# ---- customer groups -------------------------------------------------------------------------


@groups_admin.get("/customer-groups")
async def list_customer_groups(
    p: Annotated[AdminGetCustomerGroupsParams, Depends(params(AdminGetCustomerGroupsParams))], tx: Tx
) -> Response:
    tree, fields = service.group_query_config(p, is_list=True)
    groups, count = await service.list_groups(tx, p, tree)
    return ok(
        {
            "count": count,
            "customer_groups": [service.present_group(g, tree, fields) for g in groups],
            "offset": p.offset,
            "limit": p.limit,
        }
    )


@groups_admin.post("/customer-groups")
async def create_customer_group(
    tx: Tx, body: Annotated[AdminPostCustomerGroupsReq | None, Body()] = None
) -> Response:
    group = await service.create_group(tx, body_or_empty(AdminPostCustomerGroupsReq, body))
    group = await service.retrieve_group(tx, group.id, {})
    return ok({"customer_group": service.present_group(group)})


@groups_admin.get("/customer-groups/{group_id}")
async def get_customer_group(
    group_id: str, p: Annotated[FindParams, Depends(params(FindParams))], tx: Tx
) -> Response:
    tree, fields = service.group_query_config(p, is_list=False)
    group = await service.retrieve_group(tx, group_id, tree)
    return ok({"customer_group": service.present_group(group, tree, fields)})


@groups_admin.post("/customer-groups/{group_id}")
async def update_customer_group(
    group_id: str,
    request: Request,
    tx: Tx,
    body: Annotated[AdminPostCustomerGroupsGroupReq | None, Body()] = None,
) -> Response:
    data = body_or_empty(AdminPostCustomerGroupsGroupReq, body)
    p = parse_params(request, FindParams)
    await service.update_group(tx, group_id, data)
    # update-customer-group.ts reads `expand` only (a non-empty one replaces the defaults)
    tree = relation_tree(r for r in (p.expand or "").split(",") if r)
    group = await service.retrieve_group(tx, group_id, tree)
    return ok({"customer_group": service.present_group(group, tree)})


@groups_admin.delete("/customer-groups/{group_id}")
async def delete_customer_group(group_id: str, tx: Tx) -> Response:
    await service.delete_group(tx, group_id)
    return ok({"id": group_id, "object": "customer_group", "deleted": True})


def _group_customers_params(request: Request) -> AdminGetCustomersParams:
    # get-customer-group-customers.ts sets `groups` to the group before validating the query
    data = parse_qs_pairs(list(request.query_params.multi_items()))
    data["groups"] = [request.path_params["group_id"]]
    try:
        return AdminGetCustomersParams.model_validate(data)
    except ValidationError as exc:
        raise invalid_data(validation_message([dict(e) for e in exc.errors()])) from None


@groups_admin.get("/customer-groups/{group_id}/customers")
async def list_customer_group_customers(
    group_id: str, p: Annotated[AdminGetCustomersParams, Depends(_group_customers_params)], tx: Tx
) -> Response:
    customers, count, tree = await service.list_customers(tx, p)
    return _customers_page(customers, count, p, tree)


@groups_admin.post("/customer-groups/{group_id}/customers/batch")
async def add_customers_batch(
    group_id: str, tx: Tx, body: Annotated[CustomerIdsBatchReq | None, Body()] = None
) -> Response:
    data = body_or_empty(CustomerIdsBatchReq, body)
    group = await service.add_customers(tx, group_id, [c.id for c in data.customer_ids])
    return ok({"customer_group": service.present_group(group)})


@groups_admin.delete("/customer-groups/{group_id}/customers/batch")
async def delete_customers_batch(
    group_id: str, tx: Tx, body: Annotated[CustomerIdsBatchReq | None, Body()] = None
) -> Response:
    data = body_or_empty(CustomerIdsBatchReq, body)
    group = await service.remove_customers(tx, group_id, [c.id for c in data.customer_ids])
    return ok({"customer_group": service.present_group(group)})
