"""Indicator rollups: a version per site and week, raised by every write that changes what the
week's records add up to, and each theme's indicator cells per site and week, kept with the
version they were worked out from.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "site_week_version",
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_site_week_version_site_id_site")
        ),
        sa.PrimaryKeyConstraint("site_id", "week_start", name=op.f("pk_site_week_version")),
    )
    op.create_table(
        "indicator_week",
        sa.Column("theme_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("layout", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_indicator_week_site_id_site")
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["learning_theme.id"],
            name=op.f("fk_indicator_week_theme_id_learning_theme"),
        ),
        sa.PrimaryKeyConstraint(
            "theme_id", "site_id", "week_start", name=op.f("pk_indicator_week")
        ),
    )


def downgrade() -> None:
    op.drop_table("indicator_week")
    op.drop_table("site_week_version")
