"""dashboard dirty cells are marked per writing transaction (PostgreSQL): a refresh that runs
while a write is still open leaves that write's mark, so the write reaches the figures

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24 16:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


# A cell already dirty was left alone by the next write to it (ON CONFLICT DO NOTHING). A
# refresh could take the cell while that write was still open, recompute it without the write
# and remove it: the write never reached the figures. Each transaction now adds a mark of its
# own (its transaction id), invisible to a refresh until it commits, so a refresh removes only
# the marks it saw. No writer waits for another or for a refresh. SQLite lets one writer in at
# a time, so its marks stay 0.
def _function(mark: str, conflict: str) -> str:
    columns = "agency_id, case_type_id, day" + (", mark" if mark else "")
    value = f", {mark}" if mark else ""
    return f"""
CREATE OR REPLACE FUNCTION dashboard_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO dashboard_dirty ({columns})
        SELECT DISTINCT agency_id, case_type_id, (submitted_at AT TIME ZONE 'Asia/Bangkok')::date{value} FROM new_rows
        {conflict};
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO dashboard_dirty ({columns})
        SELECT DISTINCT agency_id, case_type_id, (submitted_at AT TIME ZONE 'Asia/Bangkok')::date{value} FROM old_rows
        {conflict};
    END IF;
    RETURN NULL;
END
$$
"""


def _remake(columns: list, key: list[str], select: str) -> None:
    """Make dashboard_dirty again with `columns` and primary key `key`, keeping its cells. Made
    anew rather than renamed: SQLite refuses to rename a table while the triggers on "case" name
    one that is gone."""
    op.execute("CREATE TABLE dashboard_dirty_kept AS SELECT * FROM dashboard_dirty")
    op.drop_table('dashboard_dirty')
    op.create_table('dashboard_dirty', *columns, sa.PrimaryKeyConstraint(*key))
    op.execute(f"INSERT INTO dashboard_dirty {select} FROM dashboard_dirty_kept")
    op.drop_table('dashboard_dirty_kept')


def _cell_columns() -> list:
    return [sa.Column('agency_id', sa.Integer(), nullable=False),
            sa.Column('case_type_id', sa.Integer(), nullable=False),
            sa.Column('day', sa.Date(), nullable=False)]


def upgrade():
    _remake(_cell_columns() + [sa.Column('mark', sa.BigInteger(), server_default='0', nullable=False)],
            ['agency_id', 'case_type_id', 'day', 'mark'],
            "(agency_id, case_type_id, day, mark) SELECT agency_id, case_type_id, day, 0")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_function("txid_current()", "ON CONFLICT DO NOTHING"))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_function("", "ON CONFLICT DO NOTHING"))
    _remake(_cell_columns(), ['agency_id', 'case_type_id', 'day'],
            "(agency_id, case_type_id, day) SELECT DISTINCT agency_id, case_type_id, day")
