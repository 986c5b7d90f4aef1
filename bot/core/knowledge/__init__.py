"""Knowledge: reading the YAML, the notes and the catalogue of AWS names into one model."""
