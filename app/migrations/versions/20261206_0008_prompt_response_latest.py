"""An index for "answered again later" on handover prompt responses: prompt coverage asks it
of every answer, and without it a year of handovers took seconds.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("handover_prompt_response", schema=None) as batch_op:
        batch_op.create_index(
            "ix_handover_prompt_response_latest",
            ["handover_id", "prompt_id", "recorded_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("handover_prompt_response", schema=None) as batch_op:
        batch_op.drop_index("ix_handover_prompt_response_latest")
