"""Interaction snapshots: a manager's tally of the interactions seen in a room on a walk round.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("positive_social", "positive_care", "neutral", "protective_restrictive", "restrictive")


def upgrade() -> None:
    op.create_table(
        "interaction_snapshot",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("observer_id", sa.Uuid(), nullable=False),
        sa.Column("theme_id", sa.Uuid(), nullable=True),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("location", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("shift_name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("shift_date", sa.Date(), nullable=True),
        *(sa.Column(kind, sa.Integer(), nullable=False) for kind in KINDS),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.CheckConstraint(
            " AND ".join(f"{kind} BETWEEN 0 AND 999" for kind in KINDS),
            name=op.f("ck_interaction_snapshot_counts_in_range"),
        ),
        sa.CheckConstraint(
            " + ".join(KINDS) + " >= 1", name=op.f("ck_interaction_snapshot_at_least_one")
        ),
        sa.CheckConstraint(
            "minutes BETWEEN 1 AND 60", name=op.f("ck_interaction_snapshot_minutes_in_range")
        ),
        sa.ForeignKeyConstraint(
            ["observer_id"],
            ["user_account.id"],
            name=op.f("fk_interaction_snapshot_observer_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_interaction_snapshot_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_interaction_snapshot_site_id_site")
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["learning_theme.id"],
            name=op.f("fk_interaction_snapshot_theme_id_learning_theme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction_snapshot")),
    )
    with op.batch_alter_table("interaction_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            "ix_interaction_snapshot_site_started", ["site_id", "started_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("interaction_snapshot", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_snapshot_site_started")
    op.drop_table("interaction_snapshot")
