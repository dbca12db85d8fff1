"""Jobs: one thin module per job over a service, registered in app.jobs.registry."""
