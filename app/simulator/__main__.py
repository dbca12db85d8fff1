from app.simulator.cli import simulate_departments

simulate_departments(prog_name="python -m app.simulator")
