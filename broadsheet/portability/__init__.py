"""Data leaving and coming back: site exports, a member's data and erasure, backup, restore."""
