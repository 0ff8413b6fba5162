"""A manager's review of restrictive practice: outcome, debrief, what will change.

Revision ID: 0005
Revises: 0003 (repointed to 0004 when merged after the handover uniqueness migration)
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


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


def downgrade() -> None:
    with op.batch_alter_table("restrictive_practice_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_restrictive_practice_review_note_id"))

    op.drop_table("restrictive_practice_review")
