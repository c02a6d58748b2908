"""Initial schema: the tables as they were at the first release."""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from audit_app.migrations.shared import forward_only, index, record_columns

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table('changelog',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('field', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('old', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('new', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    index('changelog', 'at')
    index('changelog', 'entity')
    index('changelog', 'entity_id')

    op.create_table('checklistversion',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key', 'version')
    )
    index('checklistversion', 'key')

    op.create_table('contractor',
    *record_columns(),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('org_nr', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
    sa.Column('contact_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('contact_role', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    index('contractor', 'name')

    op.create_table('user',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('role', sa.Enum('admin', 'revisor', 'forvaltningschef', 'lasare', name='role'), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    index('user', 'username', unique=True)

    op.create_table('contract',
    *record_columns(),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('dnr', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('contractor_id', sa.Uuid(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=False),
    sa.Column('extension_option', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('extension_until', sa.Date(), nullable=True),
    sa.Column('staffing_rules', sa.JSON(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['contractor_id'], ['contractor.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    index('contract', 'contractor_id')
    index('contract', 'dnr', unique=True)

    op.create_table('schedulemapping',
    sa.Column('contractor_id', sa.Uuid(), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.ForeignKeyConstraint(['contractor_id'], ['contractor.id'], ),
    sa.PrimaryKeyConstraint('contractor_id')
    )
    op.create_table('unit',
    *record_columns(),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('contractor_id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sa.Enum('sarskilt_boende', 'hemtjanst', 'lss_bostad', 'daglig_verksamhet', name='unitkind'), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['contractor_id'], ['contractor.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    index('unit', 'contractor_id')
    index('unit', 'name')

    op.create_table('contractunit',
    sa.Column('contract_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('contract_id', 'unit_id')
    )
    op.create_table('followup',
    *record_columns(),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('avtal', 'ledningssystem', 'kvalitetsrevision', 'riktad', 'bistandsarenden', 'aterupfoljning', name='followupkind'), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('contractor_id', sa.Uuid(), nullable=False),
    sa.Column('contract_id', sa.Uuid(), nullable=True),
    sa.Column('planned_date', sa.Date(), nullable=False),
    sa.Column('planned_time', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('methods', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Enum('politiskt_beslut', 'ledningsgrupp', 'onskemal', 'infor_upphandling', 'infor_forlangning', 'kvalitetsrevision', name='riktadreason'), nullable=True),
    sa.Column('reason_text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('participants', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('planerad', 'pagar', 'klar', 'justerad', name='followupstatus'), nullable=False),
    sa.Column('checklist_version_id', sa.Uuid(), nullable=True),
    sa.Column('agenda', sa.JSON(), nullable=False),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('previous_id', sa.Uuid(), nullable=True),
    sa.Column('doc_version', sa.Integer(), nullable=False),
    sa.Column('author', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('justerad_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('justerad_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('correction_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['checklist_version_id'], ['checklistversion.id'], ),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ),
    sa.ForeignKeyConstraint(['contractor_id'], ['contractor.id'], ),
    sa.ForeignKeyConstraint(['previous_id'], ['followup.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    index('followup', 'contract_id')
    index('followup', 'contractor_id')
    index('followup', 'planned_date')
    index('followup', 'status')

    op.create_table('requirement',
    *record_columns(),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('contract_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('clause', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sa.Enum('ska', 'bor', name='requirementkind'), nullable=False),
    sa.Column('area', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    index('requirement', 'contract_id')

    op.create_table('assessment',
    *record_columns(),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('followup_id', sa.Uuid(), nullable=False),
    sa.Column('item_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('result', sa.Enum('uppfyllt', 'delvis_uppfyllt', 'ej_uppfyllt', 'ej_aktuellt', 'ej_bedomd', name='result'), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['followup_id'], ['followup.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('followup_id', 'item_key')
    )
    index('assessment', 'followup_id')

    op.create_table('evidence',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('followup_id', sa.Uuid(), nullable=False),
    sa.Column('item_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('stored_path', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('uploaded_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.ForeignKeyConstraint(['followup_id'], ['followup.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    index('evidence', 'followup_id')

    op.create_table('finding',
    *record_columns(),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('followup_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('avvikelse', 'forbattringsomrade', 'iakttagelse', name='findingkind'), nullable=False),
    sa.Column('status', sa.Enum('foreslagen', 'bekraftad', 'avfardad', 'stangd', name='findingstatus'), nullable=False),
    sa.Column('item_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('clause', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('area', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('downgrade_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('for_committee', sa.Boolean(), nullable=False),
    sa.Column('recheck_followup_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['followup_id'], ['followup.id'], ),
    sa.ForeignKeyConstraint(['recheck_followup_id'], ['followup.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    index('finding', 'followup_id')

    op.create_table('followupunit',
    sa.Column('followup_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['followup_id'], ['followup.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('followup_id', 'unit_id')
    )
    op.create_table('followupversion',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('followup_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.ForeignKeyConstraint(['followup_id'], ['followup.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('followup_id', 'version')
    )
    index('followupversion', 'followup_id')

    op.create_table('staffinganalysis',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('followup_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=True),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('file_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=True),
    sa.Column('period_to', sa.Date(), nullable=True),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.ForeignKeyConstraint(['followup_id'], ['followup.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    index('staffinganalysis', 'followup_id')

    op.create_table('storeddocument',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('followup_id', sa.Uuid(), nullable=False),
    sa.Column('followup_version', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['followup_id'], ['followup.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    index('storeddocument', 'followup_id')

    op.create_table('action',
    *record_columns(),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('finding_id', sa.Uuid(), nullable=False),
    sa.Column('what', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('responsible', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('oppen', 'pagar', 'genomford', 'verifierad', 'ej_genomford', name='actionstatus'), nullable=False),
    sa.Column('verified_in_id', sa.Uuid(), nullable=True),
    sa.Column('verified_note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('verified_at', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], ),
    sa.ForeignKeyConstraint(['verified_in_id'], ['followup.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    index('action', 'finding_id')
    index('action', 'status')

    op.create_table('actionreview',
    *record_columns(),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('followup_id', sa.Uuid(), nullable=False),
    sa.Column('action_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('oppen', 'pagar', 'genomford', 'verifierad', 'ej_genomford', name='actionstatus'), nullable=False),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], ),
    sa.ForeignKeyConstraint(['followup_id'], ['followup.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('followup_id', 'action_id')
    )
    index('actionreview', 'action_id')
    index('actionreview', 'followup_id')


def downgrade() -> None:
    forward_only()
