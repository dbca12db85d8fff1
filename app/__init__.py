"""Rueang: complaints and requests of the Ministry of Industry, agency by agency, in the open."""
