"""A writer process of the load test: saves its own answers and notes, as a revisor would.

Run as `python -m tests.unit.followups.load_worker URL FOLLOWUP WORKER ROUNDS KEY...`; prints
the errors it met as JSON. A process of its own (not multiprocessing from the test), so nothing
of the test process (Streamlit's AppTest replaces __main__) reaches the writers.
"""

import json
import sys
import uuid

from audit_app.db import make_engine, session_scope
from audit_app.models import Result
from audit_app.services import followups
from tests.conftest import REVISOR, REVISOR2


def write(args: tuple[str, str, int, list[str], int]) -> list[str]:
    """Save every given item (result, then comment) and one note; return the errors seen."""
    url, followup_id, worker, keys, rounds = args
    engine = make_engine(url)
    actor = REVISOR if worker % 2 else REVISOR2
    errors: list[str] = []
    fid = uuid.UUID(followup_id)
    for round_no in range(rounds):
        for key in keys:
            try:
                with session_scope(engine) as session:
                    followups.save_assessment(
                        session,
                        actor,
                        fid,
                        key,
                        result=Result.uppfyllt,
                        comment=f"w{worker} r{round_no}",
                    )
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
        try:
            with session_scope(engine) as session:
                followups.save_note(
                    session, actor, fid, f"anteckning-{worker}", f"runda {round_no}"
                )
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    engine.dispose()
    return errors


if __name__ == "__main__":
    url_arg, fid_arg, worker_arg, rounds_arg, *key_args = sys.argv[1:]
    found = write((url_arg, fid_arg, int(worker_arg), key_args, int(rounds_arg)))
    print(json.dumps(found, ensure_ascii=False))
