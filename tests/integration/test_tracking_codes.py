"""Tracking codes stay unique when many cases are created at once."""
import threading

from sqlalchemy import func, select


def test_concurrent_creation_gives_unique_consecutive_codes(app):
    from app.extensions import db
    from app.models import Case, CaseType
    from app.services import cases
    from app.services.actor import Actor

    with app.app_context():
        type_id = db.session.execute(select(CaseType.id).where(CaseType.code == "DIW-NUISANCE")).scalar_one()
    codes, errors = [], []
    lock = threading.Lock()

    def worker():
        for _ in range(8):
            with app.app_context():
                try:
                    case = cases.create_case(Actor.system("load"), {"title": "พร้อมกัน", "case_type_id": type_id})
                    with lock:
                        codes.append(case.tracking_code)
                except Exception as error:  # noqa: BLE001 - collected and asserted below
                    with lock:
                        errors.append(repr(error))
                finally:
                    db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(codes) == len(set(codes)) == 48
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(1, 49))
    with app.app_context():
        assert db.session.execute(select(func.count(func.distinct(Case.tracking_code)))).scalar_one() == 48
