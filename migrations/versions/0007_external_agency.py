"""departmental references belong to the agency whose system they number: case.external_agency_id,
kept when a case is forwarded, and references unique per that agency instead of per owner

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 01:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _sqlite_triggers():
    """SQLite rebuilds "case" to change its constraints, which drops its triggers (the dashboards'
    ones, migration 0006): their definitions, to make them again after."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return []
    return [row[0] for row in bind.execute(sa.text(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'case'"))]


def _recreate(triggers):
    existing = set(_sqlite_triggers())
    for sql in triggers:
        if sql not in existing:
            op.execute(sql)


def upgrade():
    triggers = _sqlite_triggers()
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_agency_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_case_external_agency_id_agency', 'agency', ['external_agency_id'], ['id'])
    # Every reference so far was set by the agency holding the case.
    op.execute('UPDATE "case" SET external_agency_id = agency_id WHERE external_ref IS NOT NULL')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_constraint('uq_case_agency_external_ref', type_='unique')
        batch_op.create_unique_constraint('uq_case_external_ref', ['external_agency_id', 'external_ref'])
    _recreate(triggers)


def downgrade():
    triggers = _sqlite_triggers()
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_constraint('uq_case_external_ref', type_='unique')
        batch_op.create_unique_constraint('uq_case_agency_external_ref', ['agency_id', 'external_ref'])
        batch_op.drop_constraint('fk_case_external_agency_id_agency', type_='foreignkey')
        batch_op.drop_column('external_agency_id')
    _recreate(triggers)
