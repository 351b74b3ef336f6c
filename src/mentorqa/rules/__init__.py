"""The rules of a framework, one small module per family, each pure and testable on objects."""
