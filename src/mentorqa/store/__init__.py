"""Reading and writing files: YAML with locations, the manifest, locks, atomic writes."""
