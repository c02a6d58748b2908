"""The sanctions ladder on a contract: påpekande, vite or prisavdrag, hävning (LOU) or
återkallat godkännande (LOV), each with what it rests on; proposals from återuppföljningar."""

from audit_app.services.sanctions.ladder import (
    DECIDED_BY,
    ProposalRow,
    SanctionInput,
    SanctionRow,
    UnitSanctions,
    contract_deviations,
    contract_of_finding,
    kr,
    list_sanctions,
    record_sanction,
    requirement_for_clause,
    sanction_proposals,
    unit_sanctions,
)

__all__ = [
    "DECIDED_BY",
    "ProposalRow",
    "SanctionInput",
    "SanctionRow",
    "UnitSanctions",
    "contract_deviations",
    "contract_of_finding",
    "kr",
    "list_sanctions",
    "record_sanction",
    "requirement_for_clause",
    "sanction_proposals",
    "unit_sanctions",
]
