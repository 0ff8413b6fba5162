"""A manager's review of restrictive practice: outcome, debrief, what will change; a
follow-up action may come from a review.

Revision ID: 0005
Revises: 0003 (repointed to 0004 when merged after the handover uniqueness migration)
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A follow-up action may now come from a review: exactly its source's id is set.
ONE_SOURCE = (
    "(source = 'handover' AND handover_id IS NOT NULL"
    " AND observation_id IS NULL AND review_id IS NULL)"
    " OR (source = 'observation' AND observation_id IS NOT NULL"
    " AND handover_id IS NULL AND review_id IS NULL)"
    " OR (source = 'review' AND review_id IS NOT NULL"
    " AND handover_id IS NULL AND observation_id IS NULL)"
)
TWO_SOURCES = (
    "(source = 'handover' AND handover_id IS NOT NULL AND observation_id IS NULL)"
    " OR (source = 'observation' AND observation_id IS NOT NULL AND handover_id IS NULL)"
)


def upgrade() -> None:
    op.create_table(
        "restrictive_practice_review",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("note_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("reviewer_id", sa.Uuid(), nullable=False),
        sa.Column("reviewed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "justified",
                "avoidable",
                "safeguarding",
                name="reviewoutcome",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("debrief_held", sa.Boolean(), nullable=False),
        sa.Column("debrief_with", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("debrief_on", sa.Date(), nullable=True),
        sa.Column("changes", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["engagement_note.id"],
            name=op.f("fk_restrictive_practice_review_note_id_engagement_note"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_restrictive_practice_review_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["user_account.id"],
            name=op.f("fk_restrictive_practice_review_reviewer_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_restrictive_practice_review_site_id_site")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restrictive_practice_review")),
    )
    with op.batch_alter_table("restrictive_practice_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_restrictive_practice_review_note_id"), ["note_id"], unique=False
        )
    with op.batch_alter_table("follow_up_action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_id", sa.Uuid(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_follow_up_action_review_id"), ["review_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_follow_up_action_review_id_restrictive_practice_review"),
            "restrictive_practice_review",
            ["review_id"],
            ["id"],
        )
        batch_op.drop_constraint(batch_op.f("ck_follow_up_action_one_source"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_follow_up_action_one_source"), ONE_SOURCE)


def downgrade() -> None:
    with op.batch_alter_table("follow_up_action", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_follow_up_action_one_source"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_follow_up_action_one_source"), TWO_SOURCES)
        batch_op.drop_constraint(
            batch_op.f("fk_follow_up_action_review_id_restrictive_practice_review"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_follow_up_action_review_id"))
        batch_op.drop_column("review_id")
    with op.batch_alter_table("restrictive_practice_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_restrictive_practice_review_note_id"))

    op.drop_table("restrictive_practice_review")
