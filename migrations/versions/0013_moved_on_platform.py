"""moved on platform: when a person on the platform last moved a case's status, so that a
departmental update dated before it does not move the case back

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24 21:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('case', sa.Column('moved_on_platform_at', sa.DateTime(timezone=True), nullable=True))
    # From the timeline: the newest status change, reopening or forwarding made on a screen, through
    # the API or by a requester (not by an import or a sync).
    op.execute(
        'UPDATE "case" SET moved_on_platform_at = (SELECT max(e.at) FROM case_event e WHERE e.case_id = "case".id '
        "AND e.kind IN ('status', 'reopen', 'forward_out') AND e.source IN ('screen', 'api', 'public'))"
    )


def downgrade():
    # Not a batch: rebuilding "case" on SQLite would drop its dashboard triggers (0006).
    op.execute('ALTER TABLE "case" DROP COLUMN moved_on_platform_at')
