"""Settings split by environment: base, dev (default), test, prod."""
