"""The Discord layer: thin adapters from slash commands and buttons to the core."""
