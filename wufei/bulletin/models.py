"""No models yet: the inventory is computed from the spine and the entered statistics."""
