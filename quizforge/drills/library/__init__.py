"""The drills, one module per area; importing a module registers its drills."""
