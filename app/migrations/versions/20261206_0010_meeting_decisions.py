"""A follow-up action may be a decision of the quality meeting: the week it was decided in and,
when it is about one, the learning theme.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Exactly the source's own reference is set: a record's id, or the meeting's week.
ONE_SOURCE = (
    "(source = 'handover' AND handover_id IS NOT NULL"
    " AND observation_id IS NULL AND review_id IS NULL AND meeting_week IS NULL)"
    " OR (source = 'observation' AND observation_id IS NOT NULL"
    " AND handover_id IS NULL AND review_id IS NULL AND meeting_week IS NULL)"
    " OR (source = 'review' AND review_id IS NOT NULL"
    " AND handover_id IS NULL AND observation_id IS NULL AND meeting_week IS NULL)"
    " OR (source = 'meeting' AND meeting_week IS NOT NULL"
    " AND handover_id IS NULL AND observation_id IS NULL AND review_id IS NULL)"
)
# As migration 0005 left it.
THREE_SOURCES = (
    "(source = 'handover' AND handover_id IS NOT NULL"
    " AND observation_id IS NULL AND review_id IS NULL)"
    " OR (source = 'observation' AND observation_id IS NOT NULL"
    " AND handover_id IS NULL AND review_id IS NULL)"
    " OR (source = 'review' AND review_id IS NOT NULL"
    " AND handover_id IS NULL AND observation_id IS NULL)"
)


def upgrade() -> None:
    with op.batch_alter_table("follow_up_action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_week", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("theme_id", sa.Uuid(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_follow_up_action_meeting_week"), ["meeting_week"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_follow_up_action_theme_id_learning_theme"),
            "learning_theme",
            ["theme_id"],
            ["id"],
        )
        batch_op.drop_constraint(batch_op.f("ck_follow_up_action_one_source"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_follow_up_action_one_source"), ONE_SOURCE)


def downgrade() -> None:
    op.execute("DELETE FROM follow_up_action WHERE source = 'meeting'")
    with op.batch_alter_table("follow_up_action", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_follow_up_action_one_source"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_follow_up_action_one_source"), THREE_SOURCES
        )
        batch_op.drop_constraint(
            batch_op.f("fk_follow_up_action_theme_id_learning_theme"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_follow_up_action_meeting_week"))
        batch_op.drop_column("theme_id")
        batch_op.drop_column("meeting_week")
