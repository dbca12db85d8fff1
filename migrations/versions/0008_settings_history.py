"""settings history: who created, changed or deleted agencies, case types, extra holidays, Open311
clients and staff accounts, and field by field what changed

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('settings_change',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=200), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('entity_label', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=True),
    sa.CheckConstraint("action IN ('created', 'changed', 'deleted')", name='ck_settings_change_action'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('settings_change', schema=None) as batch_op:
        batch_op.create_index('ix_settings_change_at', ['at'], unique=False)
        batch_op.create_index('ix_settings_change_entity', ['entity', 'entity_id'], unique=False)


def downgrade():
    with op.batch_alter_table('settings_change', schema=None) as batch_op:
        batch_op.drop_index('ix_settings_change_entity')
        batch_op.drop_index('ix_settings_change_at')
    op.drop_table('settings_change')
