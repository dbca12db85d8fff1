"""ended sessions: a session its user signed out of, so that a copy of its cookie is refused

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'ended_session',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('until', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_ended_session_until'), 'ended_session', ['until'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_ended_session_until'), table_name='ended_session')
    op.drop_table('ended_session')
