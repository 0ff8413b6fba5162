"""One handover per shift change at a site, kept by the schema rather than by a look first.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHIFT_CHANGE = ["site_id", "outgoing_shift", "outgoing_date", "incoming_shift", "incoming_date"]


def upgrade() -> None:
    handover = sa.table("handover", *(sa.column(name) for name in SHIFT_CHANGE))
    doubled = sa.select(*handover.c).group_by(*handover.c).having(sa.func.count() > 1)
    doubled_count = sa.select(sa.func.count()).select_from(doubled.subquery())
    if op.get_bind().execute(doubled_count).scalar_one():
        raise RuntimeError(
            "Some shift changes have two handovers (started at the same moment before this "
            "release). Keep one of each pair, then run the migration again."
        )
    op.create_index("uq_handover_shift_change", "handover", SHIFT_CHANGE, unique=True)


def downgrade() -> None:
    op.drop_index("uq_handover_shift_change", table_name="handover")
