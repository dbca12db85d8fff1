"""A stand-in for the agencies' departmental systems (their REST systems and Traffy Fondue).

It serves the same protocols the connectors speak, over a deterministic set of cases that
keep moving while it runs, and can be told to misbehave. See server.py to run it, core.py
for its endpoints and control API, data.py for the data and the demo clock.
"""
