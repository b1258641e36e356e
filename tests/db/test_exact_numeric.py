"""line_item_adjustment.amount reads back as written, on SQLite (a REAL) as on PostgreSQL."""

import decimal

from sqlalchemy import select

from mercato.db.session import Database
from mercato.modules.carts.models import LineItem, LineItemAdjustment


async def test_an_adjustment_reads_back_exactly(db: Database) -> None:
    # Medusa's 500 fixed discount over lines of 2750 and 750: JavaScript's shares, as TypeORM
    # writes them; Numeric would give SQLite's REAL back rounded to 10 places
    shares = [decimal.Decimal("392.85714285714283"), decimal.Decimal("107.14285714285714")]
    async with db.write_session() as tx:
        line = LineItem(title="Shirt", unit_price=2750, quantity=1, allow_discounts=True, has_shipping=False)
        tx.add(line)
        await tx.flush()
        for amount in shares:
            tx.add(LineItemAdjustment(item_id=line.id, description="discount", amount=amount))
        await tx.commit()
    async with db.read_session() as tx:
        stmt = select(LineItemAdjustment.amount).where(LineItemAdjustment.item_id == line.id)
        read = sorted((await tx.execute(stmt)).scalars(), reverse=True)
    assert read == shares
    assert [float(a) for a in read] == [392.85714285714283, 107.14285714285714]
