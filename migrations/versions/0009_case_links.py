"""case links: two cases tied together, whichever agencies hold them (related, or a duplicate)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_link',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('linked_case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_label', sa.String(length=200), nullable=True),
    sa.CheckConstraint('case_id <> linked_case_id', name='ck_case_link_not_itself'),
    sa.CheckConstraint("kind IN ('related', 'duplicate')", name='ck_case_link_kind'),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['linked_case_id'], ['case.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['ab_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id', 'linked_case_id', name='uq_case_link_pair')
    )
    with op.batch_alter_table('case_link', schema=None) as batch_op:
        batch_op.create_index('ix_case_link_linked', ['linked_case_id'], unique=False)


def downgrade():
    with op.batch_alter_table('case_link', schema=None) as batch_op:
        batch_op.drop_index('ix_case_link_linked')
    op.drop_table('case_link')
