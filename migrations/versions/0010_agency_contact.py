"""agency contact: the phone, email and office (address, hours) the public reaches an agency at,
shown on the status pages of its cases

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('contact_office', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_column('contact_office')
        batch_op.drop_column('contact_email')
        batch_op.drop_column('contact_phone')
