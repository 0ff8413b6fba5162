"""Governance records: drift alerts raised from a theme's signals at a site, kept until they are
resolved; lifecycle proposals, kept until the quality lead decides; an organisation's criteria.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "governance_criteria",
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("practice_target", sa.Float(), nullable=False),
        sa.Column("explain_target", sa.Float(), nullable=False),
        sa.Column("weeks_to_embed", sa.Integer(), nullable=False),
        sa.Column("observe_every_days", sa.Integer(), nullable=False),
        sa.Column("prompt_coverage_floor", sa.Float(), nullable=False),
        sa.Column("gap_points", sa.Float(), nullable=False),
        sa.Column("gap_weeks", sa.Integer(), nullable=False),
        sa.Column("require_passing_assurance", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_governance_criteria_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_governance_criteria_updated_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_governance_criteria")),
    )
    op.create_table(
        "drift_alert",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("theme_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "special_cause_concern",
                "under_target",
                "not_observed",
                "low_prompt_coverage",
                "self_report_gap",
                name="flagkind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("shift", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("indicator", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("words", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("raised_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("open_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("seen_by_id", sa.Uuid(), nullable=True),
        sa.Column("resolved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("resolved_by_id", sa.Uuid(), nullable=True),
        sa.Column("resolution", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_drift_alert_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["user_account.id"],
            name=op.f("fk_drift_alert_resolved_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["seen_by_id"], ["user_account.id"], name=op.f("fk_drift_alert_seen_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_drift_alert_site_id_site")),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["learning_theme.id"], name=op.f("fk_drift_alert_theme_id_learning_theme")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drift_alert")),
        sa.UniqueConstraint("open_key", name=op.f("uq_drift_alert_open_key")),
    )
    with op.batch_alter_table("drift_alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_drift_alert_site_id"), ["site_id"], unique=False)

    op.create_table(
        "lifecycle_proposal",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("theme_id", sa.Uuid(), nullable=False),
        sa.Column(
            "from_status",
            sa.Enum(
                "draft",
                "pilot",
                "embedding",
                "embedded",
                "retired",
                name="themestatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "draft",
                "pilot",
                "embedding",
                "embedded",
                "retired",
                name="themestatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("proposed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("open_key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column(
            "decision",
            sa.Enum("confirmed", "declined", name="decision", native_enum=False, length=20),
            nullable=True,
        ),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_lifecycle_proposal_decided_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_lifecycle_proposal_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["learning_theme.id"],
            name=op.f("fk_lifecycle_proposal_theme_id_learning_theme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lifecycle_proposal")),
        sa.UniqueConstraint("open_key", name=op.f("uq_lifecycle_proposal_open_key")),
    )
    with op.batch_alter_table("lifecycle_proposal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lifecycle_proposal_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lifecycle_proposal_theme_id"), ["theme_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("lifecycle_proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lifecycle_proposal_theme_id"))
        batch_op.drop_index(batch_op.f("ix_lifecycle_proposal_organisation_id"))
    op.drop_table("lifecycle_proposal")
    with op.batch_alter_table("drift_alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_drift_alert_site_id"))
    op.drop_table("drift_alert")
    op.drop_table("governance_criteria")
