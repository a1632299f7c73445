"""Budget simulators: residents balance a budget across services and say why; officers see the community budget."""
