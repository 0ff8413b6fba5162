"""Reminders: the shifts each member of staff usually works at a site, and each site's minutes
before a handover that its incoming staff are reminded (none: the settings' default).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "usual_shift",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("shift_name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_usual_shift_site_id_site")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_usual_shift_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("user_id", "site_id", "shift_name", name=op.f("pk_usual_shift")),
    )
    op.create_index(op.f("ix_usual_shift_site_id"), "usual_shift", ["site_id"])
    op.add_column("site", sa.Column("handover_reminder_minutes", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("site", "handover_reminder_minutes")
    op.drop_index(op.f("ix_usual_shift_site_id"), table_name="usual_shift")
    op.drop_table("usual_shift")
