"""Pure formatters: one per output, over shared plain-data builders."""
