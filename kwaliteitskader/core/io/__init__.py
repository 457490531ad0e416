"""Files in and out: bounded reading, TOML, assessments (load, save, migrate), criteria (load, cache), folder walks."""
